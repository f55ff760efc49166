// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/dashboard/dashboard_api.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/server/dashboard/alert_routes.hpp"
#include "ptwin/server/dashboard/api_query.hpp"
#include "ptwin/server/dashboard/patient_routes.hpp"

namespace ptwin::server::dashboard {
namespace {

constexpr std::string_view kPrefix = "/api/";

HttpResponse json_response(int status, const nlohmann::json& body) {
  auto response = HttpResponse::with_body(status, "application/json", body.dump());
  response.headers["Cache-Control"] = "no-store";  // live data
  return response;
}

HttpResponse method_not_allowed(std::string_view allow) {
  auto response = json_response(405, {{"error", fmt::format("use {}", allow)}});
  response.headers["Allow"] = std::string(allow);
  return response;
}

HttpResponse not_found(std::string_view path) {
  return json_response(404, {{"error", fmt::format("no API resource at {}; see docs/dashboard.md",
                                                   printable_value(path))}});
}

// The path after /api/, split at '/', each segment percent-decoded.
std::vector<std::string> segments_of(std::string_view rest) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= rest.size()) {
    const auto end = std::min(rest.find('/', start), rest.size());
    segments.push_back(percent_decode(rest.substr(start, end - start), false));
    start = end + 1;
  }
  return segments;
}

// An action needs no body, so a page of another site could send it as a plain form POST from
// a clinician's browser; browsers name the sending page's origin, which must be this server.
std::optional<HttpResponse> refuse_cross_origin(const HttpRequest& request) {
  const auto origin = request.header("Origin");
  if (!origin) return std::nullopt;  // not sent by a browser on another site's behalf
  const auto host = request.header("Host");
  if (host && (*origin == fmt::format("http://{}", *host) ||
               *origin == fmt::format("https://{}", *host))) {
    return std::nullopt;
  }
  return json_response(403, {{"error", fmt::format("an action from the page of another origin "
                                                   "({}) is refused",
                                                   printable_value(*origin))},
                             {"parameter", "Origin"}});
}

nlohmann::json model_json(const ModelInfo& model) {
  // null: the risk is the raw one.
  nlohmann::json recalibration = nullptr;
  if (model.recalibration_digest) {
    recalibration = {{"maps", model.recalibration.value_or("")},
                     {"digest", *model.recalibration_digest}};
  }
  return {{"name", model.name},
          {"version", model.version},
          {"settings_digest", model.settings_digest},
          {"recalibration", std::move(recalibration)},
          {"verification",
           {{"status", model.verification.status}, {"detail", model.verification.detail}}}};
}

HttpResponse route(const DashboardSources& sources, const HttpRequest& request,
                   const std::vector<std::string>& s) {
  const bool is_read = request.method == "GET" || request.method == "HEAD";
  const auto query = request.query();
  if (s.size() == 1 && s[0] == "model") {
    if (!is_read) return method_not_allowed("GET, HEAD");
    (void)ApiQuery(query, {});
    return json_response(200, model_json(sources.model));
  }
  if (s.size() == 1 && s[0] == "patients") {
    if (!is_read) return method_not_allowed("GET, HEAD");
    return json_response(200, patients_json(sources, query));
  }
  if (s.size() == 3 && s[0] == "patients") {
    if (!is_read) return method_not_allowed("GET, HEAD");
    if (s[2] == "vitals") return json_response(200, vitals_json(sources, s[1], query));
    if (s[2] == "forecast") return json_response(200, forecast_json(sources, s[1], query));
    if (s[2] == "parameters") return json_response(200, parameters_json(sources, s[1], query));
  }
  if (s.size() == 1 && s[0] == "alerts") {
    if (!is_read) return method_not_allowed("GET, HEAD");
    return json_response(200, alerts_json(sources, query));
  }
  if (s.size() == 3 && s[0] == "alerts" && (s[2] == "acknowledge" || s[2] == "snooze")) {
    if (request.method != "POST") return method_not_allowed("POST");
    if (auto refused = refuse_cross_origin(request)) return *refused;
    auto response = act_on_alert(sources, s[1], s[2], request);
    response.headers["Cache-Control"] = "no-store";
    return response;
  }
  return not_found(request.path());
}

}  // namespace

std::optional<HttpResponse> answer_dashboard_api(const DashboardSources& sources,
                                                 const HttpRequest& request) {
  const auto path = request.path();
  if (path.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  try {
    return route(sources, request, segments_of(path.substr(kPrefix.size())));
  } catch (const InputError& e) {
    return json_response(
        e.http_status(),
        {{"error", e.what()}, {"parameter", e.where()}, {"value", e.value()}, {"rule", e.rule()}});
  }
}

}  // namespace ptwin::server::dashboard
