// SPDX-License-Identifier: Apache-2.0
#pragma once
// The interface shared by the linear compartment pharmacokinetic models: drug amounts in a
// central (plasma) compartment and, for the two-compartment model, one peripheral compartment,
// advanced exactly over an interval with a constant infusion into the central compartment.
// Linear models need no time step: each closed-form advance is exact, so a schedule is walked
// from one event to the next (concentration_profile.hpp).

#include "ptwin/core/units.hpp"
#include "ptwin/physics/pkpd/drug_quantities.hpp"

namespace ptwin::physics::pkpd {

struct CompartmentAmounts {
  Mass central;
  Mass peripheral;  // always zero in a one-compartment model
  friend bool operator==(const CompartmentAmounts&, const CompartmentAmounts&) = default;
};

class CompartmentModel {
 public:
  virtual ~CompartmentModel() = default;
  CompartmentModel() = default;
  CompartmentModel(const CompartmentModel&) = default;
  CompartmentModel& operator=(const CompartmentModel&) = default;
  CompartmentModel(CompartmentModel&&) = default;
  CompartmentModel& operator=(CompartmentModel&&) = default;

  /// The amounts after `duration` (>= 0) with a constant infusion `rate` into the central
  /// compartment, starting from `amounts`. Exact (closed form).
  [[nodiscard]] virtual CompartmentAmounts advance(const CompartmentAmounts& amounts,
                                                   units::Duration duration,
                                                   MassRate rate) const = 0;
  /// Central volume of distribution V1.
  [[nodiscard]] virtual units::Volume central_volume() const = 0;
  /// Elimination clearance CL (from the central compartment).
  [[nodiscard]] virtual Clearance clearance() const = 0;

  /// Plasma concentration of `amounts`: central amount / V1.
  [[nodiscard]] MassConcentration plasma_concentration(const CompartmentAmounts& amounts) const {
    return MassConcentration::from_si(amounts.central.si() / central_volume().si());
  }
  /// Steady-state plasma concentration of a constant infusion: rate / CL, for any linear
  /// model eliminating from the central compartment.
  [[nodiscard]] MassConcentration steady_state_concentration(MassRate rate) const {
    return MassConcentration::from_si(rate.si() / clearance().si());
  }
};

}  // namespace ptwin::physics::pkpd
