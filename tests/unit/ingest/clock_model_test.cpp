// SPDX-License-Identifier: Apache-2.0
// Clock offset and drift from paired events: exact recovery of a known line, robustness to
// delayed pairs, and the errors that name what to fix.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/clock/clock_model.hpp"

namespace ptwin::ingest::clock {
namespace {

using std::chrono::nanoseconds;

const time::Instant kStart = time::from_epoch_ns(1'795'000'000'000'000'000);  // 2026-11

// A device that is `offset_s` behind UTC at kStart and gains `drift` s/s: its stamp of the
// UTC instant `utc`.
time::Instant device_stamp(time::Instant utc, double offset_s, double drift) {
  const double since_start_s = static_cast<double>((utc - kStart).count()) * 1e-9;
  const double device_minus_utc_s = -offset_s + drift * since_start_s;
  return utc + nanoseconds(std::llround(device_minus_utc_s * 1e9));
}

double seconds(nanoseconds d) { return static_cast<double>(d.count()) * 1e-9; }

TEST(ClockModel, RecoversAKnownOffsetAndDriftExactly) {
  std::vector<PairedEvent> pairs;
  for (int i = 0; i <= 120; ++i) {  // one pair every 30 s for an hour
    const time::Instant utc = kStart + std::chrono::seconds(30 * i);
    pairs.push_back({device_stamp(utc, 2.5, 50e-6), utc});
  }
  const ClockModel model = estimate_clock_model(pairs, "monitor-7");
  // The device runs fast by 50 ppm, so the correction (reference - device) falls by 50 ppm.
  EXPECT_NEAR(model.drift, -50e-6 / (1 + 50e-6), 1e-9);
  EXPECT_EQ(model.pair_count, 121U);
  EXPECT_LT(model.residual_max_s, 2e-9);
  for (int minute : {0, 17, 59, 90}) {  // inside the span and half an hour beyond it
    const time::Instant utc = kStart + std::chrono::minutes(minute);
    EXPECT_LT(std::abs(seconds(model.to_utc(device_stamp(utc, 2.5, 50e-6)) - utc)), 1e-6) << minute;
  }
}

TEST(ClockModel, DelayedPairsDoNotPullTheFit) {
  // Reference stamps taken on arrival: 0-2 ms of jitter, and one pair in ten held up 0.5 s in a
  // queue. Theil-Sen keeps the line; least squares would move the offset by about 50 ms.
  std::mt19937 random(7);
  std::uniform_real_distribution<double> jitter(0.0, 2e-3);
  std::vector<PairedEvent> pairs;
  for (int i = 0; i < 200; ++i) {
    const time::Instant utc = kStart + std::chrono::seconds(15 * i);
    const double delay_s = jitter(random) + (i % 10 == 3 ? 0.5 : 0.0);
    pairs.push_back({device_stamp(utc, -1.25, -20e-6), utc + nanoseconds(std::llround(delay_s * 1e9))});
  }
  const ClockModel model = estimate_clock_model(pairs, "pump-2");
  EXPECT_NEAR(model.drift, 20e-6, 2e-6);
  const time::Instant utc = kStart + std::chrono::minutes(25);
  // The jitter's median (1 ms) is part of what arrival-stamped pairs measure.
  EXPECT_NEAR(seconds(model.to_utc(device_stamp(utc, -1.25, -20e-6)) - utc), 1e-3, 2e-3);
  EXPECT_GT(model.residual_max_s, 0.4);  // the delayed pairs stay visible in the residuals
}

TEST(ClockModel, ErrorsNameTheSourceAndWhatIsWrong) {
  const std::vector<PairedEvent> one{{kStart, kStart}};
  try {
    (void)estimate_clock_model(one, "monitor-7");
    FAIL() << "one pair was accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::MissingField);
    EXPECT_NE(std::string(error.what()).find("monitor-7"), std::string::npos) << error.what();
  }
  const std::vector<PairedEvent> same_time{{kStart, kStart}, {kStart, kStart + std::chrono::seconds(1)}};
  EXPECT_THROW((void)estimate_clock_model(same_time, "monitor-7"), InputError);
  // Pairs that imply a clock gaining 5 s per 1000 s are not the same moments on both clocks.
  const std::vector<PairedEvent> mismatched{{kStart, kStart},
                                            {kStart + std::chrono::seconds(1000),
                                             kStart + std::chrono::seconds(1005)}};
  try {
    (void)estimate_clock_model(mismatched, "monitor-7");
    FAIL() << "a 5000 ppm drift was accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("ppm"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace ptwin::ingest::clock
