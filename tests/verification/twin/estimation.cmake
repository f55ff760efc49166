# SPDX-License-Identifier: Apache-2.0
# UKF and EnKF against the exact Kalman filter; calibration of a nonlinear twin experiment.
ptwin_add_test(twin_estimation_verification_test LABEL verification
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/estimation_linear_gaussian_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/estimation_twin_experiment_test.cpp
  LIBS ptwin::twin)

# Beat-to-beat estimator on the shipped closed-loop 0D model (twin experiment, < 30 s).
ptwin_add_test(twin_estimation_zerod_test LABEL verification
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/estimation_zerod_beat_test.cpp
  LIBS ptwin::twin)
