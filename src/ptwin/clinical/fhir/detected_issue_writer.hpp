// SPDX-License-Identifier: Apache-2.0
#pragma once
// Alerts of the anti-fatigue policy (clinical/alerts) as FHIR R5 DetectedIssue
// (docs/clinical.md#detectedissue): one resource per alert episode (alert id), updated as the
// alert is raised, re-raised, escalated and cleared. status (R5 detectedissue-status) is
// "final" while the alert stands and "mitigated" once it cleared; severity follows the level
// (1 moderate, >= 2 high); identifiedDateTime is the notification time; author is the model's
// Device; evidence.detail the RiskAssessment that breached the rule, where known; detail says
// what happened in words. Each acknowledgement of the episode on the dashboard is a mitigation
// entry (R5 DetectedIssue.mitigation: "an action that has been taken ... to reduce or eliminate
// the likelihood of the risk ... manifesting"): action (ptwin code alert-acknowledged, with the
// snooze in its text), date (when it was clicked), author (Reference.display: the user the
// request named; no Practitioner resource is known for them) and a note with the snooze's end.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/clinical/alerts/alert_notification.hpp"
#include "ptwin/clinical/fhir/model_provenance.hpp"

namespace ptwin::clinical::fhir {

struct DetectedIssueInput {
  alerts::AlertNotification notification;
  std::string rule_description;         // e.g. "15-min hypotension risk >= 0.5"
  std::optional<std::string> evidence;  // literal reference, e.g. "RiskAssessment/risk-..."
  ModelProvenance provenance;
  std::vector<alerts::AlertAcknowledgement> acknowledgements;  // of this episode, in order
};

/// The id of the DetectedIssue of one alert episode: what write_detected_issue gives it, and
/// what the dashboard shows beside the alert (the same episode).
[[nodiscard]] std::string detected_issue_id(std::string_view patient, std::string_view rule,
                                            std::uint64_t alert_id);

/// The DetectedIssue of the notification's alert episode (id from patient, rule, alert id).
/// Throws InputError naming the field for an empty patient or rule.
[[nodiscard]] nlohmann::json write_detected_issue(const DetectedIssueInput& input);

}  // namespace ptwin::clinical::fhir
