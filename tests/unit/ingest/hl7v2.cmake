# SPDX-License-Identifier: Apache-2.0
# HL7 v2: ER7 parser, time stamps, header, ORU/ADT mappings, ACKs, MLLP framing, the ingestor
# (in-memory store) and the bad-input corpus tests/data/bad_inputs/hl7v2 (docs/hl7v2.md).
ptwin_add_test(ingest_hl7v2_test LABEL unit
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/hl7v2_message_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/hl7v2_dtm_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/hl7v2_header_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/hl7v2_oru_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/hl7v2_adt_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/hl7v2_ack_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/hl7v2_mllp_framer_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/hl7v2_ingestor_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/hl7v2_file_splitter_test.cpp
  LIBS ptwin::ingest)
ptwin_add_test(ingest_hl7v2_bad_inputs_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/hl7v2_bad_inputs_test.cpp
  LIBS ptwin::ingest)
