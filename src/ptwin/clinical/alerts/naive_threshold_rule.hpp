// SPDX-License-Identifier: Apache-2.0
#pragma once
// The baseline the policy is judged against: alert at every crossing into breach of one
// threshold, with no hysteresis, duration, de-duplication window or snooze. A value exactly at
// the threshold is in breach (as in AlertRule). The first sample of a patient that is in
// breach counts as a crossing.

#include <string>
#include <unordered_map>

#include "ptwin/clinical/alerts/alert_rule.hpp"
#include "ptwin/clinical/alerts/alert_source.hpp"

namespace ptwin::clinical::alerts {

class NaiveThresholdRule final : public AlertSource {
 public:
  /// Throws InputError(BadInput) naming "naive_rule.threshold" for a non-finite threshold and
  /// "naive_rule.signal" when empty.
  NaiveThresholdRule(std::string name, std::string signal, AlertDirection direction,
                     double threshold);

  /// Appends a Raised notification at each crossing into breach.
  void observe(const SignalSample& sample, std::vector<AlertNotification>& out) override;

 private:
  std::string name_;
  std::string signal_;
  AlertDirection direction_;
  double threshold_;
  std::unordered_map<std::string, bool> is_in_breach_;  // per patient
  std::uint64_t next_alert_id_ = 1;
};

}  // namespace ptwin::clinical::alerts
