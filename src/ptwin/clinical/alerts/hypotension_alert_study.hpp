// SPDX-License-Identifier: Apache-2.0
#pragma once
// The anti-fatigue alert policy on the live twin's hypotension risk against the naive rule on
// the monitor's MAP, on the synthetic hypotension cohort (hypotension_alert_records.hpp).
//
// The policy is a rule on the risk, optionally with a backstop rule on the MAP itself (raise at
// the naive threshold, clear only at a higher one: one alert per low-MAP episode instead of one
// per crossing), for the events the risk does not warn of.
// Split as in the hypotension evaluation (vv::evaluate_hypotension_prediction): the policy's
// rules (raise and clear thresholds on the risk, minimum duration, backstop or not) are chosen on the training
// patients (even indices) only, as the candidate with the fewest alerts among those whose
// training sensitivity reaches the target (by default the training sensitivity of the naive
// rule at 65 mmHg; when no candidate reaches it, the most sensitive one). Every reported figure
// is on the test patients (odd indices): the policy, the naive rule at exactly the reference
// threshold ("current MAP <= 65 mmHg"), and the naive rule at equal sensitivity
// (compare_at_equal_sensitivity: the naive threshold, swept on the test patients, with the
// fewest alerts among those at least as sensitive as the policy; this favours the baseline).
// Sensitivity and lead time are per event, with the definitions of alert_evaluation.hpp.

#include <chrono>
#include <optional>
#include <vector>

#include "ptwin/clinical/alerts/alert_evaluation.hpp"
#include "ptwin/clinical/alerts/hypotension_alert_records.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin::clinical::alerts {

struct RiskRuleCandidates {
  std::vector<double> raise_thresholds{0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  std::vector<double> clear_gaps{0.1, 0.25};  // clear = raise - gap (the hysteresis band)
  std::vector<std::chrono::seconds> minimum_durations{
      std::chrono::seconds(0), std::chrono::seconds(40), std::chrono::seconds(80),
      std::chrono::seconds(160)};
  /// Also try each risk rule with the MAP backstop (raise at the naive reference threshold,
  /// clear at `backstop_clear_pa`, no minimum duration).
  bool try_map_backstop = false;
  double backstop_clear_pa = 70.0 * units::kPaPerMmHg;
};

struct HypotensionAlertStudySettings {
  HypotensionAlertRecordSettings records;
  std::chrono::seconds lead_window{std::chrono::minutes(15)};
  RiskRuleCandidates candidates;
  std::optional<double> target_sensitivity;  // none: the naive reference's, on training
  double naive_reference_threshold_pa = 65.0 * units::kPaPerMmHg;
  std::vector<double> naive_thresholds_pa;  // empty: 55 to 75 mmHg in 0.5 mmHg steps
};

struct HypotensionAlertStudy {
  std::size_t training_patients = 0;
  std::size_t test_patients = 0;
  std::size_t candidates_tried = 0;
  double target_sensitivity = 0.0;
  bool is_target_reached = false;  // on training
  std::vector<AlertRule> rules;    // the chosen policy: the risk rule, and the backstop if chosen
  AlertEvaluation training_policy;
  AlertEvaluation training_naive_reference;
  AlertEvaluation test_naive_reference;  // naive at the reference threshold, test patients
  EqualSensitivityComparison test;       // policy and naive at equal sensitivity, test patients
};

/// Throws InputError(BadInput) naming "cohort" (fewer than two patients), "lead_window",
/// "candidates" (an empty list or a clear threshold that makes no band),
/// "candidates.backstop_clear_pa" (not above the naive reference) and as the records.
[[nodiscard]] HypotensionAlertStudy run_hypotension_alert_study(
    const std::vector<twin::cohort::SyntheticPatient>& cohort,
    const HypotensionAlertStudySettings& settings);

}  // namespace ptwin::clinical::alerts
