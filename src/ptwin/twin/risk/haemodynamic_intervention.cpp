// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/risk/haemodynamic_intervention.hpp"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::twin::risk {
namespace {

void require(bool is_valid, const std::string& where, double value, const char* rule) {
  if (!is_valid) throw InputError(ErrorCode::BadInput, where, fmt::format("{}", value), rule);
}

// Volume of one constant-rate bolus still retained at `t_s` (seconds from now): the solution of
// dV/dt = R 1[start, end) - V / tau with V = 0 before the start, superposed over boluses.
double retained_m3(const physics::pkpd::FluidBolus& bolus, double tau_s, double t_s) {
  const double start = bolus.start.si();
  const double duration = bolus.duration.si();
  if (t_s <= start) return 0.0;
  const double rate_tau = bolus.volume.si() / duration * tau_s;
  if (t_s <= start + duration) return rate_tau * -std::expm1(-(t_s - start) / tau_s);
  return rate_tau * -std::expm1(-duration / tau_s) * std::exp(-(t_s - start - duration) / tau_s);
}

}  // namespace

physics::pkpd::ParameterMultiplierSeries fluid_cardiac_output_multipliers(
    std::span<const physics::pkpd::FluidBolus> fluids, const FluidResponse& response,
    std::span<const units::Duration> times) {
  const double tau_s = response.dissipation_time_constant.si();
  require(std::isfinite(tau_s) && tau_s > 0.0, "fluid_response.dissipation_time_constant", tau_s,
          "must be a positive finite time in s");
  const double gain = response.cardiac_output_gain_per_m3;
  require(std::isfinite(gain) && gain >= 0.0, "fluid_response.cardiac_output_gain_per_m3", gain,
          "must be finite and >= 0 (fractional rise of cardiac output per m3 retained)");
  for (std::size_t i = 0; i < fluids.size(); ++i) {
    const auto& bolus = fluids[i];
    require(std::isfinite(bolus.duration.si()) && bolus.duration.si() > 0.0,
            fmt::format("fluids[{}].duration", i), bolus.duration.si(), "must be > 0 s");
    require(std::isfinite(bolus.volume.si()) && bolus.volume.si() > 0.0,
            fmt::format("fluids[{}].volume", i), bolus.volume.si(), "must be > 0 m3");
    require(std::isfinite(bolus.start.si()) && bolus.start.si() >= 0.0,
            fmt::format("fluids[{}].start", i), bolus.start.si(), "must be >= 0 s from now");
  }
  physics::pkpd::ParameterMultiplierSeries series{kCardiacOutputParameter,
                                                  {times.begin(), times.end()}, {}};
  series.multipliers.reserve(times.size());
  for (const auto time : times) {
    double retained = 0.0;
    for (const auto& bolus : fluids) retained += retained_m3(bolus, tau_s, time.si());
    series.multipliers.push_back(1.0 + gain * retained);
  }
  return series;
}

InterventionEffects intervention_effects(const HaemodynamicIntervention& intervention,
                                         std::span<const units::Duration> times) {
  require(std::isfinite(intervention.drug_effect_relative_sd) &&
              intervention.drug_effect_relative_sd >= 0.0,
          "drug_effect_relative_sd", intervention.drug_effect_relative_sd, "must be finite and >= 0");
  const double fluid_sd = intervention.fluid_response.gain_relative_sd;
  require(std::isfinite(fluid_sd) && fluid_sd >= 0.0, "fluid_response.gain_relative_sd", fluid_sd,
          "must be finite and >= 0");
  for (std::size_t i = 0; i < intervention.drugs.size(); ++i) {
    const std::string& parameter = intervention.drugs[i].model.parameter;
    if (parameter != kSystemicResistanceParameter && parameter != kCardiacOutputParameter) {
      throw InputError(ErrorCode::BadInput, fmt::format("drugs[{}].parameter", i), parameter,
                       fmt::format("the haemodynamic trend model has only '{}' and '{}'",
                                   kSystemicResistanceParameter, kCardiacOutputParameter));
    }
  }
  InterventionEffects effects;
  effects.times.assign(times.begin(), times.end());
  effects.drug_ln_resistance.assign(times.size(), 0.0);
  effects.drug_ln_cardiac_output.assign(times.size(), 0.0);
  effects.fluid_ln_cardiac_output.assign(times.size(), 0.0);
  effects.drug_effect_relative_sd = intervention.drug_effect_relative_sd;
  effects.fluid_gain_relative_sd = fluid_sd;
  physics::pkpd::Scenario drugs_only;
  drugs_only.drugs = intervention.drugs;
  // One series per parameter; drives on one parameter multiply (physics/pkpd/scenario.hpp).
  for (const auto& series : physics::pkpd::scenario_parameter_multipliers(drugs_only, times)) {
    auto& target = series.parameter == kSystemicResistanceParameter ? effects.drug_ln_resistance
                                                                    : effects.drug_ln_cardiac_output;
    for (std::size_t k = 0; k < times.size(); ++k) target[k] = std::log(series.multipliers[k]);
  }
  if (!intervention.fluids.empty()) {
    const auto fluid =
        fluid_cardiac_output_multipliers(intervention.fluids, intervention.fluid_response, times);
    for (std::size_t k = 0; k < times.size(); ++k) {
      effects.fluid_ln_cardiac_output[k] = std::log(fluid.multipliers[k]);
    }
  }
  return effects;
}

}  // namespace ptwin::twin::risk
