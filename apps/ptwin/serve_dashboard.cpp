// SPDX-License-Identifier: Apache-2.0
#include "serve_dashboard.hpp"

#include <fmt/format.h>

#include <utility>

namespace ptwin::app {

std::filesystem::path default_dashboard_dir() { return PTWIN_DASHBOARD_DIR; }

ServeDashboard::ServeDashboard(const twin::live::HypotensionRiskStage& risk,
                               const store::Store& store,
                               server::dashboard::RiskAlertBoard& alerts,
                               const time::Clock& clock, std::filesystem::path assets,
                               const vv::gate::ModelGate* gate)
    : model_(server::dashboard::hypotension_model_info(risk.settings(), gate)),
      files_(std::move(assets), "/dashboard/"),
      sources_{risk, store, alerts, model_, clock} {}

server::HttpHandler ServeDashboard::handler(server::HttpHandler rest) const {
  return [this, rest = std::move(rest)](const server::HttpRequest& request) {
    if (request.path() == "/" && (request.method == "GET" || request.method == "HEAD")) {
      auto response = server::HttpResponse::with_body(302, "text/plain", "see /dashboard/\n");
      response.headers["Location"] = "/dashboard/";
      return response;
    }
    if (auto api = server::dashboard::answer_dashboard_api(sources_, request)) return *api;
    if (auto file = files_.answer(request)) return *file;
    return rest(request);
  };
}

std::string ServeDashboard::describe(const std::string& origin) const {
  if (files_.has_index()) {
    return fmt::format("dashboard at {}/dashboard/ (API {}/api/, assets {})", origin, origin,
                       files_.root().string());
  }
  return fmt::format(
      "dashboard API at {}/api/; no page: assets not built in {} (run "
      "scripts/build_dashboard.sh)",
      origin, files_.root().string());
}

}  // namespace ptwin::app
