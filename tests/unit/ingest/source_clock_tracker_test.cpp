// SPDX-License-Identifier: Apache-2.0
// A feed's clock tracker: arrival pairs with network delays and a minority of buffered
// (late) readings give the device's error to within the median delay; correction is opt-in,
// waits for min_pairs, and is withheld where delays are too irregular.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/clock/source_clock_tracker.hpp"

namespace ptwin::ingest::clock {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;

const time::Instant kStart = time::from_epoch_ns(1'795'000'000'000'000'000);  // 2026-11

double seconds(nanoseconds d) { return static_cast<double>(d.count()) * 1e-9; }

// A device 2 s behind UTC and 50 ppm fast: its stamp of the UTC instant `utc`.
time::Instant device_stamp(time::Instant utc) {
  const double since_start_s = seconds(utc - kStart);
  return utc + nanoseconds(std::llround((-2.0 + 50e-6 * since_start_s) * 1e9));
}

struct Feed {
  std::mt19937 random{20261124};
  std::exponential_distribution<double> delay_s{1.0 / 0.008};  // mean 8 ms on a LAN
  std::bernoulli_distribution is_buffered{0.10};                // flushed after 60 s offline
  // Reading i, taken at UTC kStart + i s: (device stamp, arrival).
  std::pair<time::Instant, time::Instant> reading(int i) {
    const auto taken = kStart + std::chrono::seconds(i);
    const double delay = delay_s(random) + (is_buffered(random) ? 60.0 : 0.0);
    return {device_stamp(taken), taken + nanoseconds(std::llround(delay * 1e9))};
  }
};

TEST(SourceClockTracker, EstimatesTheDeviceErrorToWithinTheMedianDelayAndCorrectsIt) {
  ClockTrackingSettings settings;
  settings.is_correcting = true;
  SourceClockTracker tracker(settings);
  Feed feed;
  for (int i = 0; i < 600; ++i) {
    const auto [device, arrival] = feed.reading(i);
    tracker.observe("mqtt:icu/bed4#mon-1", device, arrival);
  }
  const auto clocks = tracker.sources();
  ASSERT_EQ(clocks.size(), 1U);
  const auto& clock = clocks.at("mqtt:icu/bed4#mon-1");
  EXPECT_EQ(clock.pairs_seen, 600U);
  ASSERT_TRUE(clock.model.has_value());
  EXPECT_TRUE(clock.is_usable) << clock.median_residual_s;
  EXPECT_LT(clock.median_residual_s, 0.01);
  // A reading taken now is put within 20 ms of its true time: the median delay (5.5 ms for an
  // exponential of mean 8 ms) plus the spread of the median over a 128-pair window.
  const auto taken = kStart + std::chrono::seconds(600);
  const auto corrected = tracker.to_utc("mqtt:icu/bed4#mon-1", device_stamp(taken));
  EXPECT_NEAR(seconds(corrected - taken), 0.0055, 0.015);
  EXPECT_TRUE(tracker.is_correcting("mqtt:icu/bed4#mon-1"));
  // Another source is left alone.
  EXPECT_EQ(tracker.to_utc("mqtt:icu/bed5#mon-2", taken), taken);
}

TEST(SourceClockTracker, EstimatesWithoutCorrectingUnlessTold) {
  SourceClockTracker tracker(ClockTrackingSettings{});
  Feed feed;
  for (int i = 0; i < 100; ++i) {
    const auto [device, arrival] = feed.reading(i);
    tracker.observe("mon-1", device, arrival);
  }
  EXPECT_TRUE(tracker.sources().at("mon-1").is_usable);
  EXPECT_FALSE(tracker.is_correcting("mon-1"));
  const auto stamp = device_stamp(kStart);
  EXPECT_EQ(tracker.to_utc("mon-1", stamp), stamp);
}

TEST(SourceClockTracker, NoModelBeforeMinPairs) {
  ClockTrackingSettings settings;
  settings.is_correcting = true;
  settings.min_pairs = 16;
  SourceClockTracker tracker(settings);
  Feed feed;
  for (int i = 0; i < 15; ++i) {
    const auto [device, arrival] = feed.reading(i);
    tracker.observe("mon-1", device, arrival);
  }
  EXPECT_FALSE(tracker.sources().at("mon-1").model.has_value());
  EXPECT_FALSE(tracker.is_correcting("mon-1"));
  const auto [device, arrival] = feed.reading(15);
  tracker.observe("mon-1", device, arrival);
  EXPECT_TRUE(tracker.is_correcting("mon-1"));
}

TEST(SourceClockTracker, IrregularDelaysGiveAModelThatIsReportedButNotUsed) {
  ClockTrackingSettings settings;
  settings.is_correcting = true;
  SourceClockTracker tracker(settings);
  std::mt19937 random(7);
  std::uniform_real_distribution<double> delay_s(0.0, 3.0);  // seconds, all over the place
  for (int i = 0; i < 64; ++i) {
    const auto taken = kStart + std::chrono::seconds(60 * i);
    tracker.observe("gateway-3", device_stamp(taken),
                    taken + nanoseconds(std::llround(delay_s(random) * 1e9)));
  }
  const auto clock = tracker.sources().at("gateway-3");
  ASSERT_TRUE(clock.model.has_value());
  EXPECT_GT(clock.median_residual_s, settings.max_median_residual_s);
  EXPECT_FALSE(clock.is_usable);
  EXPECT_FALSE(tracker.is_correcting("gateway-3"));
}

TEST(SourceClockTracker, PairsThatMakeNoModelAreReportedWithTheReason) {
  ClockTrackingSettings settings;
  settings.min_pairs = 4;
  settings.refit_every = 4;
  SourceClockTracker tracker(settings);
  for (int i = 0; i < 4; ++i) tracker.observe("stuck", kStart, kStart + std::chrono::seconds(i));
  const auto clock = tracker.sources().at("stuck");
  EXPECT_FALSE(clock.model.has_value());
  EXPECT_NE(clock.last_fit_error.find("same device time"), std::string::npos)
      << clock.last_fit_error;
}

TEST(SourceClockTracker, BadSettingsNameTheirField) {
  const auto message = [](ClockTrackingSettings settings) {
    try {
      validate(settings, "mqtt.clock_tracking");
    } catch (const InputError& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  ClockTrackingSettings few;
  few.min_pairs = 1;
  EXPECT_NE(message(few).find("mqtt.clock_tracking.min_pairs"), std::string::npos);
  ClockTrackingSettings small_window;
  small_window.window_pairs = 8;
  EXPECT_NE(message(small_window).find("mqtt.clock_tracking.window_pairs"), std::string::npos);
  ClockTrackingSettings huge_window;
  huge_window.window_pairs = 5000;
  EXPECT_NE(message(huge_window).find("at most 1024"), std::string::npos);
  ClockTrackingSettings no_refit;
  no_refit.refit_every = 0;
  EXPECT_NE(message(no_refit).find("refit_every"), std::string::npos);
  ClockTrackingSettings bad_residual;
  bad_residual.max_median_residual_s = -1;
  EXPECT_NE(message(bad_residual).find("max_median_residual_s"), std::string::npos);
}

}  // namespace
}  // namespace ptwin::ingest::clock
