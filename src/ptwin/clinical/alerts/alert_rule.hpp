// SPDX-License-Identifier: Apache-2.0
#pragma once
// The configuration of one alert rule of the anti-fatigue policy (alert_policy.hpp).
//
// direction Above: the signal is in breach when value >= raise_threshold and the alert clears
//   when value <= clear_threshold (clear_threshold < raise_threshold: the hysteresis band).
// direction Below: in breach when value <= raise_threshold, clears when value >=
//   clear_threshold (clear_threshold > raise_threshold).
// A value exactly at a threshold counts as reaching it.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace ptwin::clinical::alerts {

enum class AlertDirection { Above, Below };

[[nodiscard]] constexpr std::string_view to_string(AlertDirection direction) {
  return direction == AlertDirection::Above ? "above" : "below";
}

struct AlertRule {
  std::string name;    // unique within a policy, e.g. "hypotension"
  std::string signal;  // the SignalSample::signal it watches
  AlertDirection direction = AlertDirection::Above;
  double raise_threshold = 0.0;  // SI, in the signal's unit
  double clear_threshold = 0.0;  // SI
  /// How long the signal must stay in breach (sample to sample) before the alert is raised.
  std::chrono::nanoseconds minimum_duration{0};
  /// Snooze applied by acknowledge() unless the call gives its own (> 0).
  std::chrono::nanoseconds snooze{std::chrono::minutes(30)};
  /// During a snooze, re-alert when the value is worse than at acknowledgement by at least
  /// this much (SI, > 0). None: re-alert only when the snooze has expired.
  std::optional<double> worsening_margin;
  /// An unacknowledged alert goes up one level after this long at its level (> 0). None: no
  /// escalation.
  std::optional<std::chrono::nanoseconds> escalate_after;
  /// Highest level (>= 1); an alert is raised at level 1.
  int max_level = 3;
};

/// True when `value` is in breach of `rule` (reaches the raise threshold).
[[nodiscard]] bool is_breach(const AlertRule& rule, double value);
/// True when `value` clears `rule` (reaches the clear threshold).
[[nodiscard]] bool is_clear(const AlertRule& rule, double value);
/// True when `value` is worse than `reference` by at least the rule's worsening margin.
[[nodiscard]] bool is_worse(const AlertRule& rule, double value, double reference);

/// Checks a rule. Throws InputError(BadInput | MissingField) whose `where` is
/// "alert_rules.<name>.<field>" (or "alert_rules[<index>].name" for a missing name) and whose
/// message gives the value and what to do.
void validate_alert_rule(const AlertRule& rule, std::size_t index);

}  // namespace ptwin::clinical::alerts
