// SPDX-License-Identifier: Apache-2.0
#pragma once
// How early a risk score warns of each event: the lead time is how long the score had been at or
// above the alarm threshold, without interruption, when the event began. An event is detected
// when the last score before its onset is at or above the threshold (and recent: within the
// maximum gap); the lead time then runs back to the first score of that uninterrupted alarm run,
// looking back at most `maximum_lookback` and never into the previous event. Reported: each
// event's lead time, the sensitivity (detected / events) and the median lead time of the
// detected events (the figure cleared predictors report, e.g. Hatib et al. 2018).

#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include "ptwin/core/time.hpp"
#include "ptwin/vv/metrics/event_intervals.hpp"

namespace ptwin::vv {

struct TimedScore {
  time::Instant time;
  double score = 0.0;
};

struct LeadTimeSettings {
  double threshold = 0.5;  // alarm when score >= threshold
  std::chrono::nanoseconds maximum_lookback{std::chrono::minutes(30)};
  std::chrono::nanoseconds maximum_gap{std::chrono::minutes(1)};  // between scores in a run
};

struct EventDetection {
  EventInterval event;
  bool detected = false;
  std::chrono::nanoseconds lead_time{0};  // 0 when not detected
};

struct LeadTimeReport {
  std::vector<EventDetection> events;
  std::size_t detected = 0;
  double sensitivity = 0.0;  // detected / events; 0 when there is no event
  std::optional<std::chrono::nanoseconds> median_lead_time;  // absent when none detected
};

/// Scores strictly increasing in time, events sorted by onset; throws InputError otherwise
/// (naming the index), or for a score that is not finite.
[[nodiscard]] LeadTimeReport lead_times(std::span<const TimedScore> scores,
                                        std::span<const EventInterval> events,
                                        const LeadTimeSettings& settings);

/// Sensitivity and median lead time of detections pooled over patients.
[[nodiscard]] LeadTimeReport summarise_detections(std::vector<EventDetection> detections);

}  // namespace ptwin::vv
