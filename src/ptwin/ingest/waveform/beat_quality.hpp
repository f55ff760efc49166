// SPDX-License-Identifier: Apache-2.0
#pragma once
// Beat-by-beat artefact rules in the spirit of the signal abnormality index of
// Sun JX, Reisner AT, Mark RG. A signal abnormality index for arterial blood pressure
// waveforms. Computers in Cardiology 2006;33:13-16: a beat outside physiologic ranges is an
// artefact; a beat that differs abruptly from the previous trusted beat is questionable (it
// may be a real, sudden change the twin must see, so it is kept but flagged). Beats touching a
// line flush or a zeroing segment are artefacts whatever their values.

#include <optional>

#include "ptwin/ingest/waveform/arterial_beat.hpp"
#include "ptwin/ingest/waveform/flat_segment_detector.hpp"

namespace ptwin::ingest::waveform {

struct BeatQualityRules {
  units::Pressure systolic_min = 20.0 * units::mmHg;
  units::Pressure systolic_max = 300.0 * units::mmHg;
  units::Pressure diastolic_min = 20.0 * units::mmHg;
  units::Pressure diastolic_max = 200.0 * units::mmHg;
  units::Pressure mean_min = 30.0 * units::mmHg;
  units::Pressure mean_max = 200.0 * units::mmHg;
  units::Frequency heart_rate_min = 20.0 * units::bpm;
  units::Frequency heart_rate_max = 200.0 * units::bpm;
  units::Pressure pulse_pressure_min = 20.0 * units::mmHg;
  units::Pressure max_systolic_change = 20.0 * units::mmHg;
  units::Pressure max_diastolic_change = 20.0 * units::mmHg;
  units::Duration max_period_change = (2.0 / 3.0) * units::s;
};

/// Sets `beat.issues` and `beat.quality` from the rules, the flat segment the beat touches (if
/// any) and the previous beat that was not an artefact (if any).
void assess(ArterialBeat& beat, const BeatQualityRules& rules,
            std::optional<FlatSegmentKind> flat_segment, const ArterialBeat* previous_trusted);

}  // namespace ptwin::ingest::waveform
