# SPDX-License-Identifier: Apache-2.0
ptwin_add_test(ingest_vital_signs_bad_inputs_test LABEL unit
               SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/vital_signs_bad_inputs_test.cpp
               LIBS ptwin::ingest)
