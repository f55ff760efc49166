// SPDX-License-Identifier: Apache-2.0
#pragma once
// SIGINT and SIGTERM for the long-running commands (`fhir-serve`, `serve`, `demo`):
// blocked in every thread from construction on, so that only wait() receives
// them and shutdown runs in order on the main thread. Construct before any
// thread starts: threads inherit the signal mask.

#include <chrono>
#include <csignal>
#include <optional>

namespace ptwin::app {

class StopSignals {
 public:
  StopSignals();
  /// Blocks until SIGINT or SIGTERM arrives; returns its number.
  [[nodiscard]] int wait();
  /// Waits at most `timeout` for SIGINT or SIGTERM; its number, or nullopt when none came.
  [[nodiscard]] std::optional<int> wait_for(std::chrono::nanoseconds timeout);

 private:
  sigset_t signals_{};
};

}  // namespace ptwin::app
