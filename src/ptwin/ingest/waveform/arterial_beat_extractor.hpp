// SPDX-License-Identifier: Apache-2.0
#pragma once
// Beat-to-beat features of an arterial blood pressure waveform, streaming: pressure samples
// in (any chunk sizes), beats out with their features and quality (docs/waveform.md).
//   onsets:   SlopeSumOnsetDetector (Zong et al. 2003)
//   features: per beat [onset_k, onset_k+1): systolic = max, diastolic = min within
//             +-`foot_window_s` of the onset, mean = area / duration (rectangle rule over the
//             beat's samples), pulse pressure, duration, heart rate = 1 / duration
//   quality:  FlatSegmentDetector (line flush, zeroing) and BeatQualityRules (Sun et al. 2006)
// A beat is returned once the samples after it are enough to know whether a flush or zeroing
// segment starts within `flat_guard_s` of it, i.e. about 2 s after its end; finish() returns
// the rest. The stretch after the last onset is not a complete beat and is not returned, nor
// is a stretch of more than `max_beat_s` between two onsets (counted in abandoned_spans).
// Not thread-safe; one extractor per signal.

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "ptwin/core/units.hpp"
#include "ptwin/ingest/waveform/arterial_beat.hpp"
#include "ptwin/ingest/waveform/beat_quality.hpp"
#include "ptwin/ingest/waveform/flat_segment_detector.hpp"
#include "ptwin/ingest/waveform/pressure_signal.hpp"
#include "ptwin/ingest/waveform/slope_sum_onset_detector.hpp"

namespace ptwin::ingest::waveform {

struct BeatExtractionSettings {
  SlopeSumSettings onsets;
  FlatSegmentSettings flat_segments;
  BeatQualityRules quality;
  double foot_window_s = 0.050;  // where the diastolic minimum is looked for around the onset
  double flat_guard_s = 0.5;     // beats this close to a flush/zeroing segment are excluded too
  // Onsets further apart than this delimit no beat (a disconnected or flat line): the span is
  // counted as abandoned and its samples are not kept. Far above the 3 s of the 20 /min rule,
  // so that flushes and zeroing still show as flagged beats.
  double max_beat_s = 10.0;
};

/// Counts since the start of the signal.
struct BeatExtractionCounts {
  std::int64_t samples = 0;
  std::int64_t beats = 0;  // returned so far = good + questionable + artefact
  std::int64_t good = 0;
  std::int64_t questionable = 0;
  std::int64_t artefact = 0;
  std::int64_t abandoned_spans = 0;  // stretches longer than max_beat_s between onsets
};

class ArterialBeatExtractor {
 public:
  /// Throws InputError naming the field when the description or a setting is invalid.
  explicit ArterialBeatExtractor(SignalDescription description,
                                 const BeatExtractionSettings& settings = {});

  /// Feeds the next samples and returns the beats completed and assessed so far, in onset
  /// order. Throws InputError naming the sample index and value when a sample is not finite or
  /// not a plausible pressure (pressure_signal.hpp); the chunk is then refused as a whole and
  /// the extractor is unchanged.
  [[nodiscard]] std::vector<ArterialBeat> push(std::span<const units::Pressure> pressures);

  /// End of the signal: returns the remaining beats. Further calls are a programmer error.
  [[nodiscard]] std::vector<ArterialBeat> finish();

  [[nodiscard]] const BeatExtractionCounts& counts() const { return counts_; }
  [[nodiscard]] const SignalDescription& description() const { return description_; }
  /// Flush and zeroing segments currently known (older ones are forgotten as beats pass them).
  [[nodiscard]] std::vector<FlatSegment> flat_segments() const { return flat_.segments(); }

 private:
  void measure_beats(std::span<const std::int64_t> onsets);
  [[nodiscard]] ArterialBeat measure(std::int64_t onset, std::int64_t next_onset) const;
  void trim_raw();
  void release(bool is_final, std::vector<ArterialBeat>& out);
  [[nodiscard]] double raw_at(std::int64_t index) const {
    return raw_[static_cast<std::size_t>(index - raw_first_)];
  }

  SignalDescription description_;
  BeatExtractionSettings settings_;
  SlopeSumOnsetDetector detector_;
  FlatSegmentDetector flat_;
  std::int64_t foot_n_;
  std::int64_t guard_n_;
  std::int64_t max_beat_n_;
  bool is_finished_ = false;

  std::vector<double> raw_;  // samples [raw_first_, sample count), Pa
  std::int64_t raw_first_ = 0;
  std::int64_t previous_onset_ = -1;
  std::vector<std::int64_t> new_onsets_;
  struct PendingBeat {
    ArterialBeat beat;
    std::int64_t end = 0;  // sample index of the next onset
  };
  std::deque<PendingBeat> pending_;  // measured, waiting for flat segment confirmation
  std::optional<ArterialBeat> previous_trusted_;
  BeatExtractionCounts counts_;
};

}  // namespace ptwin::ingest::waveform
