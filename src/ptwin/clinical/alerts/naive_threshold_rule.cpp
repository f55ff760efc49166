// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/alerts/naive_threshold_rule.hpp"

#include <fmt/format.h>

#include <cmath>
#include <utility>

#include "ptwin/core/error.hpp"

namespace ptwin::clinical::alerts {

NaiveThresholdRule::NaiveThresholdRule(std::string name, std::string signal,
                                       AlertDirection direction, double threshold)
    : name_(std::move(name)), signal_(std::move(signal)), direction_(direction),
      threshold_(threshold) {
  if (signal_.empty()) {
    throw InputError(ErrorCode::MissingField, "naive_rule.signal", "",
                     "name the signal the rule watches");
  }
  if (!std::isfinite(threshold)) {
    throw InputError(ErrorCode::BadInput, "naive_rule.threshold", fmt::format("{}", threshold),
                     "must be a finite SI value");
  }
}

void NaiveThresholdRule::observe(const SignalSample& sample,
                                 std::vector<AlertNotification>& out) {
  if (sample.signal != signal_) return;
  const bool is_breach = direction_ == AlertDirection::Above ? sample.value >= threshold_
                                                             : sample.value <= threshold_;
  auto [at, is_new] = is_in_breach_.try_emplace(sample.patient, false);
  if (is_breach && !at->second) {
    out.push_back(AlertNotification{.kind = NotificationKind::Raised,
                                    .time = sample.time,
                                    .patient = sample.patient,
                                    .rule = name_,
                                    .level = 1,
                                    .value = sample.value,
                                    .alert_id = next_alert_id_++});
  }
  at->second = is_breach;
}

}  // namespace ptwin::clinical::alerts
