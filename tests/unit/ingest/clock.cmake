# SPDX-License-Identifier: Apache-2.0
# Source clock offset and drift (src/ptwin/ingest/clock).
ptwin_add_test(ingest_clock_test LABEL unit
               SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/clock_model_test.cpp
                       ${CMAKE_CURRENT_SOURCE_DIR}/source_clock_tracker_test.cpp
               LIBS ptwin::ingest)
