// SPDX-License-Identifier: Apache-2.0
#pragma once
// Offline evaluation of an alert source on labelled series: how many alerts it sends and how
// many events it warns of in time.
//
// - alerts: notifications that interrupt someone (Raised, Reraised); escalations are counted
//   apart. alerts per patient-day = alerts / sum over patients of (last - first sample time).
// - sensitivity: the fraction of ground-truth events with at least one alert in
//   [onset - lead_window, onset] (an alert at the onset sample itself counts, with lead 0).
// - lead time of a detected event: onset - the earliest such alert; the median is over the
//   detected events.
// - equal-sensitivity comparison: the naive rule is swept over candidate thresholds; among
//   those whose sensitivity is at least the policy's, the one with the fewest alerts is the
//   naive rule "at equal sensitivity", and alert_ratio = policy alerts / its alerts.

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ptwin/clinical/alerts/alert_rule.hpp"
#include "ptwin/clinical/alerts/alert_source.hpp"
#include "ptwin/vv/metrics/event_intervals.hpp"

namespace ptwin::clinical::alerts {

// Ground truth intervals are the validation module's (vv/metrics/event_intervals.hpp).
using EventInterval = vv::EventInterval;

struct PatientRecord {
  std::string patient;
  std::vector<SignalSample> samples;  // in time order
  std::vector<EventInterval> events;  // ground truth
};

struct AlertEvaluation {
  std::size_t alerts = 0;       // Raised + Reraised
  std::map<std::string, std::size_t, std::less<>> alerts_by_rule;  // the same, per rule name
  std::size_t escalations = 0;
  std::size_t events = 0;
  std::size_t detected_events = 0;
  double sensitivity = 0.0;     // detected / events (0 when there are no events)
  double patient_days = 0.0;
  double alerts_per_patient_day = 0.0;
  std::vector<std::chrono::nanoseconds> lead_times;  // one per detected event
  std::optional<std::chrono::nanoseconds> median_lead_time;  // absent when none detected
};

/// Feeds every record's samples (patient by patient) to `source` and scores its notifications.
/// Throws InputError(BadInput) naming "lead_window" (< 0) or "records" (no time covered).
[[nodiscard]] AlertEvaluation evaluate_alerts(AlertSource& source,
                                              std::span<const PatientRecord> records,
                                              std::chrono::nanoseconds lead_window);

struct NaiveThresholdSweep {
  std::string signal;
  AlertDirection direction = AlertDirection::Below;
  std::vector<double> thresholds;  // candidates, SI
};

struct EqualSensitivityComparison {
  AlertEvaluation policy;
  AlertEvaluation naive;         // the naive rule at equal sensitivity (if is_matched)
  double naive_threshold = 0.0;
  bool is_matched = false;       // some candidate reached the policy's sensitivity
  double alert_ratio = 0.0;      // policy.alerts / naive.alerts (if is_matched)
  std::vector<std::pair<double, AlertEvaluation>> sweep;  // every candidate, in order
};

/// Evaluates a fresh AlertPolicy of `rules` (no acknowledgements: nobody answers) and the naive
/// rule at each candidate threshold on the same records.
/// Throws as AlertPolicy and evaluate_alerts, and InputError naming "naive.thresholds" when
/// empty.
[[nodiscard]] EqualSensitivityComparison compare_at_equal_sensitivity(
    const std::vector<AlertRule>& rules, const NaiveThresholdSweep& naive,
    std::span<const PatientRecord> records, std::chrono::nanoseconds lead_window);

}  // namespace ptwin::clinical::alerts
