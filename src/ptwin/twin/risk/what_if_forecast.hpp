// SPDX-License-Identifier: Apache-2.0
#pragma once
// What-if forecast: MAP and cardiac output over the horizon with 90 % intervals, and the
// hypotension risk, from the patient's current posterior, with and without an intervention
// (haemodynamic_intervention.hpp).
//
// Method (exact under the model, no sampling): the trend model is linear in its log-space state
// x = [ln SVR, rate, ln CO, rate], so the forecast of x is Gaussian, N(m(t), P(t)), by the Kalman
// prediction of the posterior. The intervention adds deterministic log-offsets scaled by
// response factors that are independent of x (c_d, c_f ~ N(1, s^2)):
//   ln(MAP - CVP)(t) = ln SVR + ln CO + c_d (a_svr + a_co) + c_f f
//     ~ N(m_svr + m_co + a_svr + a_co + f,  var_x + s_d^2 (a_svr + a_co)^2 + s_f^2 f^2)
//   ln CO(t)         ~ N(m_co + a_co + f,  P_co + s_d^2 a_co^2 + s_f^2 f^2)
// so MAP - CVP and CO are log-normal and their 5/50/95 % quantiles are exact. The risk is the
// twin's (hypotension_risk_twin.hpp): the largest marginal P(MAP(t) < threshold) over the times
// at which a run of the minimum duration could have ended. The intervention does not feed back
// into the natural dynamics (the multipliers ride on top of the drifts: no baroreflex).

#include <chrono>
#include <span>
#include <vector>

#include "ptwin/core/time.hpp"
#include "ptwin/twin/risk/haemodynamic_intervention.hpp"
#include "ptwin/twin/risk/hypotension_risk_twin.hpp"

namespace ptwin::twin::risk {

struct ForecastAtLead {
  std::chrono::seconds lead{0};  // from the twin's time
  ForecastQuantiles mean_arterial_pressure_pa;
  ForecastQuantiles cardiac_output_m3_per_s;
  double resistance_multiplier = 1.0;      // nominal (c_d = 1)
  double cardiac_output_multiplier = 1.0;  // nominal (c_d = c_f = 1)
};

struct ScenarioForecast {
  std::vector<ForecastAtLead> points;  // at the requested leads, in order
  double probability = 0.0;  // P(MAP < threshold for >= minimum duration within the horizon)
};

struct WhatIfForecast {
  time::Instant time;
  std::chrono::seconds horizon{0};
  ScenarioForecast without_intervention;
  ScenarioForecast with_intervention;
};

/// Forecasts from `twin`'s latest estimate over `horizon`, reporting quantiles at `leads`
/// (each a positive multiple of the twin's forecast step, not beyond the horizon).
/// Throws InputError naming "horizon" (not a positive multiple of the forecast step),
/// "leads[i]" (as above), and as intervention_effects.
[[nodiscard]] WhatIfForecast forecast_what_if(const HypotensionRiskTwin& twin,
                                              const HaemodynamicIntervention& intervention,
                                              std::chrono::seconds horizon,
                                              std::span<const std::chrono::seconds> leads);

}  // namespace ptwin::twin::risk
