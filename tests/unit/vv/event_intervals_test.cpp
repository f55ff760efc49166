// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/vv/metrics/event_intervals.hpp"

namespace {

using namespace std::chrono_literals;
using ptwin::time::Instant;
using ptwin::vv::PredictionLabel;
using ptwin::vv::TimedValue;

const Instant kStart = ptwin::time::from_epoch_ms(1'700'000'000'000);

// 1 Hz MAP series (mmHg) from a list of (seconds, value) breakpoints held constant.
std::vector<TimedValue> map_series(int seconds, const std::vector<std::pair<int, double>>& dips,
                                   int dip_length) {
  std::vector<TimedValue> series;
  for (int s = 0; s < seconds; ++s) {
    double mmhg = 80.0;
    for (const auto& [start, value] : dips) {
      if (s >= start && s < start + dip_length) mmhg = value;
    }
    series.push_back({kStart + std::chrono::seconds(s), mmhg * ptwin::units::kPaPerMmHg});
  }
  return series;
}

TEST(EventIntervals, HypotensionNeedsSixtySecondsBelowSixtyFive) {
  // 61 samples below threshold span 60 s: an event. 60 samples span 59 s: not one.
  const auto event = ptwin::vv::find_sustained_runs_below(map_series(400, {{100, 60.0}}, 61),
                                                          ptwin::vv::hypotension_event_definition());
  ASSERT_EQ(event.size(), 1u);
  EXPECT_EQ(event[0].onset, kStart + 100s);
  EXPECT_EQ(event[0].end, kStart + 160s);
  const auto short_dip = ptwin::vv::find_sustained_runs_below(
      map_series(400, {{100, 60.0}}, 60), ptwin::vv::hypotension_event_definition());
  EXPECT_TRUE(short_dip.empty());
  // Exactly 65 mmHg is not below 65.
  const auto at_threshold = ptwin::vv::find_sustained_runs_below(
      map_series(400, {{100, 65.0}}, 120), ptwin::vv::hypotension_event_definition());
  EXPECT_TRUE(at_threshold.empty());
}

TEST(EventIntervals, AMonitoringGapBreaksARun) {
  auto series = map_series(400, {{100, 55.0}}, 100);
  // Remove 20 s in the middle of the dip: two 40 s halves, neither an event.
  std::erase_if(series, [](const TimedValue& v) {
    return v.time >= kStart + 140s && v.time < kStart + 160s;
  });
  EXPECT_TRUE(ptwin::vv::find_sustained_runs_below(series, ptwin::vv::hypotension_event_definition())
                  .empty());
}

TEST(EventIntervals, LabelsPositiveNegativeAndExcluded) {
  const std::vector<ptwin::vv::EventInterval> events{{kStart + 1000s, kStart + 1100s}};
  const std::vector<Instant> times{kStart + 50s,   kStart + 200s,  kStart + 999s,
                                   kStart + 1050s, kStart + 1100s, kStart + 1200s,
                                   kStart + 1500s};
  const auto labels = ptwin::vv::label_prediction_times(times, events, kStart + 2000s, 15min);
  const std::vector<PredictionLabel> expected{
      PredictionLabel::Negative,  // onset 950 s later, beyond 15 min
      PredictionLabel::Positive,  // onset exactly at t + 800 s
      PredictionLabel::Positive,  PredictionLabel::Excluded,  // inside the event
      PredictionLabel::Excluded,                              // at its last sample
      PredictionLabel::Excluded,  // 1200 + 900 > 2000: outcome unknown
      PredictionLabel::Excluded};
  EXPECT_EQ(labels, expected);
  const auto at_horizon = ptwin::vv::label_prediction_times(
      std::vector<Instant>{kStart + 100s}, events, kStart + 2000s, 900s);
  EXPECT_EQ(at_horizon[0], PredictionLabel::Positive);  // onset at exactly t + horizon counts
}

TEST(EventIntervals, BadInputIsNamed) {
  auto series = map_series(10, {}, 0);
  series[5].time = series[4].time;
  try {
    (void)ptwin::vv::find_sustained_runs_below(series, ptwin::vv::hypotension_event_definition());
    FAIL() << "repeated time accepted";
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.where(), "series[5].time");
  }
  EXPECT_THROW((void)ptwin::vv::label_prediction_times({}, {}, kStart, 0s), ptwin::InputError);
}

}  // namespace
