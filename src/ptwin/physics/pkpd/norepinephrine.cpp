// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/pkpd/norepinephrine.hpp"

#include <utility>

namespace ptwin::physics::pkpd {

DrugEffectModel norepinephrine_on_systemic_resistance(std::string parameter) {
  // Values and sources: see the header. Illustrative population values.
  return DrugEffectModel{
      .drug = "norepinephrine",
      .parameter = std::move(parameter),
      .pharmacokinetics = OneCompartmentModel({.volume = 8.8 * units::L,
                                               .clearance = 2.0 * units::L_per_min}),
      .ke0 = 0.5 * per_min,
      .effect = {.emax = 1.0, .ec50 = 5.0 * ug_per_L, .hill = 1.5},
  };
}

}  // namespace ptwin::physics::pkpd
