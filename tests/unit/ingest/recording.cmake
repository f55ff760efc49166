# SPDX-License-Identifier: Apache-2.0
# MQTT feed recordings: the reader, the writer, and the bad-input corpus.
ptwin_add_test(ingest_recording_unit_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/recording_reader_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/recording_bad_inputs_test.cpp
  LIBS ptwin::ingest fmt::fmt)
