// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the twin believed at one moment: the filtering posterior of the haemodynamic trend model
// (HaemodynamicTrendModel) summarised as 5/50/95 % quantiles of MAP, cardiac output and systemic
// vascular resistance. The state is Gaussian in log space, so each quantity is log-normal:
//   ln CO ~ N(x_2, P_22), ln SVR ~ N(x_0, P_00), ln(MAP - CVP) ~ N(x_0 + x_2, P_00 + 2 P_02 + P_22)
// and its quantiles are exact (the 90 % band is the 5-95 % interval). These are the points the
// dashboard draws as the twin's estimate and band beside the measured samples.

#include "ptwin/core/time.hpp"
#include "ptwin/twin/estimation/state_space_model.hpp"
#include "ptwin/twin/risk/hypotension_risk_twin.hpp"

namespace ptwin::twin::live {

struct EstimatePoint {
  time::Instant time{};
  risk::ForecastQuantiles mean_arterial_pressure_pa;
  risk::ForecastQuantiles cardiac_output_m3_per_s;
  risk::ForecastQuantiles systemic_vascular_resistance_pa_s_per_m3;  // (MAP - CVP) / CO
};

/// Summarises a posterior of the trend model's four-state vector [ln SVR, rate, ln CO, rate] at
/// `time`; `central_venous_pressure_pa` is the model's CVP constant.
[[nodiscard]] EstimatePoint estimate_point(time::Instant time,
                                           const estimation::GaussianEstimate& estimate,
                                           double central_venous_pressure_pa);

}  // namespace ptwin::twin::live
