// SPDX-License-Identifier: Apache-2.0
#pragma once
// A drug whose effect scales one physiological parameter of the model: pharmacokinetics
// (one- or two-compartment), an effect compartment (ke0) and a sigmoid Emax on the effect-site
// concentration Ce. The multiplier on the parameter is
//   m(t) = 1 + E(Ce(t)),
// so Emax is the fractional change at saturation (Emax = 1: the parameter doubles; a
// vasodilator has -1 < Emax < 0). Example: norepinephrine raising systemic vascular
// resistance (norepinephrine.hpp).

#include <span>
#include <string>
#include <variant>

#include "ptwin/physics/pkpd/concentration_profile.hpp"
#include "ptwin/physics/pkpd/dosing_schedule.hpp"
#include "ptwin/physics/pkpd/one_compartment_model.hpp"
#include "ptwin/physics/pkpd/parameter_multiplier_series.hpp"
#include "ptwin/physics/pkpd/sigmoid_emax.hpp"
#include "ptwin/physics/pkpd/two_compartment_model.hpp"

namespace ptwin::physics::pkpd {

using PharmacokineticModel = std::variant<OneCompartmentModel, TwoCompartmentModel>;

struct DrugEffectModel {
  std::string drug;       // for messages, e.g. "norepinephrine"
  std::string parameter;  // the adjustable parameter it scales, e.g. "systemic_resistance"
  PharmacokineticModel pharmacokinetics;
  units::Frequency ke0;   // effect-site equilibration rate constant
  SigmoidEmaxParameters effect;
};

/// The drug's plasma and effect-site concentrations for `schedule` at `times`.
/// Throws as simulate_profile and InputError naming "<drug>.ke0".
[[nodiscard]] ConcentrationProfile drug_concentrations(
    const DrugEffectModel& model, const DosingSchedule& schedule,
    std::span<const units::Duration> times,
    units::Duration max_step = units::Duration::from_si(1.0));

/// m(t) = 1 + E(Ce(t)) at `times` for `schedule`.
/// Throws InputError(BadInput) naming "<drug>.parameter" when empty, "<drug>.sigmoid_emax.emax"
/// when Emax <= -1 (the multiplier would not stay positive), and as drug_concentrations.
[[nodiscard]] ParameterMultiplierSeries drug_parameter_multipliers(
    const DrugEffectModel& model, const DosingSchedule& schedule,
    std::span<const units::Duration> times,
    units::Duration max_step = units::Duration::from_si(1.0));

}  // namespace ptwin::physics::pkpd
