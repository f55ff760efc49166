# SPDX-License-Identifier: Apache-2.0
# The sample stream later stages attach to (src/ptwin/ingest/stream).
ptwin_add_test(ingest_sample_stream_test LABEL unit
               SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/sample_stream_test.cpp
               LIBS ptwin::ingest ptwin::store)
