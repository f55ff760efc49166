// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/waveform/beat_samples.hpp"

#include <utility>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"

namespace ptwin::ingest::waveform {

BeatSamples to_samples(std::span<const ArterialBeat> beats, std::string_view patient_id,
                       std::string_view source) {
  if (patient_id.empty()) {
    throw InputError(ErrorCode::MissingField, fmt::format("ABP beats {}: patient_id", source),
                     "(empty)", "every Sample belongs to a patient");
  }
  if (source.empty()) {
    throw InputError(ErrorCode::MissingField, "ABP beats: source", "(empty)",
                     "name the signal, e.g. \"monitor:bed4/ABP\"");
  }
  BeatSamples result;
  for (const auto& beat : beats) {
    if (beat.quality == SampleQuality::Artefact) {
      result.excluded.push_back({beat.onset_index, beat.onset_time, describe(beat.issues)});
      continue;
    }
    Sample prototype;
    prototype.patient_id = std::string(patient_id);
    prototype.time = beat.onset_time;
    prototype.source_id = fmt::format("{}#beat@{}", source, beat.onset_index);
    prototype.quality = beat.quality;
    const auto add = [&](std::string_view code, double value_si, std::string_view unit) {
      Sample sample = prototype;
      sample.code = std::string(code);
      sample.value_si = value_si;
      sample.unit_of_origin = std::string(unit);
      result.samples.push_back(std::move(sample));
    };
    add(fhir::loinc::kSystolicPressure, beat.systolic.si(), units::mmHg.symbol);
    add(fhir::loinc::kDiastolicPressure, beat.diastolic.si(), units::mmHg.symbol);
    add(fhir::loinc::kMeanPressure, beat.mean.si(), units::mmHg.symbol);
    add(fhir::loinc::kHeartRate, beat.heart_rate.si(), units::bpm.symbol);
    ++result.converted_beats;
  }
  return result;
}

}  // namespace ptwin::ingest::waveform
