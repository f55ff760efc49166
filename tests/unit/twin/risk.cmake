# SPDX-License-Identifier: Apache-2.0
ptwin_add_test(twin_what_if_unit_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/what_if_intervention_test.cpp LIBS ptwin::twin)
ptwin_add_test(twin_risk_recalibration_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/risk_recalibration_test.cpp LIBS ptwin::twin)
