# SPDX-License-Identifier: Apache-2.0
# HL7 v2 over MLLP on 127.0.0.1 into a SQLite store in a temp dir (docs/hl7v2.md).
ptwin_add_test(ingest_hl7v2_mllp_test LABEL integration
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/hl7v2_mllp_test.cpp
  LIBS ptwin::ingest ptwin::store Boost::headers Threads::Threads)
