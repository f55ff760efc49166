# SPDX-License-Identifier: Apache-2.0
# Risk predictors and their baselines (docs/twin.md).
list(APPEND twin_sources
  risk/current_map_baseline.cpp
  risk/haemodynamic_trend_model.cpp
  risk/hypotension_risk_twin.cpp
  risk/haemodynamic_intervention.cpp
  risk/what_if_forecast.cpp
  risk/risk_recalibration.cpp)
