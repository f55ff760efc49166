// SPDX-License-Identifier: Apache-2.0
#pragma once
// Ground truth for event prediction: where a monitored value stays below a threshold long
// enough to count as an event, and which prediction times are positive, negative, or cannot be
// scored.
//
// Hypotension follows the definition used to validate hypotension predictors (Hatib et al. 2018,
// Anesthesiology 129:663): mean arterial pressure below 65 mmHg for at least one minute. A
// prediction at time t with horizon h is positive when an event begins in (t, t + h], excluded
// when t lies inside an event (the patient is already hypotensive, nothing is predicted) or when
// t + h runs past the end of the data (the outcome is unknown), and negative otherwise.

#include <chrono>
#include <span>
#include <vector>

#include "ptwin/core/time.hpp"

namespace ptwin::vv {

struct TimedValue {
  time::Instant time;
  double value = 0.0;  // SI
};

/// [onset, end]: the first and last sample below the threshold.
struct EventInterval {
  time::Instant onset;
  time::Instant end;
};

struct SustainedRunSettings {
  double threshold = 0.0;  // SI; a value strictly below it is "in" the run
  std::chrono::nanoseconds minimum_duration{0};  // end - onset must reach it
  // Two consecutive samples further apart than this break a run (a monitoring gap is not
  // evidence that the value stayed low).
  std::chrono::nanoseconds maximum_gap{std::chrono::seconds(10)};
};

/// MAP < 65 mmHg for >= 60 s, runs broken by gaps over 10 s.
[[nodiscard]] SustainedRunSettings hypotension_event_definition();

/// Runs of the series below the threshold lasting at least the minimum duration. Throws
/// InputError when times are not strictly increasing or a value is not finite (naming the index).
[[nodiscard]] std::vector<EventInterval> find_sustained_runs_below(
    std::span<const TimedValue> series, const SustainedRunSettings& settings);

enum class PredictionLabel { Positive, Negative, Excluded };

/// Labels each prediction time against the events (sorted by onset) for a horizon.
[[nodiscard]] std::vector<PredictionLabel> label_prediction_times(
    std::span<const time::Instant> prediction_times, std::span<const EventInterval> events,
    time::Instant data_end, std::chrono::nanoseconds horizon);

}  // namespace ptwin::vv
