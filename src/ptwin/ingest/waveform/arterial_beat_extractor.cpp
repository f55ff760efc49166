// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/waveform/arterial_beat_extractor.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "ptwin/core/assert.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::ingest::waveform {

namespace {

const SignalDescription& validated(const SignalDescription& description) {
  validate(description);
  return description;
}

const BeatExtractionSettings& validated(const BeatExtractionSettings& settings) {
  validate(settings.onsets);
  validate(settings.flat_segments);
  // The foot window must lie inside what the detector has seen when it reports an onset, or
  // the diastolic value would depend on how the signal was chunked.
  if (!std::isfinite(settings.foot_window_s) || settings.foot_window_s <= 0.0 ||
      settings.foot_window_s > settings.onsets.search_window_s) {
    throw InputError(ErrorCode::BadInput, "beat extraction settings: foot_window_s",
                     fmt::format("{}", settings.foot_window_s),
                     fmt::format("must be positive and at most onsets.search_window_s ({})",
                                 settings.onsets.search_window_s));
  }
  if (!std::isfinite(settings.max_beat_s) || settings.max_beat_s < 3.0) {
    throw InputError(ErrorCode::BadInput, "beat extraction settings: max_beat_s",
                     fmt::format("{}", settings.max_beat_s),
                     "must be finite and at least 3 s (a heart rate of 20 /min)");
  }
  if (!std::isfinite(settings.flat_guard_s) || settings.flat_guard_s < 0.0) {
    throw InputError(ErrorCode::BadInput, "beat extraction settings: flat_guard_s",
                     fmt::format("{}", settings.flat_guard_s), "must be finite and not negative");
  }
  return settings;
}

}  // namespace

ArterialBeatExtractor::ArterialBeatExtractor(SignalDescription description,
                                             const BeatExtractionSettings& settings)
    : description_(validated(description)),
      settings_(validated(settings)),
      detector_(description_.sample_rate_hz, settings.onsets),
      flat_(description_.sample_rate_hz, settings.flat_segments),
      foot_n_(std::llround(settings.foot_window_s * description_.sample_rate_hz)),
      guard_n_(std::llround(settings.flat_guard_s * description_.sample_rate_hz)),
      max_beat_n_(std::llround(settings.max_beat_s * description_.sample_rate_hz)) {}

std::vector<ArterialBeat> ArterialBeatExtractor::push(std::span<const units::Pressure> pressures) {
  PTWIN_ASSERT(!is_finished_, "ArterialBeatExtractor::push after finish");
  validate_pressures(pressures, description_.source, counts_.samples);
  std::vector<double> values_pa(pressures.size());
  std::transform(pressures.begin(), pressures.end(), values_pa.begin(),
                 [](units::Pressure pressure) { return pressure.si(); });
  raw_.insert(raw_.end(), values_pa.begin(), values_pa.end());
  counts_.samples += static_cast<std::int64_t>(values_pa.size());
  flat_.push(values_pa);
  new_onsets_.clear();
  detector_.push(values_pa, new_onsets_);
  measure_beats(new_onsets_);
  // An open beat that can no longer end within max_beat_s is given up now, so that a flat line
  // does not keep its samples for hours. measure_beats() applies the same rule to an onset that
  // arrives in time, so the outcome does not depend on chunking.
  if (previous_onset_ >= 0 && detector_.earliest_future_onset() - previous_onset_ > max_beat_n_) {
    ++counts_.abandoned_spans;
    previous_onset_ = -1;
  }
  std::vector<ArterialBeat> out;
  release(false, out);
  trim_raw();
  return out;
}

std::vector<ArterialBeat> ArterialBeatExtractor::finish() {
  PTWIN_ASSERT(!is_finished_, "ArterialBeatExtractor::finish called twice");
  is_finished_ = true;
  new_onsets_.clear();
  detector_.finish(new_onsets_);
  measure_beats(new_onsets_);
  std::vector<ArterialBeat> out;
  release(true, out);
  return out;
}

void ArterialBeatExtractor::measure_beats(std::span<const std::int64_t> onsets) {
  for (const std::int64_t onset : onsets) {
    if (previous_onset_ >= 0 && onset - previous_onset_ > max_beat_n_) {
      ++counts_.abandoned_spans;
    } else if (previous_onset_ >= 0) {
      pending_.push_back({measure(previous_onset_, onset), onset});
    }
    previous_onset_ = onset;
  }
}

ArterialBeat ArterialBeatExtractor::measure(std::int64_t onset, std::int64_t next_onset) const {
  PTWIN_ASSERT(next_onset > onset && onset >= raw_first_,
               "beat span outside the kept samples");
  double maximum_pa = raw_at(onset);
  double sum_pa = 0.0;
  for (std::int64_t i = onset; i < next_onset; ++i) {
    maximum_pa = std::max(maximum_pa, raw_at(i));
    sum_pa += raw_at(i);
  }
  const std::int64_t foot_first = std::max(onset - foot_n_, raw_first_);
  const std::int64_t foot_end = std::min(onset + foot_n_ + 1, counts_.samples);
  double minimum_pa = raw_at(onset);
  for (std::int64_t i = foot_first; i < foot_end; ++i) minimum_pa = std::min(minimum_pa, raw_at(i));

  const auto samples = static_cast<double>(next_onset - onset);
  ArterialBeat beat;
  beat.onset_index = onset;
  beat.onset_time = sample_time(description_, onset);
  beat.duration = (samples / description_.sample_rate_hz) * units::s;
  beat.systolic = units::Pressure::from_si(maximum_pa);
  beat.diastolic = units::Pressure::from_si(minimum_pa);
  beat.mean = units::Pressure::from_si(sum_pa / samples);
  beat.pulse_pressure = beat.systolic - beat.diastolic;
  beat.heart_rate = units::Frequency::from_si(description_.sample_rate_hz / samples);
  return beat;
}

void ArterialBeatExtractor::release(bool is_final, std::vector<ArterialBeat>& out) {
  while (!pending_.empty()) {
    auto& [beat, end] = pending_.front();
    if (!is_final && flat_.classified_until() < end + guard_n_ + flat_.confirmation_lag()) break;
    assess(beat, settings_.quality, flat_.overlapping(beat.onset_index, end, guard_n_),
           previous_trusted_ ? &*previous_trusted_ : nullptr);
    if (beat.quality != SampleQuality::Artefact) previous_trusted_ = beat;
    ++counts_.beats;
    if (beat.quality == SampleQuality::Good) ++counts_.good;
    if (beat.quality == SampleQuality::Questionable) ++counts_.questionable;
    if (beat.quality == SampleQuality::Artefact) ++counts_.artefact;
    flat_.forget_before(end - guard_n_);
    out.push_back(beat);
    pending_.pop_front();
  }
}

void ArterialBeatExtractor::trim_raw() {
  // The next beat to measure starts at previous_onset_; its foot window reaches foot_n_ before.
  // Before the first onset, keep what the detector may still name as one.
  const std::int64_t keep_from =
      previous_onset_ >= 0
          ? previous_onset_ - foot_n_
          : counts_.samples - std::llround((settings_.onsets.learning_period_s + settings_.onsets.foot_search_s +
                                            settings_.onsets.onset_search_s +
                                            settings_.onsets.search_window_s) *
                                           description_.sample_rate_hz) - foot_n_;
  if (keep_from - raw_first_ < 65536) return;  // erase in large steps
  raw_.erase(raw_.begin(), raw_.begin() + (keep_from - raw_first_));
  raw_first_ = keep_from;
}

}  // namespace ptwin::ingest::waveform
