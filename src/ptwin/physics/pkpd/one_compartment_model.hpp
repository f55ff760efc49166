// SPDX-License-Identifier: Apache-2.0
#pragma once
// One-compartment model with first-order elimination (Gibaldi & Perrier, Pharmacokinetics,
// 2nd ed. 1982, ch. 1-2; gibaldi1982pharmacokinetics):
//   dA/dt = R(t) - k A,   k = CL / V,   C = A / V
// State: A, the amount in the compartment (kg). Parameters: V (m3), CL (m3/s).
// Over an interval of length h with constant rate R the exact solution is
//   A(h) = A(0) e^{-k h} + (R / k) (1 - e^{-k h}),
// which gives the textbook bolus curve C = D/V e^{-k t} and infusion curve
// C = R/CL (1 - e^{-k t}) as special cases.

#include "ptwin/physics/pkpd/compartment_model.hpp"

namespace ptwin::physics::pkpd {

struct OneCompartmentParameters {
  units::Volume volume;  // V
  Clearance clearance;   // CL
};

class OneCompartmentModel final : public CompartmentModel {
 public:
  /// Throws InputError(BadInput) naming "one_compartment.volume" or ".clearance" for a value
  /// that is not finite and > 0.
  explicit OneCompartmentModel(const OneCompartmentParameters& parameters);

  [[nodiscard]] CompartmentAmounts advance(const CompartmentAmounts& amounts,
                                           units::Duration duration,
                                           MassRate rate) const override;
  [[nodiscard]] units::Volume central_volume() const override { return parameters_.volume; }
  [[nodiscard]] Clearance clearance() const override { return parameters_.clearance; }
  /// Elimination rate constant k = CL / V.
  [[nodiscard]] units::Frequency elimination_rate() const;
  /// Elimination half-life ln 2 / k.
  [[nodiscard]] units::Duration half_life() const;

 private:
  OneCompartmentParameters parameters_;
};

}  // namespace ptwin::physics::pkpd
