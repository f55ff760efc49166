// SPDX-License-Identifier: Apache-2.0
#pragma once
// One value of a monitored signal for one patient: what an alert rule is fed. Values are SI
// (a MAP in Pa, a risk as a probability in [0, 1]); conversion from display units happens at
// the edge (STYLE.md §5).

#include <string>

#include "ptwin/core/time.hpp"

namespace ptwin::clinical::alerts {

struct SignalSample {
  time::Instant time;
  std::string patient;  // pseudonymous id
  std::string signal;   // what the value is, e.g. "map" or a LOINC code such as "8478-0"
  double value = 0.0;   // SI
};

}  // namespace ptwin::clinical::alerts
