// SPDX-License-Identifier: Apache-2.0
#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/vv/metrics/lead_time.hpp"

namespace {

using namespace std::chrono_literals;
using ptwin::time::Instant;
using ptwin::vv::EventInterval;
using ptwin::vv::TimedScore;

const Instant kStart = ptwin::time::from_epoch_ms(1'700'000'000'000);

// A score every 20 s for an hour; `high` gives the intervals (seconds) where it is 0.9.
std::vector<TimedScore> scores(const std::vector<std::pair<int, int>>& high) {
  std::vector<TimedScore> out;
  for (int s = 0; s < 3600; s += 20) {
    double score = 0.1;
    for (const auto& [from, to] : high) {
      if (s >= from && s < to) score = 0.9;
    }
    out.push_back({kStart + std::chrono::seconds(s), score});
  }
  return out;
}

TEST(LeadTime, RunsBackToTheStartOfTheUninterruptedAlarm) {
  // Alarm from 600 s to the onset at 1000 s (and a separate early blip at 100-140 s).
  const std::vector<EventInterval> events{{kStart + 1000s, kStart + 1100s},
                                          {kStart + 2000s, kStart + 2100s}};
  const auto report = ptwin::vv::lead_times(scores({{100, 140}, {600, 1000}, {1800, 1900}}),
                                            events, ptwin::vv::LeadTimeSettings{});
  ASSERT_EQ(report.events.size(), 2u);
  EXPECT_TRUE(report.events[0].detected);
  EXPECT_EQ(report.events[0].lead_time, 400s);
  // Second event: the alarm ended at 1900 s, 100 s before the onset: missed.
  EXPECT_FALSE(report.events[1].detected);
  EXPECT_EQ(report.detected, 1u);
  EXPECT_DOUBLE_EQ(report.sensitivity, 0.5);
  ASSERT_TRUE(report.median_lead_time.has_value());
  EXPECT_EQ(*report.median_lead_time, 400s);
}

TEST(LeadTime, LookbackAndPreviousEventBoundTheRun) {
  ptwin::vv::LeadTimeSettings settings;
  settings.maximum_lookback = 5min;
  const std::vector<EventInterval> one{{kStart + 1000s, kStart + 1100s}};
  const auto bounded = ptwin::vv::lead_times(scores({{0, 1000}}), one, settings);
  EXPECT_EQ(bounded.events[0].lead_time, 280s);  // first score after 700 s is at 720 s
  // A second event 200 s after the first: the alarm cannot reach back into the first event.
  const std::vector<EventInterval> two{{kStart + 1000s, kStart + 1100s},
                                       {kStart + 1300s, kStart + 1400s}};
  const auto report = ptwin::vv::lead_times(scores({{0, 3600}}), two, ptwin::vv::LeadTimeSettings{});
  EXPECT_EQ(report.events[1].lead_time, 180s);  // scores from 1120 s to 1280 s
}

TEST(LeadTime, NoScoreShortlyBeforeOnsetMeansMissed) {
  std::vector<TimedScore> sparse{{kStart + 100s, 0.9}};
  const std::vector<EventInterval> events{{kStart + 1000s, kStart + 1100s}};
  const auto report = ptwin::vv::lead_times(sparse, events, ptwin::vv::LeadTimeSettings{});
  EXPECT_FALSE(report.events[0].detected);
  EXPECT_FALSE(report.median_lead_time.has_value());
}

TEST(LeadTime, MedianOfAnEvenCountIsTheMidpoint) {
  const std::vector<EventInterval> events{{kStart + 1000s, kStart + 1060s},
                                          {kStart + 2000s, kStart + 2060s}};
  const auto report =
      ptwin::vv::lead_times(scores({{900, 1000}, {1700, 2000}}), events, ptwin::vv::LeadTimeSettings{});
  ASSERT_EQ(report.detected, 2u);
  EXPECT_EQ(*report.median_lead_time, 200s);  // (100 + 300) / 2
}

TEST(LeadTime, BadInputIsNamed) {
  auto s = scores({});
  s[3].time = s[2].time;
  try {
    (void)ptwin::vv::lead_times(s, {}, ptwin::vv::LeadTimeSettings{});
    FAIL() << "repeated time accepted";
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.where(), "scores[3].time");
  }
}

}  // namespace
