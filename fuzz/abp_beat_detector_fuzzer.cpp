// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the arterial pressure beat extractor (ingest/waveform) on any signal.
// Input layout: bytes 0-1 pick the rate (50-1049 Hz), byte 2 the chunking; then each pair of
// bytes is one sample, a little-endian int16 read as 1/100 mmHg (+-327 mmHg), with -32768
// standing for a NaN sample. ptwin::Error is the expected way to refuse a chunk. Findings
// besides crashes, sanitizer reports and other exceptions:
//   - a refused chunk that changes the extractor: the beats of the chunked run must equal those
//     of one run over the accepted chunks only;
//   - beats that are not time-ordered (onset index and instant strictly increasing);
//   - a beat with a non-finite or non-positive duration, a non-finite feature, a heart rate
//     that is not 1 / duration, or a quality that does not follow from its issues;
//   - counts that do not add up, or Samples that are not finite.
// Seeds: none are needed (libFuzzer grows them); docs/waveform.md#fuzzing.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/waveform/arterial_beat_extractor.hpp"
#include "ptwin/ingest/waveform/beat_samples.hpp"

namespace {

using namespace ptwin::ingest::waveform;
namespace units = ptwin::units;

void check_beats(const std::vector<ArterialBeat>& beats, const BeatExtractionCounts& counts) {
  for (std::size_t i = 0; i < beats.size(); ++i) {
    const auto& beat = beats[i];
    if (i > 0 && (beat.onset_index <= beats[i - 1].onset_index ||
                  beat.onset_time <= beats[i - 1].onset_time)) {
      std::abort();
    }
    for (const double value : {beat.systolic.si(), beat.diastolic.si(), beat.mean.si(),
                               beat.pulse_pressure.si(), beat.heart_rate.si()}) {
      if (!std::isfinite(value)) std::abort();
    }
    if (!(beat.duration.si() > 0.0) || !std::isfinite(beat.duration.si())) std::abort();
    if (std::abs(beat.heart_rate.si() * beat.duration.si() - 1.0) > 1e-9) std::abort();
    if (beat.systolic < beat.mean || beat.systolic < beat.diastolic) std::abort();
    if ((beat.quality == ptwin::SampleQuality::Good) != beat.issues.is_empty()) std::abort();
  }
  if (counts.beats != static_cast<std::int64_t>(beats.size()) ||
      counts.good + counts.questionable + counts.artefact != counts.beats) {
    std::abort();
  }
  const auto converted = to_samples(beats, "fuzz", "fuzz:ABP");
  if (converted.converted_beats + static_cast<std::int64_t>(converted.excluded.size()) !=
      counts.beats) {
    std::abort();
  }
  for (const auto& sample : converted.samples) {
    if (!std::isfinite(sample.value_si)) std::abort();
  }
}

std::vector<ArterialBeat> run(ArterialBeatExtractor& extractor,
                              const std::vector<std::vector<units::Pressure>>& chunks,
                              std::vector<std::vector<units::Pressure>>* accepted) {
  std::vector<ArterialBeat> beats;
  for (const auto& chunk : chunks) {
    try {
      const auto out = extractor.push(chunk);
      beats.insert(beats.end(), out.begin(), out.end());
      if (accepted != nullptr) accepted->push_back(chunk);
    } catch (const ptwin::Error&) {
      // refused whole; the extractor must be unchanged (checked by the caller)
    }
  }
  const auto rest = extractor.finish();
  beats.insert(beats.end(), rest.begin(), rest.end());
  return beats;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const SignalDescription description{
      .source = "fuzz:ABP",
      .start = ptwin::time::from_epoch_ns(1'700'000'000'000'000'000),
      .sample_rate_hz = 50.0 + static_cast<double>((data[0] | (data[1] << 8)) % 1000)};
  const std::size_t max_chunk = 1 + data[2] * 37U;

  std::vector<std::vector<units::Pressure>> chunks(1);
  std::size_t chunk_limit = 1 + (data[2] % max_chunk);
  for (std::size_t i = 3; i + 1 < size; i += 2) {
    const auto raw = static_cast<std::int16_t>(data[i] | (data[i + 1] << 8));
    const double mmhg = raw == INT16_MIN ? std::nan("") : raw / 100.0;
    chunks.back().push_back(mmhg * units::mmHg);
    if (chunks.back().size() >= chunk_limit) {
      chunks.emplace_back();
      chunk_limit = 1 + ((chunk_limit * 131U + data[i]) % max_chunk);
    }
  }

  ArterialBeatExtractor chunked(description);
  std::vector<std::vector<units::Pressure>> accepted;
  const auto chunked_beats = run(chunked, chunks, &accepted);
  check_beats(chunked_beats, chunked.counts());

  std::vector<units::Pressure> all;
  for (const auto& chunk : accepted) all.insert(all.end(), chunk.begin(), chunk.end());
  ArterialBeatExtractor one_shot(description);
  const auto one_shot_beats = run(one_shot, {all}, nullptr);
  if (one_shot_beats != chunked_beats) std::abort();
  return 0;
}
