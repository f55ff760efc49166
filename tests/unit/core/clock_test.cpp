// SPDX-License-Identifier: Apache-2.0
// Clocks are injected (STYLE.md §7): the manual one moves only when told to.
#include "ptwin/core/clock.hpp"

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"

namespace ptwin::time {
namespace {

using namespace std::chrono_literals;

// A consumer that sees only the interface, as a model would.
Instant read(const Clock& clock) { return clock.now(); }

TEST(ManualClock, StaysAtItsStartUntilMoved) {
  const ManualClock clock(from_epoch_ns(1'714'564'800'000'000'000));
  EXPECT_EQ(to_epoch_ns(read(clock)), 1'714'564'800'000'000'000);
  EXPECT_EQ(to_epoch_ns(read(clock)), 1'714'564'800'000'000'000);
}

TEST(ManualClock, StartsAtTheEpochByDefault) {
  const ManualClock clock;
  EXPECT_EQ(to_epoch_ns(clock.now()), 0);
}

TEST(ManualClock, AdvanceMovesForwardByTheStepAndReturnsTheNewInstant) {
  ManualClock clock(from_epoch_ns(1'000));
  EXPECT_EQ(to_epoch_ns(clock.advance(5s)), 5'000'001'000);
  EXPECT_EQ(to_epoch_ns(clock.advance(1ns)), 5'000'001'001);
  EXPECT_EQ(to_epoch_ns(read(clock)), 5'000'001'001);
}

TEST(ManualClock, SetMayMoveBackwards) {
  ManualClock clock(from_epoch_ns(5'000));
  clock.set(from_epoch_ns(-7));
  EXPECT_EQ(to_epoch_ns(clock.now()), -7);
}

TEST(ManualClock, RejectsANegativeAdvanceAsAProgrammingError) {
  ManualClock clock;
  try {
    (void)clock.advance(-1ns);
    FAIL() << "advance(-1ns) did not throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::Internal);
  }
  EXPECT_EQ(to_epoch_ns(clock.now()), 0);
}

TEST(SystemClock, ReadsAnInstantAfterThisCodeWasWritten) {
  const SystemClock clock;
  EXPECT_GT(read(clock), parse_iso8601("2024-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace ptwin::time
