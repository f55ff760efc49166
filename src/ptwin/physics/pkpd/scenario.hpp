// SPDX-License-Identifier: Apache-2.0
#pragma once
// A what-if scenario: drugs given on schedules and fluid boluses, turned into one multiplier
// series per model parameter. Where several drives scale the same parameter their multipliers
// multiply (independent effects on the same value; no interaction model).
//
// A fluid bolus scales a volume parameter (e.g. a closed loop's stressed blood volume, an
// "initial:<variable>" adjustable parameter) by (V_ref + V_given(t)) / V_ref, with V_ref the
// model's reference volume of that parameter. For a model that takes an inflow instead, use
// fluid_inflow_at() (fluid_bolus.hpp) as a prescribed flow.

#include <span>
#include <string>
#include <vector>

#include "ptwin/physics/pkpd/drug_effect_model.hpp"
#include "ptwin/physics/pkpd/fluid_bolus.hpp"

namespace ptwin::physics::pkpd {

struct DrugAdministration {
  DrugEffectModel model;
  DosingSchedule schedule;
};

struct FluidVolumeEffect {
  std::string parameter;           // e.g. "stressed_volume"
  units::Volume reference_volume;  // the model's value of that volume (> 0)
  std::vector<FluidBolus> boluses;
};

struct Scenario {
  std::vector<DrugAdministration> drugs;
  std::vector<FluidVolumeEffect> fluids;
};

/// (V_ref + V_given(t)) / V_ref at `times`.
/// Throws InputError naming "fluids.<parameter>.reference_volume" (not > 0) or
/// "fluids.parameter" (empty).
[[nodiscard]] ParameterMultiplierSeries fluid_parameter_multipliers(
    const FluidVolumeEffect& fluid, std::span<const units::Duration> times);

/// One series per parameter named in the scenario, in name order, on `times`.
/// Throws as drug_parameter_multipliers and fluid_parameter_multipliers.
[[nodiscard]] std::vector<ParameterMultiplierSeries> scenario_parameter_multipliers(
    const Scenario& scenario, std::span<const units::Duration> times,
    units::Duration max_step = units::Duration::from_si(1.0));

}  // namespace ptwin::physics::pkpd
