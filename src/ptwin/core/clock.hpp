// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where "now" comes from. Models, estimators and schedulers never read the wall clock
// directly (STYLE.md §7): they take a `Clock&`, so that tests can drive time by hand and
// replays can run faster than real time.

#include <atomic>
#include <chrono>

#include "ptwin/core/time.hpp"

namespace ptwin::time {

/// Source of the current UTC instant. Implementations are thread-safe.
class Clock {
 public:
  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  virtual ~Clock() = default;

  /// The current instant, UTC, nanoseconds.
  [[nodiscard]] virtual Instant now() const = 0;
};

/// The operating system's real-time clock (std::chrono::system_clock). For production only.
class SystemClock final : public Clock {
 public:
  [[nodiscard]] Instant now() const override;
};

/// A clock that moves only when told to; for tests and replays. Thread-safe.
class ManualClock final : public Clock {
 public:
  /// Starts at `start` (the Unix epoch by default).
  explicit ManualClock(Instant start = Instant{}) : now_(start) {}

  [[nodiscard]] Instant now() const override { return now_.load(); }

  /// Jumps to `instant`, which may be earlier than now (to test clock steps).
  void set(Instant instant) { now_.store(instant); }

  /// Moves forward by `step` and returns the new instant. A negative step is a programming
  /// error and throws Error(Internal); use set() to move backwards on purpose.
  Instant advance(std::chrono::nanoseconds step);

 private:
  std::atomic<Instant> now_;
};

}  // namespace ptwin::time
