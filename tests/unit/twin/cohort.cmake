# SPDX-License-Identifier: Apache-2.0
ptwin_add_test(twin_cohort_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/hypotension_cohort_test.cpp LIBS ptwin::twin)
ptwin_add_test(twin_deterioration_recording_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/deterioration_recording_test.cpp LIBS ptwin::twin)
