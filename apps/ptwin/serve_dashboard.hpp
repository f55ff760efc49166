// SPDX-License-Identifier: Apache-2.0
#pragma once
// The web dashboard inside `ptwin serve` (docs/dashboard.md): the JSON API under /api/ over the
// twin's alert episodes (the one policy that also feeds the DetectedIssues), and the built
// assets under /dashboard/ (/ redirects there). Requests for other paths go to serve's own
// endpoints.

#include <filesystem>
#include <string>

#include "ptwin/server/dashboard/dashboard_api.hpp"
#include "ptwin/server/dashboard/static_files.hpp"
#include "ptwin/server/http/http_server.hpp"

namespace ptwin::app {

/// Where the build puts the dashboard's assets (scripts/build_dashboard.sh).
[[nodiscard]] std::filesystem::path default_dashboard_dir();

class ServeDashboard {
 public:
  /// `alerts`: the twin's alert episodes, attached to the sample stream by the caller.
  /// `gate`: the V&V gate established for the twin's model, or null when none was (the banner
  /// then says unverified). References outlive the dashboard.
  ServeDashboard(const twin::live::HypotensionRiskStage& risk, const store::Store& store,
                 server::dashboard::RiskAlertBoard& alerts, const time::Clock& clock,
                 std::filesystem::path assets, const vv::gate::ModelGate* gate);
  ServeDashboard(const ServeDashboard&) = delete;
  ServeDashboard& operator=(const ServeDashboard&) = delete;

  /// Dashboard paths first, `rest` for every other path; `this` must outlive the handler.
  [[nodiscard]] server::HttpHandler handler(server::HttpHandler rest) const;
  /// One line for the startup log: where the page is, or why it is missing.
  [[nodiscard]] std::string describe(const std::string& origin) const;

 private:
  server::dashboard::ModelInfo model_;
  server::dashboard::StaticFiles files_;
  server::dashboard::DashboardSources sources_;
};

}  // namespace ptwin::app
