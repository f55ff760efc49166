# SPDX-License-Identifier: Apache-2.0
# UKF/EnKF behaviour: gating, errors on ill-posed problems, covariance health, bad inputs.
ptwin_add_test(twin_estimation_unit_test LABEL unit
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/estimation_filter_test.cpp
  LIBS ptwin::twin)
