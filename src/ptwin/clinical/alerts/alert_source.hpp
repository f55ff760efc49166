// SPDX-License-Identifier: Apache-2.0
#pragma once
// Anything that turns a stream of signal samples into alert notifications: the anti-fatigue
// policy and the naive threshold baseline, so that one evaluation serves both.

#include <vector>

#include "ptwin/clinical/alerts/alert_notification.hpp"
#include "ptwin/clinical/alerts/signal_sample.hpp"

namespace ptwin::clinical::alerts {

class AlertSource {
 public:
  virtual ~AlertSource() = default;
  AlertSource() = default;
  AlertSource(const AlertSource&) = delete;
  AlertSource& operator=(const AlertSource&) = delete;
  AlertSource(AlertSource&&) = delete;
  AlertSource& operator=(AlertSource&&) = delete;

  /// Feeds one sample; appends the notifications it causes to `out`. Samples of one patient
  /// must come in time order.
  virtual void observe(const SignalSample& sample, std::vector<AlertNotification>& out) = 0;
};

}  // namespace ptwin::clinical::alerts
