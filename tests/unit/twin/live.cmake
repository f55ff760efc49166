# SPDX-License-Identifier: Apache-2.0
ptwin_add_test(twin_live_risk_stage_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/hypotension_risk_stage_test.cpp LIBS ptwin::twin)
ptwin_add_test(twin_live_estimate_history_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/estimate_history_test.cpp LIBS ptwin::twin)
