// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/alerts/alert_evaluation.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ptwin/clinical/alerts/alert_policy.hpp"
#include "ptwin/clinical/alerts/naive_threshold_rule.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::clinical::alerts {
namespace {

constexpr double kSecondsPerDay = 86400.0;

// The earliest alert in [from, to], if any.
std::optional<time::Instant> first_alert_in(const std::vector<time::Instant>& alert_times,
                                            time::Instant from, time::Instant to) {
  const auto first = std::lower_bound(alert_times.begin(), alert_times.end(), from);
  if (first == alert_times.end() || *first > to) return std::nullopt;
  return *first;
}

std::chrono::nanoseconds median(std::vector<std::chrono::nanoseconds> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

AlertEvaluation evaluate_alerts(AlertSource& source, std::span<const PatientRecord> records,
                                std::chrono::nanoseconds lead_window) {
  if (lead_window.count() < 0) {
    throw InputError(ErrorCode::BadInput, "lead_window",
                     fmt::format("{} s", std::chrono::duration<double>(lead_window).count()),
                     "must be >= 0 s");
  }
  AlertEvaluation result;
  std::vector<AlertNotification> notifications;
  std::vector<time::Instant> alert_times;
  double covered_s = 0.0;
  for (const auto& record : records) {
    notifications.clear();
    for (const auto& sample : record.samples) source.observe(sample, notifications);
    alert_times.clear();
    for (const auto& notification : notifications) {
      if (is_interruption(notification.kind)) {
        alert_times.push_back(notification.time);
        ++result.alerts_by_rule[notification.rule];
      }
      if (notification.kind == NotificationKind::Escalated) ++result.escalations;
    }
    result.alerts += alert_times.size();
    std::sort(alert_times.begin(), alert_times.end());
    for (const auto& event : record.events) {
      ++result.events;
      if (const auto first = first_alert_in(alert_times, event.onset - lead_window, event.onset)) {
        ++result.detected_events;
        result.lead_times.push_back(event.onset - *first);
      }
    }
    if (record.samples.size() >= 2) {
      covered_s += std::chrono::duration<double>(record.samples.back().time -
                                                 record.samples.front().time)
                       .count();
    }
  }
  if (!(covered_s > 0.0)) {
    throw InputError(ErrorCode::BadInput, "records", fmt::format("{} records", records.size()),
                     "cover no time: give each patient at least two samples");
  }
  result.patient_days = covered_s / kSecondsPerDay;
  result.alerts_per_patient_day = static_cast<double>(result.alerts) / result.patient_days;
  if (!result.lead_times.empty()) result.median_lead_time = median(result.lead_times);
  result.sensitivity = result.events == 0 ? 0.0
                                          : static_cast<double>(result.detected_events) /
                                                static_cast<double>(result.events);
  return result;
}

EqualSensitivityComparison compare_at_equal_sensitivity(const std::vector<AlertRule>& rules,
                                                        const NaiveThresholdSweep& naive,
                                                        std::span<const PatientRecord> records,
                                                        std::chrono::nanoseconds lead_window) {
  if (naive.thresholds.empty()) {
    throw InputError(ErrorCode::MissingField, "naive.thresholds", "",
                     "give at least one candidate threshold for the naive rule");
  }
  EqualSensitivityComparison comparison;
  AlertPolicy policy(rules);
  comparison.policy = evaluate_alerts(policy, records, lead_window);
  for (const double threshold : naive.thresholds) {
    NaiveThresholdRule rule("naive", naive.signal, naive.direction, threshold);
    const AlertEvaluation evaluation = evaluate_alerts(rule, records, lead_window);
    comparison.sweep.emplace_back(threshold, evaluation);
    const bool is_candidate = evaluation.sensitivity >= comparison.policy.sensitivity;
    if (is_candidate && (!comparison.is_matched || evaluation.alerts < comparison.naive.alerts)) {
      comparison.is_matched = true;
      comparison.naive = evaluation;
      comparison.naive_threshold = threshold;
    }
  }
  if (comparison.is_matched && comparison.naive.alerts > 0) {
    comparison.alert_ratio = static_cast<double>(comparison.policy.alerts) /
                             static_cast<double>(comparison.naive.alerts);
  }
  return comparison;
}

}  // namespace ptwin::clinical::alerts
