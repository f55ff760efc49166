// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/waveform/slope_sum_onset_detector.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string_view>

#include <fmt/format.h>

#include "ptwin/core/assert.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::ingest::waveform {

namespace {

void require_positive(double value, std::string_view name) {
  if (!std::isfinite(value) || value <= 0.0) {
    throw InputError(ErrorCode::BadInput, fmt::format("slope sum settings: {}", name),
                     fmt::format("{}", value), "must be finite and positive");
  }
}

void require_fraction(double value, std::string_view name) {
  if (!std::isfinite(value) || value <= 0.0 || value >= 1.0) {
    throw InputError(ErrorCode::BadInput, fmt::format("slope sum settings: {}", name),
                     fmt::format("{}", value), "must be a fraction in (0, 1)");
  }
}

std::int64_t samples_in(double seconds, double sample_rate_hz) {
  return std::max<std::int64_t>(1, std::llround(seconds * sample_rate_hz));
}

}  // namespace

void validate(const SlopeSumSettings& settings) {
  require_positive(settings.lowpass_window_s, "lowpass_window_s");
  require_positive(settings.ssf_window_s, "ssf_window_s");
  require_positive(settings.learning_period_s, "learning_period_s");
  require_positive(settings.initial_threshold_factor, "initial_threshold_factor");
  require_fraction(settings.threshold_fraction, "threshold_fraction");
  require_positive(settings.search_window_s, "search_window_s");
  require_positive(settings.min_pulse_amplitude.si(), "min_pulse_amplitude");
  require_fraction(settings.onset_fraction, "onset_fraction");
  require_positive(settings.onset_search_s, "onset_search_s");
  require_positive(settings.foot_search_s, "foot_search_s");
  require_positive(settings.refractory_s, "refractory_s");
  require_positive(settings.decay_after_s, "decay_after_s");
  require_positive(settings.decay_time_constant_s, "decay_time_constant_s");
  if (settings.lowpass_window_s >= settings.search_window_s) {
    throw InputError(ErrorCode::BadInput, "slope sum settings: lowpass_window_s",
                     fmt::format("{}", settings.lowpass_window_s),
                     fmt::format("must be shorter than search_window_s ({})",
                                 settings.search_window_s));
  }
}

double SlopeSumOnsetDetector::RunningSum::push_sum(double value) {
  if (!is_primed) {
    // Before the first sample the signal is taken as constant at that sample's value, so the
    // start of a record produces no spurious slope.
    std::fill(ring.begin(), ring.end(), value);
    sum = value * static_cast<double>(ring.size());
    is_primed = true;
  }
  sum += value - ring[position];
  ring[position] = value;
  if (++position == ring.size()) {
    position = 0;
    sum = std::accumulate(ring.begin(), ring.end(), 0.0);
  }
  return sum;
}

double SlopeSumOnsetDetector::RunningSum::push(double value) {
  return push_sum(value) / static_cast<double>(ring.size());
}

SlopeSumOnsetDetector::SlopeSumOnsetDetector(double sample_rate_hz,
                                             const SlopeSumSettings& settings)
    : lowpass_n_(samples_in(settings.lowpass_window_s, sample_rate_hz)),
      ssf_n_(samples_in(settings.ssf_window_s, sample_rate_hz)),
      learning_n_(samples_in(settings.learning_period_s, sample_rate_hz)),
      search_n_(samples_in(settings.search_window_s, sample_rate_hz)),
      onset_search_n_(samples_in(settings.onset_search_s, sample_rate_hz)),
      foot_search_n_(samples_in(settings.foot_search_s, sample_rate_hz)),
      group_delay_n_(lowpass_n_ - 1),
      refractory_n_(samples_in(settings.refractory_s, sample_rate_hz)),
      decay_after_n_(samples_in(settings.decay_after_s, sample_rate_hz)),
      decay_per_sample_(std::exp(-1.0 / (settings.decay_time_constant_s * sample_rate_hz))),
      settings_(settings),
      stage1_(lowpass_n_),
      stage2_(lowpass_n_),
      slope_sum_(ssf_n_) {
  validate(settings);
}

void SlopeSumOnsetDetector::filter_sample(double pressure_pa) {
  const double filtered_pa = stage2_.push(stage1_.push(pressure_pa));
  const double rise_pa = sample_count_ == 0 ? 0.0 : std::max(filtered_pa - previous_filtered_pa_, 0.0);
  previous_filtered_pa_ = filtered_pa;
  filtered_.push_back(filtered_pa);
  // Rounding in the running sum may leave -1e-12 where the true sum is 0.
  ssf_.push_back(std::max(slope_sum_.push_sum(rise_pa), 0.0));
  ++sample_count_;
}

void SlopeSumOnsetDetector::push(std::span<const double> pressures_pa,
                                 std::vector<std::int64_t>& onsets) {
  PTWIN_ASSERT(!is_finished_, "SlopeSumOnsetDetector::push after finish");
  for (const double pressure_pa : pressures_pa) filter_sample(pressure_pa);
  learn_if_ready(false);
  decide(false, onsets);
}

void SlopeSumOnsetDetector::finish(std::vector<std::int64_t>& onsets) {
  PTWIN_ASSERT(!is_finished_, "SlopeSumOnsetDetector::finish called twice");
  is_finished_ = true;
  learn_if_ready(true);
  decide(true, onsets);
}

