// SPDX-License-Identifier: Apache-2.0
#include "ptwin/vv/metrics/lead_time.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/vv/metrics/metric_input_checks.hpp"

namespace ptwin::vv {
namespace {

void check_inputs(std::span<const TimedScore> scores, std::span<const EventInterval> events,
                  const LeadTimeSettings& settings) {
  if (settings.maximum_lookback.count() <= 0 || settings.maximum_gap.count() <= 0) {
    throw InputError(ErrorCode::BadInput, "lead time settings",
                     fmt::format("maximum_lookback {} ns, maximum_gap {} ns",
                                 settings.maximum_lookback.count(), settings.maximum_gap.count()),
                     "both must be positive");
  }
  detail::require_finite("threshold", 0, settings.threshold);
  for (std::size_t i = 0; i < scores.size(); ++i) {
    detail::require_finite("scores.score", i, scores[i].score);
    if (i > 0 && scores[i].time <= scores[i - 1].time) {
      throw InputError(ErrorCode::BadInput, fmt::format("scores[{}].time", i),
                       time::format_iso8601(scores[i].time), "must be later than the previous score's");
    }
  }
  for (std::size_t k = 1; k < events.size(); ++k) {
    if (events[k].onset < events[k - 1].onset) {
      throw InputError(ErrorCode::BadInput, fmt::format("events[{}].onset", k),
                       time::format_iso8601(events[k].onset), "events must be sorted by onset");
    }
  }
}

EventDetection detect(std::span<const TimedScore> scores, const EventInterval& event,
                      std::optional<time::Instant> previous_event_end, const LeadTimeSettings& settings) {
  EventDetection detection{.event = event};
  time::Instant earliest_allowed = event.onset - settings.maximum_lookback;
  if (previous_event_end && *previous_event_end > earliest_allowed) {
    earliest_allowed = *previous_event_end;
  }
  // Last score strictly before the onset.
  auto it = std::lower_bound(scores.begin(), scores.end(), event.onset,
                             [](const TimedScore& s, time::Instant t) { return s.time < t; });
  if (it == scores.begin()) return detection;
  --it;
  if (it->time <= earliest_allowed || event.onset - it->time > settings.maximum_gap ||
      it->score < settings.threshold) {
    return detection;
  }
  time::Instant run_start = it->time;
  while (it != scores.begin()) {
    const auto previous = std::prev(it);
    if (previous->time <= earliest_allowed || previous->score < settings.threshold ||
        it->time - previous->time > settings.maximum_gap) {
      break;
    }
    run_start = previous->time;
    it = previous;
  }
  detection.detected = true;
  detection.lead_time = event.onset - run_start;
  return detection;
}

}  // namespace

LeadTimeReport summarise_detections(std::vector<EventDetection> detections) {
  LeadTimeReport report;
  std::vector<std::chrono::nanoseconds> detected_leads;
  for (const auto& d : detections) {
    if (d.detected) detected_leads.push_back(d.lead_time);
  }
  report.events = std::move(detections);
  report.detected = detected_leads.size();
  if (!report.events.empty()) {
    report.sensitivity =
        static_cast<double>(report.detected) / static_cast<double>(report.events.size());
  }
  if (!detected_leads.empty()) {
    std::sort(detected_leads.begin(), detected_leads.end());
    const std::size_t n = detected_leads.size();
    report.median_lead_time = n % 2 == 1 ? detected_leads[n / 2]
                                         : (detected_leads[n / 2 - 1] + detected_leads[n / 2]) / 2;
  }
  return report;
}

LeadTimeReport lead_times(std::span<const TimedScore> scores, std::span<const EventInterval> events,
                          const LeadTimeSettings& settings) {
  check_inputs(scores, events, settings);
  std::vector<EventDetection> detections;
  std::optional<time::Instant> previous_end;
  for (const EventInterval& event : events) {
    detections.push_back(detect(scores, event, previous_end, settings));
    previous_end = event.end;
  }
  return summarise_detections(std::move(detections));
}

}  // namespace ptwin::vv
