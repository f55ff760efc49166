// SPDX-License-Identifier: Apache-2.0
#pragma once
// Two-compartment mammillary model, elimination from the central compartment (Gibaldi &
// Perrier 1982, ch. 2; gibaldi1982pharmacokinetics):
//   dA1/dt = R(t) - (k10 + k12) A1 + k21 A2
//   dA2/dt =        k12 A1        - k21 A2
//   k10 = CL / V1,  k12 = Q / V1,  k21 = Q / V2,  C = A1 / V1
// State: A1, A2 (kg). Parameters: V1, V2 (m3), CL, Q (m3/s).
// The hybrid rate constants are the roots of s^2 - (k10 + k12 + k21) s + k10 k21 = 0,
//   alpha, beta = ((k10 + k12 + k21) +- sqrt((k10 + k12 + k21)^2 - 4 k10 k21)) / 2,
// distinct whenever Q > 0, so a bolus D gives C(t) = A e^{-alpha t} + B e^{-beta t} with
// A = D/V1 (alpha - k21)/(alpha - beta), B = D/V1 (k21 - beta)/(alpha - beta).
// advance() is exact for a constant rate: x(h) = x_ss + e^{K h}(x(0) - x_ss), with x_ss the
// steady state of the rate and e^{K h} from Sylvester's formula for the 2x2 matrix K, written
// with the divided difference (e^{-alpha h} - e^{-beta h}) / (beta - alpha) through expm1.

#include "ptwin/physics/pkpd/compartment_model.hpp"

namespace ptwin::physics::pkpd {

struct TwoCompartmentParameters {
  units::Volume central_volume;        // V1
  Clearance clearance;                 // CL
  Clearance intercompartmental_clearance;  // Q
  units::Volume peripheral_volume;     // V2
};

class TwoCompartmentModel final : public CompartmentModel {
 public:
  /// Throws InputError(BadInput) naming "two_compartment.<field>" for a value that is not
  /// finite and > 0.
  explicit TwoCompartmentModel(const TwoCompartmentParameters& parameters);

  [[nodiscard]] CompartmentAmounts advance(const CompartmentAmounts& amounts,
                                           units::Duration duration,
                                           MassRate rate) const override;
  [[nodiscard]] units::Volume central_volume() const override {
    return parameters_.central_volume;
  }
  [[nodiscard]] Clearance clearance() const override { return parameters_.clearance; }
  /// Fast (distribution) hybrid rate constant alpha.
  [[nodiscard]] units::Frequency alpha() const { return units::Frequency::from_si(alpha_per_s_); }
  /// Slow (terminal) hybrid rate constant beta.
  [[nodiscard]] units::Frequency beta() const { return units::Frequency::from_si(beta_per_s_); }

 private:
  TwoCompartmentParameters parameters_;
  double k10_per_s_ = 0.0;
  double k12_per_s_ = 0.0;
  double k21_per_s_ = 0.0;
  double alpha_per_s_ = 0.0;
  double beta_per_s_ = 0.0;
};

}  // namespace ptwin::physics::pkpd
