// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/alerts/hypotension_alert_study.hpp"

#include <fmt/format.h>

#include "ptwin/clinical/alerts/alert_policy.hpp"
#include "ptwin/clinical/alerts/naive_threshold_rule.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin::clinical::alerts {
namespace {

using twin::cohort::SyntheticPatient;

AlertRule risk_rule(double raise, double gap, std::chrono::seconds minimum) {
  AlertRule rule;
  rule.name = "hypotension_risk";
  rule.signal = kRiskSignal;
  rule.direction = AlertDirection::Above;
  rule.raise_threshold = raise;
  rule.clear_threshold = raise - gap;
  rule.minimum_duration = minimum;
  return rule;
}

AlertRule map_backstop(double raise_pa, double clear_pa) {
  AlertRule rule;
  rule.name = "hypotension_map";
  rule.signal = kMapSignal;
  rule.direction = AlertDirection::Below;
  rule.raise_threshold = raise_pa;
  rule.clear_threshold = clear_pa;
  return rule;
}

AlertEvaluation evaluate_naive(double threshold_pa, std::span<const PatientRecord> records,
                               std::chrono::nanoseconds lead_window) {
  NaiveThresholdRule rule("naive", kMapSignal, AlertDirection::Below, threshold_pa);
  return evaluate_alerts(rule, records, lead_window);
}

// True when `a` is the better choice: reaches the target where `b` does not, then fewer alerts,
// then more sensitive. Below the target: more sensitive, then fewer alerts.
bool is_better(const AlertEvaluation& a, const AlertEvaluation& b, double target) {
  const bool a_reaches = a.sensitivity >= target, b_reaches = b.sensitivity >= target;
  if (a_reaches != b_reaches) return a_reaches;
  if (a_reaches) {
    if (a.alerts != b.alerts) return a.alerts < b.alerts;
    return a.sensitivity > b.sensitivity;
  }
  if (a.sensitivity != b.sensitivity) return a.sensitivity > b.sensitivity;
  return a.alerts < b.alerts;
}

void check(const std::vector<SyntheticPatient>& cohort, const HypotensionAlertStudySettings& s) {
  if (cohort.size() < 2) {
    throw InputError(ErrorCode::BadInput, "cohort", fmt::format("{} patients", cohort.size()),
                     "needs at least two patients (one to choose the rule, one to test)");
  }
  if (s.lead_window.count() <= 0) {
    throw InputError(ErrorCode::BadInput, "lead_window", fmt::format("{} s", s.lead_window.count()),
                     "must be positive");
  }
  const auto& c = s.candidates;
  if (c.raise_thresholds.empty() || c.clear_gaps.empty() || c.minimum_durations.empty()) {
    throw InputError(ErrorCode::BadInput, "candidates", "an empty list",
                     "give at least one raise threshold, clear gap and minimum duration");
  }
  if (c.try_map_backstop && !(c.backstop_clear_pa > s.naive_reference_threshold_pa)) {
    throw InputError(ErrorCode::BadInput, "candidates.backstop_clear_pa",
                     fmt::format("{} Pa", c.backstop_clear_pa),
                     "must be above the naive reference threshold (the backstop's raise level)");
  }
  for (const double gap : c.clear_gaps) {
    if (!(gap > 0.0)) {
      throw InputError(ErrorCode::BadInput, "candidates.clear_gaps", fmt::format("{}", gap),
                       "must be > 0: the clear threshold lies below the raise threshold");
    }
  }
}

}  // namespace

HypotensionAlertStudy run_hypotension_alert_study(const std::vector<SyntheticPatient>& cohort,
                                                  const HypotensionAlertStudySettings& settings) {
  check(cohort, settings);
  std::vector<SyntheticPatient> training, test;
  for (std::size_t p = 0; p < cohort.size(); ++p) (p % 2 == 0 ? training : test).push_back(cohort[p]);
  const auto training_records = hypotension_alert_records(training, settings.records);
  const auto test_records = hypotension_alert_records(test, settings.records);

  HypotensionAlertStudy study;
  study.training_patients = training.size();
  study.test_patients = test.size();
  study.training_naive_reference =
      evaluate_naive(settings.naive_reference_threshold_pa, training_records, settings.lead_window);
  study.target_sensitivity =
      settings.target_sensitivity.value_or(study.training_naive_reference.sensitivity);
  const auto& c = settings.candidates;
  std::vector<std::vector<AlertRule>> candidates;
  for (const double raise : c.raise_thresholds) {
    for (const double gap : c.clear_gaps) {
      for (const auto minimum : c.minimum_durations) {
        candidates.push_back({risk_rule(raise, gap, minimum)});
        if (c.try_map_backstop) {
          candidates.push_back({risk_rule(raise, gap, minimum),
                                map_backstop(settings.naive_reference_threshold_pa, c.backstop_clear_pa)});
        }
      }
    }
  }
  for (auto& rules : candidates) {
    AlertPolicy policy(rules);
    const AlertEvaluation e = evaluate_alerts(policy, training_records, settings.lead_window);
    ++study.candidates_tried;
    if (study.rules.empty() || is_better(e, study.training_policy, study.target_sensitivity)) {
      study.rules = std::move(rules);
      study.training_policy = e;
    }
  }
  study.is_target_reached = study.training_policy.sensitivity >= study.target_sensitivity;

  NaiveThresholdSweep sweep{.signal = kMapSignal, .direction = AlertDirection::Below,
                            .thresholds = settings.naive_thresholds_pa};
  if (sweep.thresholds.empty()) {
    for (int half_mmhg = 110; half_mmhg <= 150; ++half_mmhg) {
      sweep.thresholds.push_back(0.5 * half_mmhg * units::kPaPerMmHg);
    }
  }
  study.test = compare_at_equal_sensitivity(study.rules, sweep, test_records, settings.lead_window);
  study.test_naive_reference =
      evaluate_naive(settings.naive_reference_threshold_pa, test_records, settings.lead_window);
  return study;
}

}  // namespace ptwin::clinical::alerts
