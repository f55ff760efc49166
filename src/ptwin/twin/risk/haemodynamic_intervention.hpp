// SPDX-License-Identifier: Apache-2.0
#pragma once
// What a bedside intervention does to the two determinants of the trend model
// (haemodynamic_trend_model.hpp, MAP = SVR x CO + CVP), as multipliers over time on
// "systemic_resistance" and "cardiac_output" (physics::pkpd::ParameterMultiplierSeries), and
// how uncertain the patient's response is.
//
// Drugs go through the PK/PD model of physics::pkpd (compartments, effect site, sigmoid Emax):
// each scales "systemic_resistance" (a vasopressor, e.g. norepinephrine_on_systemic_resistance)
// or "cardiac_output" (an inotrope) by m(t) = 1 + E(Ce(t)).
//
// A fluid bolus raises cardiac output through preload. Stated assumption (population values,
// not fitted to the patient):
//   retained volume   dV/dt = inflow(t) - V / tau,   V(0) = 0
//   CO multiplier     m(t) = 1 + g V(t)
// - tau = 3 min: the effect of a fluid challenge on cardiac output peaks about one minute after
//   the end of the infusion and has dissipated 10 min later (Aya et al. 2016, Crit Care Med
//   44:880-891, 250 mL over 5 min in postoperative patients); with 4 mL/kg over 10 or 20 min
//   flow effects had dissipated within 5 min of the end (Messina et al. 2021, J Clin Monit
//   Comput, doi:10.1007/s10877-021-00756-3). exp(-10/3) leaves 4 % after 10 min.
// - g = 0.6 per litre retained, relative SD 1.0: a responder raises cardiac output by >= 10-15 %
//   after such a challenge (the usual definition, ibid.), i.e. about 1.2 per litre retained
//   (250 mL over 5 min leaves 0.12 L at its end with tau = 3 min), and only about half of
//   patients respond (Michard & Teboul 2002, Chest 121:2000-2008); the population mean is half
//   a responder's gain and the spread covers non-responders and strong responders.
// The response uncertainty enters as one factor per kind, drawn once per patient:
//   ln SVR += c_d a_svr(t),   ln CO += c_d a_co(t) + c_f f(t),
//   c_d ~ N(1, drug_effect_relative_sd^2),  c_f ~ N(1, fluid_response.gain_relative_sd^2),
// with a = ln of the drug multipliers and f = ln of the fluid multiplier. Being linear in the
// log-state, this keeps the forecast exactly Gaussian (what_if_forecast.hpp).

#include <span>
#include <vector>

#include "ptwin/core/units.hpp"
#include "ptwin/physics/pkpd/fluid_bolus.hpp"
#include "ptwin/physics/pkpd/parameter_multiplier_series.hpp"
#include "ptwin/physics/pkpd/scenario.hpp"

namespace ptwin::twin::risk {

inline constexpr const char* kSystemicResistanceParameter = "systemic_resistance";
inline constexpr const char* kCardiacOutputParameter = "cardiac_output";

struct FluidResponse {
  units::Duration dissipation_time_constant = 3.0 * units::min;  // tau
  double cardiac_output_gain_per_m3 = 0.6e3;  // g: fractional CO rise per m3 retained (0.6 /L)
  double gain_relative_sd = 1.0;
};

struct HaemodynamicIntervention {
  /// Each scales kSystemicResistanceParameter or kCardiacOutputParameter; time 0 is "now" and
  /// the drug's compartments are empty then (a drug already running is not represented).
  std::vector<physics::pkpd::DrugAdministration> drugs;
  std::vector<physics::pkpd::FluidBolus> fluids;  // start times from now
  /// Relative SD of the patient's response to the drugs (assumed: the clearance range of
  /// Beloeil et al. 2005 alone moves the steady-state concentration by a factor of three).
  double drug_effect_relative_sd = 0.3;
  FluidResponse fluid_response;
};

/// The log-multipliers of an intervention on a time grid (from now).
struct InterventionEffects {
  std::vector<units::Duration> times;
  std::vector<double> drug_ln_resistance;      // a_svr
  std::vector<double> drug_ln_cardiac_output;  // a_co
  std::vector<double> fluid_ln_cardiac_output;  // f
  double drug_effect_relative_sd = 0.0;
  double fluid_gain_relative_sd = 0.0;
};

/// The fluid's multiplier series on kCardiacOutputParameter (exact: the retained volume has a
/// closed form for constant-rate infusions).
/// Throws InputError(BadInput) naming "fluid_response.<field>" for a time constant or gain that
/// is not finite and > 0 (gain >= 0), and "fluids[i]" for a bolus with a non-positive duration
/// or volume.
[[nodiscard]] physics::pkpd::ParameterMultiplierSeries fluid_cardiac_output_multipliers(
    std::span<const physics::pkpd::FluidBolus> fluids, const FluidResponse& response,
    std::span<const units::Duration> times);

/// All effects of `intervention` at `times` (non-decreasing, >= 0).
/// Throws InputError naming "drugs[i].parameter" for a parameter other than the two above,
/// "drug_effect_relative_sd" / "fluid_response.gain_relative_sd" (< 0 or not finite), and as
/// the PK/PD functions and fluid_cardiac_output_multipliers.
[[nodiscard]] InterventionEffects intervention_effects(
    const HaemodynamicIntervention& intervention, std::span<const units::Duration> times);

}  // namespace ptwin::twin::risk
