// SPDX-License-Identifier: Apache-2.0
#include "stop_signals.hpp"

#include <pthread.h>

#include <algorithm>
#include <cstdint>

namespace ptwin::app {

StopSignals::StopSignals() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
}

std::optional<int> StopSignals::wait_for(std::chrono::nanoseconds timeout) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  const timespec limit{.tv_sec = static_cast<time_t>(std::max<std::int64_t>(0, seconds.count())),
                       .tv_nsec = static_cast<long>(std::max<std::int64_t>(0, (timeout - seconds).count()))};
  const int received = sigtimedwait(&signals_, nullptr, &limit);
  if (received > 0) return received;
  return std::nullopt;  // EAGAIN: the time ran out; EINTR: another signal, checked again later
}

int StopSignals::wait() {
  int received = 0;
  sigwait(&signals_, &received);
  return received;
}

}  // namespace ptwin::app
