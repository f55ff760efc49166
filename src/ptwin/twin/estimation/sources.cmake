# SPDX-License-Identifier: Apache-2.0
# Joint state-parameter estimation (docs/twin.md, Estimation): UKF and EnKF on a StateSpaceModel,
# and the beat-to-beat estimator of a 0D closed loop's slow parameters.
list(APPEND twin_sources
  estimation/detail/covariance_numerics.cpp
  estimation/detail/measurement_support.cpp
  estimation/unscented_kalman_filter.cpp
  estimation/ensemble_kalman_filter.cpp)
list(APPEND twin_sources
  estimation/zerod_beat_model.cpp
  estimation/beat_estimator.cpp)
