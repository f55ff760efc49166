# SPDX-License-Identifier: Apache-2.0
# What-if forecast: zero dose, Emax effect in log space, interval coverage in a twin experiment.
ptwin_add_test(twin_what_if_verification_test LABEL verification
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/what_if_forecast_test.cpp
  LIBS ptwin::twin)
# The risk twin under the EnKF against the same twin under the UKF (docs/twin.md#filters).
ptwin_add_test(twin_risk_enkf_verification_test LABEL verification
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/hypotension_risk_enkf_test.cpp
  LIBS ptwin::twin)
