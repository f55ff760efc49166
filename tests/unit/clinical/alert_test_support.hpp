// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared by the alert tests: times in minutes from a fixed instant, samples, rules.

#include <chrono>
#include <string>
#include <vector>

#include "ptwin/clinical/alerts/alert_policy.hpp"
#include "ptwin/core/time.hpp"

namespace ptwin::clinical::alerts::testing {

inline time::Instant at_minute(double minutes) {
  static const time::Instant start = time::parse_iso8601("2024-05-01T00:00:00Z");
  return start + std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::duration<double, std::ratio<60>>(minutes));
}

inline SignalSample risk(double minutes, double value, std::string patient = "p1") {
  return SignalSample{at_minute(minutes), std::move(patient), "risk", value};
}

/// A risk rule with binary-exact thresholds: raise at 0.5, clear at 0.25 (direction above).
inline AlertRule risk_rule() {
  AlertRule rule;
  rule.name = "risk_high";
  rule.signal = "risk";
  rule.direction = AlertDirection::Above;
  rule.raise_threshold = 0.5;
  rule.clear_threshold = 0.25;
  return rule;
}

/// Feeds samples, returns the notifications.
inline std::vector<AlertNotification> feed(AlertSource& source,
                                           const std::vector<SignalSample>& samples) {
  std::vector<AlertNotification> out;
  for (const auto& sample : samples) source.observe(sample, out);
  return out;
}

}  // namespace ptwin::clinical::alerts::testing
