// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/dashboard/alert_routes.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>

#include "ptwin/clinical/fhir/detected_issue_writer.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/server/dashboard/api_query.hpp"

namespace ptwin::server::dashboard {
namespace {

using clinical::alerts::AlertState;

std::int64_t epoch_ms(time::Instant t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// The page's word for a state: an idle episode is one that has cleared.
std::string_view state_name(AlertState state) {
  return state == AlertState::Idle ? "cleared" : clinical::alerts::to_string(state);
}

HttpResponse json_response(int status, const nlohmann::json& body) {
  return HttpResponse::with_body(status, "application/json", body.dump());
}

std::uint64_t alert_id(std::string_view text) {
  std::uint64_t id = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, id);
  if (text.empty() || ec != std::errc() || ptr != end) {
    throw InputError(ErrorCode::BadInput, "alert id", printable_value(text),
                     "must be the decimal id of an alert (GET /api/alerts lists them)");
  }
  return id;
}

}  // namespace

nlohmann::json alert_json(const RiskAlert& a) {
  const auto optional_ms = [](const std::optional<time::Instant>& t) {
    return t ? nlohmann::json(epoch_ms(*t)) : nlohmann::json();
  };
  return {{"id", a.id},
          {"patient", a.patient},
          {"rule", a.rule},
          {"state", state_name(a.state)},
          {"level", a.level},
          {"value", a.value},
          {"raised_at", epoch_ms(a.raised_at)},
          {"changed_at", epoch_ms(a.changed_at)},
          {"last_event", a.last_event},
          {"acknowledged_by",
           a.acknowledged_by ? nlohmann::json(*a.acknowledged_by) : nlohmann::json()},
          {"acknowledged_at", optional_ms(a.acknowledged_at)},
          {"snoozed_until", optional_ms(a.snoozed_until)},
          // The same episode as written to the EHR (with serve.fhir_outputs).
          {"detected_issue",
           "DetectedIssue/" + clinical::fhir::detected_issue_id(a.patient, a.rule, a.id)}};
}

nlohmann::json alerts_json(const DashboardSources& sources, std::string_view query) {
  const ApiQuery checked(query, {"patient", "state"});
  const auto patient = checked.text("patient");
  const auto state = checked.text("state");
  if (state && *state != "open" && *state != "snoozed" && *state != "cleared") {
    throw InputError(ErrorCode::BadInput, "state", printable_value(*state),
                     "must be open, snoozed or cleared");
  }
  nlohmann::json alerts = nlohmann::json::array();
  for (const auto& a : sources.alerts.alerts()) {
    if (patient && a.patient != *patient) continue;
    if (state && state_name(a.state) != *state) continue;
    alerts.push_back(alert_json(a));
  }
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& r : sources.alerts.rules()) {
    rules.push_back(
        {{"name", r.name},
         {"signal", r.signal},
         {"direction", clinical::alerts::to_string(r.direction)},
         {"raise_threshold", r.raise_threshold},
         {"clear_threshold", r.clear_threshold},
         {"snooze_s", std::chrono::duration_cast<std::chrono::seconds>(r.snooze).count()}});
  }
  return {{"alerts", std::move(alerts)}, {"rules", std::move(rules)}};
}

HttpResponse act_on_alert(const DashboardSources& sources, std::string_view id_text,
                          std::string_view action, const HttpRequest& request) {
  const bool is_snooze = action == "snooze";
  const ApiQuery query =
      is_snooze ? ApiQuery(request.query(), {"minutes", "by"}) : ApiQuery(request.query(), {"by"});
  const auto id = alert_id(id_text);
  std::optional<std::chrono::nanoseconds> snooze;
  if (is_snooze) {
    const auto minutes = query.integer("minutes", 1, 24 * 60);
    if (!minutes) {
      throw InputError(ErrorCode::BadInput, "minutes", "",
                       "is required: how long to snooze, 1 to 1440");
    }
    snooze = std::chrono::minutes(*minutes);
  }
  // No sign-in yet: the acknowledger is who the page says, else the client's address.
  const auto who = query.text("by").value_or(fmt::format("dashboard@{}", request.remote_address));
  switch (sources.alerts.acknowledge(id, who, snooze)) {
    case AlertActionOutcome::Done:
      return json_response(200, alert_json(*sources.alerts.find(id)));
    case AlertActionOutcome::NotFound:
      return json_response(404,
                           {{"error", fmt::format("no alert {}", id)}, {"parameter", "alert id"}});
    case AlertActionOutcome::NotOpen:
      break;
  }
  const auto alert = sources.alerts.find(id);
  return json_response(409, {{"error", fmt::format("alert {} is {}: only an open alert can be {}d",
                                                   id, state_name(alert->state), action)},
                             {"alert", alert_json(*alert)}});
}

}  // namespace ptwin::server::dashboard
