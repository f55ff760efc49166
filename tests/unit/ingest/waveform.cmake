# SPDX-License-Identifier: Apache-2.0
# Arterial blood pressure waveforms (src/ptwin/ingest/waveform, docs/waveform.md).
ptwin_add_test(ingest_waveform_test LABEL unit
               SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/waveform_beat_extractor_test.cpp
                       ${CMAKE_CURRENT_SOURCE_DIR}/waveform_quality_test.cpp
                       ${CMAKE_CURRENT_SOURCE_DIR}/waveform_input_test.cpp
               LIBS ptwin::ingest)