void SlopeSumOnsetDetector::learn_if_ready(bool is_final) {
  if (is_learned_ || (!is_final && sample_count_ < learning_n_)) return;
  const auto count = std::min<std::int64_t>(learning_n_, sample_count_);
  if (count > 0) {
    const auto first = ssf_.begin();
    const double mean_pa =
        std::accumulate(first, first + count, 0.0) / static_cast<double>(count);
    threshold_base_pa_ = settings_.initial_threshold_factor * mean_pa;
  }
  is_learned_ = true;
}

void SlopeSumOnsetDetector::decide(bool is_final, std::vector<std::int64_t>& onsets) {
  if (!is_learned_) return;
  const std::int64_t end = sample_count_;
  // A crossing at index i needs the SSF up to i + search_n_ for its maximum.
  while (cursor_ < end && (is_final || cursor_ + search_n_ < end)) {
    examine(cursor_, end, onsets);
    ++cursor_;
  }
  trim();
}

void SlopeSumOnsetDetector::examine(std::int64_t index, std::int64_t end,
                                    std::vector<std::int64_t>& onsets) {
  if (index - last_pulse_ > decay_after_n_) threshold_base_pa_ *= decay_per_sample_;
  const bool is_above = ssf_at(index) > settings_.threshold_fraction * threshold_base_pa_;
  const bool is_crossing = is_above && !was_above_ && index >= refractory_until_;
  was_above_ = is_above;
  if (!is_crossing) return;

  double maximum_pa = ssf_at(index);
  for (std::int64_t i = index; i <= std::min(index + search_n_, end - 1); ++i) {
    maximum_pa = std::max(maximum_pa, ssf_at(i));
  }
  double minimum_pa = ssf_at(index);
  for (std::int64_t i = std::max(index - search_n_, ssf_first_); i <= index; ++i) {
    minimum_pa = std::min(minimum_pa, ssf_at(i));
  }
  if (maximum_pa - minimum_pa <= settings_.min_pulse_amplitude.si()) return;

  // Backward search for the foot of the SSF rise.
  const double level_pa = minimum_pa + settings_.onset_fraction * (maximum_pa - minimum_pa);
  const std::int64_t lower = std::max({index - onset_search_n_, last_onset_ + 1, ssf_first_});
  std::int64_t onset = -1;
  for (std::int64_t i = index; i >= lower; --i) {
    if (ssf_at(i) <= level_pa) {
      onset = i;
      break;
    }
  }
  if (onset < 0) {  // no quiet sample within reach: the lowest SSF there
    onset = lower;
    for (std::int64_t i = lower; i <= index; ++i) {
      if (ssf_at(i) < ssf_at(onset)) onset = i;
    }
  }
  onset = pressure_foot(onset, index, end);
  if (onset > last_onset_) {
    onsets.push_back(onset);
    last_onset_ = onset;
  }
  threshold_base_pa_ = maximum_pa;
  last_pulse_ = index;
  refractory_until_ = index + refractory_n_;
}

std::int64_t SlopeSumOnsetDetector::pressure_foot(std::int64_t ssf_onset, std::int64_t crossing,
                                                  std::int64_t end) const {
  // filtered_at(i + group_delay_n_) is the zero-phase smoothed pressure at sample i. Where the
  // record ends sooner (finish()), the last filtered sample stands in.
  const auto smoothed_at = [&](std::int64_t i) {
    return filtered_at(std::min(i + group_delay_n_, end - 1));
  };
  const std::int64_t lower = std::max({ssf_onset - foot_search_n_, last_onset_ + 1, ssf_first_});
  // While streaming, the filtered pressure is known up to crossing + search_n_ (decide());
  // looking further would make the onset depend on how the signal was chunked.
  const std::int64_t upper = std::max(lower, crossing + search_n_ - group_delay_n_ - 1);
  std::int64_t steepest = lower;
  double steepest_slope_pa = -1.0;
  for (std::int64_t i = lower; i <= upper; ++i) {
    const double slope_pa = smoothed_at(i + 1) - smoothed_at(i);
    if (slope_pa > steepest_slope_pa) {
      steepest_slope_pa = slope_pa;
      steepest = i;
    }
  }
  if (steepest_slope_pa <= 0.0) return ssf_onset;
  double base_pa = smoothed_at(steepest);
  for (std::int64_t i = lower; i <= steepest; ++i) base_pa = std::min(base_pa, smoothed_at(i));
  const double back_samples = (smoothed_at(steepest) - base_pa) / steepest_slope_pa;
  const auto foot = steepest - static_cast<std::int64_t>(std::llround(back_samples));
  return std::clamp(foot, lower, steepest);
}

void SlopeSumOnsetDetector::trim() {
  if (!is_learned_) return;
  const std::int64_t keep_from =
      cursor_ - std::max(search_n_, onset_search_n_ + foot_search_n_) - 1;
  // Erase in large steps: the history is a vector, and erasing shifts what is kept.
  if (keep_from - ssf_first_ < 8192) return;
  ssf_.erase(ssf_.begin(), ssf_.begin() + (keep_from - ssf_first_));
  filtered_.erase(filtered_.begin(), filtered_.begin() + (keep_from - ssf_first_));
  ssf_first_ = keep_from;
}

}  // namespace ptwin::ingest::waveform
