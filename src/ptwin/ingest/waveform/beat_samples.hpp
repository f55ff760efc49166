// SPDX-License-Identifier: Apache-2.0
#pragma once
// Arterial beats as canonical Samples for the twin: per trusted beat, systolic, diastolic and
// mean arterial pressure and heart rate, stamped at the beat's onset, with the LOINC codes the
// FHIR vital-sign reader uses (ingest/fhir/vital_signs_reader.hpp). Artefact beats (out of
// physiologic range, line flush, zeroing) become no Sample: they are counted as excluded with
// their reasons, so that beats = converted + excluded. Questionable beats (abrupt change) are
// converted with SampleQuality::Questionable.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/sample.hpp"
#include "ptwin/ingest/waveform/arterial_beat.hpp"

namespace ptwin::ingest::waveform {

struct ExcludedBeat {
  std::int64_t onset_index = 0;
  time::Instant onset_time{};
  std::string reason;  // describe(issues)
};

struct BeatSamples {
  std::vector<Sample> samples;          // 4 per converted beat, in beat order
  std::int64_t converted_beats = 0;
  std::vector<ExcludedBeat> excluded;   // artefact beats
};

/// Converts `beats` of the signal named `source` for `patient_id`. Sample::source_id is
/// "<source>#beat@<onset sample index>". Throws InputError(MissingField) when patient_id or
/// source is empty.
[[nodiscard]] BeatSamples to_samples(std::span<const ArterialBeat> beats,
                                     std::string_view patient_id, std::string_view source);

}  // namespace ptwin::ingest::waveform
