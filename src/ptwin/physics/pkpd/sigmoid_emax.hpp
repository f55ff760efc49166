// SPDX-License-Identifier: Apache-2.0
#pragma once
// Sigmoid Emax (Hill) concentration-effect model (Holford & Sheiner 1981,
// holford1981understanding):
//   E(C) = Emax C^gamma / (EC50^gamma + C^gamma)
// Parameters: Emax (the effect at infinite concentration, in the units of the effect; here a
// fractional change of a physiological parameter), EC50 (kg/m3, the concentration of half the
// maximal effect) and the Hill coefficient gamma (> 0, steepness). E(EC50) = Emax / 2.

#include "ptwin/physics/pkpd/drug_quantities.hpp"

namespace ptwin::physics::pkpd {

struct SigmoidEmaxParameters {
  double emax = 0.0;        // effect at saturation (fraction of the parameter for a multiplier)
  MassConcentration ec50;   // EC50
  double hill = 1.0;        // gamma
};

class SigmoidEmax {
 public:
  /// Throws InputError(BadInput) naming "sigmoid_emax.emax" (not finite), ".ec50" or ".hill"
  /// (not finite and > 0).
  explicit SigmoidEmax(const SigmoidEmaxParameters& parameters);

  /// E(C); C < 0 is a programming error (concentrations from the models are never negative,
  /// round-off below zero is read as zero).
  [[nodiscard]] double effect(MassConcentration concentration) const;
  [[nodiscard]] const SigmoidEmaxParameters& parameters() const { return parameters_; }

 private:
  SigmoidEmaxParameters parameters_;
};

}  // namespace ptwin::physics::pkpd
