# SPDX-License-Identifier: Apache-2.0
# Arterial pressure beats of a 0D closed-loop waveform against the model's own summary
# (docs/waveform.md#verification).
ptwin_add_test(ingest_waveform_zerod_test LABEL verification
               SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/waveform_zerod_test.cpp
               LIBS ptwin::ingest ptwin::twin fmt::fmt)
