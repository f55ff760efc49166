# SPDX-License-Identifier: Apache-2.0
# Arterial blood pressure waveforms: beat onsets (slope sum function), beat features, flush and
# zeroing segments, artefact rules, beats as Samples (docs/waveform.md).
list(APPEND ingest_sources
  waveform/pressure_signal.cpp
  waveform/slope_sum_onset_detector.cpp
  waveform/flat_segment_detector.cpp
  waveform/beat_quality.cpp
  waveform/arterial_beat_extractor.cpp
  waveform/beat_samples.cpp)
