// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/pkpd/one_compartment_model.hpp"

#include <cmath>
#include <numbers>

#include "ptwin/physics/pkpd/detail/positive_parameter.hpp"

namespace ptwin::physics::pkpd {

OneCompartmentModel::OneCompartmentModel(const OneCompartmentParameters& parameters)
    : parameters_(parameters) {
  detail::require_positive(parameters.volume.si(), "m3", "one_compartment.volume");
  detail::require_positive(parameters.clearance.si(), "m3/s", "one_compartment.clearance");
}

units::Frequency OneCompartmentModel::elimination_rate() const {
  return units::Frequency::from_si(parameters_.clearance.si() / parameters_.volume.si());
}

units::Duration OneCompartmentModel::half_life() const {
  return units::Duration::from_si(std::numbers::ln2 / elimination_rate().si());
}

CompartmentAmounts OneCompartmentModel::advance(const CompartmentAmounts& amounts,
                                                units::Duration duration, MassRate rate) const {
  const double k_per_s = elimination_rate().si();
  const double decay = std::exp(-k_per_s * duration.si());
  // -expm1 keeps 1 - e^{-k h} accurate for k h << 1.
  const double central_kg =
      amounts.central.si() * decay + rate.si() / k_per_s * -std::expm1(-k_per_s * duration.si());
  return {Mass::from_si(central_kg), Mass::from_si(0.0)};
}

}  // namespace ptwin::physics::pkpd
