// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/fhir/detected_issue_writer.hpp"

#include <fmt/format.h>

#include <chrono>

#include "ptwin/clinical/fhir/output_codes.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::clinical::fhir {

std::string detected_issue_id(std::string_view patient, std::string_view rule,
                              std::uint64_t alert_id) {
  return output_id("alert", fmt::format("alert|{}|{}|{}", patient, rule, alert_id));
}

nlohmann::json write_detected_issue(const DetectedIssueInput& in) {
  using nlohmann::json;
  const auto& n = in.notification;
  if (n.patient.empty()) {
    throw InputError(ErrorCode::MissingField, "detected issue: notification.patient", "",
                     "must name the FHIR Patient");
  }
  if (n.rule.empty()) {
    throw InputError(ErrorCode::MissingField, "detected issue: notification.rule", "",
                     "must name the alert rule");
  }
  const auto id = detected_issue_id(n.patient, n.rule, n.alert_id);
  const bool is_cleared = n.kind == alerts::NotificationKind::Cleared;
  json out{
      {"resourceType", "DetectedIssue"},
      {"id", id},
      {"identifier", json::array({{{"system", kIdentifierSystem}, {"value", id}}})},
      {"status", is_cleared ? "mitigated" : "final"},
      {"code",
       {{"coding", json::array({{{"system", kCodeSystem},
                                 {"code", "alert-" + n.rule},
                                 {"display", in.rule_description}}})},
        {"text", in.rule_description}}},
      {"severity", n.level >= 2 ? "high" : "moderate"},
      {"subject", {{"reference", "Patient/" + n.patient}}},
      {"identifiedDateTime", time::format_iso8601(n.time)},
      {"author", model_device_reference(in.provenance.model)},
      {"detail", fmt::format("Alert {} ({}), level {}: {}; value {:.3g}", n.alert_id,
                             alerts::to_string(n.kind), n.level, in.rule_description, n.value)}};
  for (const auto& a : in.acknowledgements) {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(a.snooze).count();
    out["mitigation"].push_back(
        {{"action",
          {{"coding", json::array({{{"system", kCodeSystem},
                                    {"code", "alert-acknowledged"},
                                    {"display", "Alert acknowledged"}}})},
           {"text", fmt::format("Alert acknowledged; snoozed for {} min", minutes)}}},
         {"date", time::format_iso8601(a.at)},
         {"author", {{"display", a.by}}},
         {"note",
          json::array({{{"text", fmt::format("Acknowledged by {}; the alert is quiet until {} "
                                             "(data time) unless the risk worsens",
                                             a.by, time::format_iso8601(a.snoozed_until))}}})}});
  }
  if (in.evidence) {
    out["evidence"] = json::array({{{"detail", json::array({{{"reference", *in.evidence}}})}}});
  }
  stamp_model_provenance(out, in.provenance);
  return out;
}

}  // namespace ptwin::clinical::fhir
