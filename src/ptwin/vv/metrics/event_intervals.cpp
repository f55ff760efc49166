// SPDX-License-Identifier: Apache-2.0
#include "ptwin/vv/metrics/event_intervals.hpp"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/vv/metrics/metric_input_checks.hpp"

namespace ptwin::vv {

SustainedRunSettings hypotension_event_definition() {
  return SustainedRunSettings{.threshold = 65.0 * units::kPaPerMmHg,
                              .minimum_duration = std::chrono::seconds(60),
                              .maximum_gap = std::chrono::seconds(10)};
}

std::vector<EventInterval> find_sustained_runs_below(std::span<const TimedValue> series,
                                                     const SustainedRunSettings& settings) {
  if (settings.minimum_duration.count() < 0 || settings.maximum_gap.count() <= 0) {
    throw InputError(ErrorCode::BadInput, "sustained run settings",
                     fmt::format("minimum_duration {} ns, maximum_gap {} ns",
                                 settings.minimum_duration.count(), settings.maximum_gap.count()),
                     "minimum_duration must be >= 0 and maximum_gap > 0");
  }
  std::vector<EventInterval> events;
  bool in_run = false;
  EventInterval run{};
  const auto close_run = [&] {
    if (in_run && run.end - run.onset >= settings.minimum_duration) events.push_back(run);
    in_run = false;
  };
  for (std::size_t i = 0; i < series.size(); ++i) {
    detail::require_finite("series.value", i, series[i].value);
    if (i > 0 && series[i].time <= series[i - 1].time) {
      throw InputError(ErrorCode::BadInput, fmt::format("series[{}].time", i),
                       time::format_iso8601(series[i].time),
                       "must be later than the previous sample's time");
    }
    if (in_run && series[i].time - run.end > settings.maximum_gap) close_run();
    if (series[i].value < settings.threshold) {
      if (!in_run) {
        in_run = true;
        run.onset = series[i].time;
      }
      run.end = series[i].time;
    } else {
      close_run();
    }
  }
  close_run();
  return events;
}

std::vector<PredictionLabel> label_prediction_times(std::span<const time::Instant> prediction_times,
                                                    std::span<const EventInterval> events,
                                                    time::Instant data_end,
                                                    std::chrono::nanoseconds horizon) {
  if (horizon.count() <= 0) {
    throw InputError(ErrorCode::BadInput, "horizon", fmt::format("{} ns", horizon.count()),
                     "must be positive");
  }
  for (std::size_t k = 1; k < events.size(); ++k) {
    if (events[k].onset < events[k - 1].onset) {
      throw InputError(ErrorCode::BadInput, fmt::format("events[{}].onset", k),
                       time::format_iso8601(events[k].onset), "events must be sorted by onset");
    }
  }
  std::vector<PredictionLabel> labels;
  labels.reserve(prediction_times.size());
  for (const time::Instant t : prediction_times) {
    const bool inside = std::any_of(events.begin(), events.end(), [&](const EventInterval& e) {
      return e.onset <= t && t <= e.end;
    });
    if (inside || t + horizon > data_end) {
      labels.push_back(PredictionLabel::Excluded);
      continue;
    }
    // First event with onset > t; positive when it begins within the horizon.
    const auto next = std::upper_bound(events.begin(), events.end(), t,
                                       [](time::Instant time, const EventInterval& e) { return time < e.onset; });
    labels.push_back(next != events.end() && next->onset <= t + horizon ? PredictionLabel::Positive
                                                                        : PredictionLabel::Negative);
  }
  return labels;
}

}  // namespace ptwin::vv
