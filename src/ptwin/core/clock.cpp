// SPDX-License-Identifier: Apache-2.0
#include "ptwin/core/clock.hpp"

#include "ptwin/core/assert.hpp"

namespace ptwin::time {

Instant SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

Instant ManualClock::advance(std::chrono::nanoseconds step) {
  PTWIN_ASSERT(step >= std::chrono::nanoseconds{0}, "ManualClock::advance needs a step >= 0");
  Instant current = now_.load();
  while (!now_.compare_exchange_weak(current, current + step)) {
  }
  return current + step;
}

}  // namespace ptwin::time
