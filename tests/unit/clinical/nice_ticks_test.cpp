// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/report/nice_ticks.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"

namespace ptwin::clinical::report {
namespace {

TEST(NiceTicks, ZeroToHundredStepsByTwenty) {
  const TickSet ticks = nice_ticks(0.0, 100.0, 5);
  EXPECT_EQ(ticks.step, 20.0);
  EXPECT_EQ(ticks.values, (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(ticks.decimals, 0);
}

TEST(NiceTicks, ArterialPressureRangeRoundsOutwardToStepOfTwenty) {
  const TickSet ticks = nice_ticks(62.5, 131.0, 4);  // raw step 17.1 -> 20
  EXPECT_EQ(ticks.values, (std::vector<double>{60, 80, 100, 120, 140}));
  EXPECT_EQ(ticks.lower, 60.0);
  EXPECT_EQ(ticks.upper, 140.0);
}

TEST(NiceTicks, RangeAcrossZeroUsesStepOfFive) {
  const TickSet ticks = nice_ticks(-3.7, 12.2, 5);  // raw step 3.18 -> 5
  EXPECT_EQ(ticks.values, (std::vector<double>{-5, 0, 5, 10, 15}));
}

TEST(NiceTicks, DecimalStepsGiveExactDecimalValues) {
  // 3 * 0.1 is 0.30000000000000004 in binary; the tick must be the double nearest to 0.3.
  const TickSet ticks = nice_ticks(0.0, 0.3, 3);
  EXPECT_EQ(ticks.values, (std::vector<double>{0.0, 0.1, 0.2, 0.3}));
  EXPECT_EQ(ticks.decimals, 1);
}

TEST(NiceTicks, SmallRangeUsesStepOfOneThousandth) {
  const TickSet ticks = nice_ticks(0.0012, 0.0047, 5);  // raw step 0.0007 -> 0.001
  EXPECT_EQ(ticks.values, (std::vector<double>{0.001, 0.002, 0.003, 0.004, 0.005}));
  EXPECT_EQ(ticks.decimals, 3);
}

TEST(NiceTicks, LargeRangeUsesStepOfTwoThousand) {
  const TickSet ticks = nice_ticks(150.0, 9800.0, 5);  // raw step 1930 -> 2000
  EXPECT_EQ(ticks.values, (std::vector<double>{0, 2000, 4000, 6000, 8000, 10000}));
}

TEST(NiceTicks, BoundOnATickIsNotExtendedByRounding) {
  const TickSet ticks = nice_ticks(0.1, 0.7, 6);  // 0.7 / 0.1 = 6.999999999999999
  EXPECT_EQ(ticks.lower, 0.1);
  EXPECT_EQ(ticks.upper, 0.7);
  EXPECT_EQ(ticks.values.size(), 7u);
}

TEST(NiceTicks, ConstantValueIsCentredBetweenTwoTicks) {
  EXPECT_EQ(nice_ticks(72.0, 72.0).values, (std::vector<double>{60, 70, 80}));
  EXPECT_EQ(nice_ticks(0.0, 0.0).values, (std::vector<double>{-1, 0, 1}));
}

TEST(NiceTicks, NeverExceedsMaxIntervalsPlusOne) {
  for (const double maximum : {1.0, 3.3, 7.7, 19.0, 47.0, 99.0, 1234.5}) {
    for (int intervals = 1; intervals <= 10; ++intervals) {
      const TickSet ticks = nice_ticks(0.37, maximum, intervals);
      EXPECT_LE(ticks.values.size(), static_cast<std::size_t>(intervals) + 2)
          << "maximum " << maximum << " intervals " << intervals;
      EXPECT_LE(ticks.lower, 0.37);
      EXPECT_GE(ticks.upper, maximum);
    }
  }
}

TEST(TicksWithin, KeepsFixedBoundsAndListsInnerTicksOnly) {
  const TickSet ticks = ticks_within(0.0, 95.0, 5);  // raw step 19 -> 20
  EXPECT_EQ(ticks.lower, 0.0);
  EXPECT_EQ(ticks.upper, 95.0);
  EXPECT_EQ(ticks.values, (std::vector<double>{0, 20, 40, 60, 80}));
}

TEST(NiceTicks, NanBoundIsRejectedNamingTheBound) {
  try {
    (void)nice_ticks(std::numeric_limits<double>::quiet_NaN(), 1.0);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::BadInput);
    EXPECT_NE(error.where().find("minimum"), std::string::npos) << error.what();
    EXPECT_EQ(error.value(), "nan");
  }
}

TEST(NiceTicks, InvertedOrInfiniteRangeIsRejected) {
  EXPECT_THROW((void)nice_ticks(2.0, 1.0), InputError);
  EXPECT_THROW((void)nice_ticks(0.0, std::numeric_limits<double>::infinity()), InputError);
  EXPECT_THROW((void)nice_ticks(-1e308, 1e308), InputError);
  EXPECT_THROW((void)nice_ticks(0.0, 1.0, 0), InputError);
  EXPECT_THROW((void)ticks_within(3.0, 3.0), InputError);
}

TEST(FormatTick, UsesTrueMinusAndNeverPrintsNegativeZero) {
  EXPECT_EQ(format_tick(-2.5, 1), "\u22122.5");
  EXPECT_EQ(format_tick(-0.0001, 2), "0.00");
  EXPECT_EQ(format_tick(1200.0, 0), "1200");
  EXPECT_EQ(format_tick(0.3, 1), "0.3");
}

}  // namespace
}  // namespace ptwin::clinical::report
