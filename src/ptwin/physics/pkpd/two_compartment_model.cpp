// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/pkpd/two_compartment_model.hpp"

#include <cmath>

#include "ptwin/physics/pkpd/detail/positive_parameter.hpp"

namespace ptwin::physics::pkpd {

TwoCompartmentModel::TwoCompartmentModel(const TwoCompartmentParameters& parameters)
    : parameters_(parameters) {
  detail::require_positive(parameters.central_volume.si(), "m3", "two_compartment.central_volume");
  detail::require_positive(parameters.clearance.si(), "m3/s", "two_compartment.clearance");
  detail::require_positive(parameters.intercompartmental_clearance.si(), "m3/s",
                           "two_compartment.intercompartmental_clearance");
  detail::require_positive(parameters.peripheral_volume.si(), "m3",
                           "two_compartment.peripheral_volume");
  k10_per_s_ = parameters.clearance.si() / parameters.central_volume.si();
  k12_per_s_ = parameters.intercompartmental_clearance.si() / parameters.central_volume.si();
  k21_per_s_ = parameters.intercompartmental_clearance.si() / parameters.peripheral_volume.si();
  const double sum = k10_per_s_ + k12_per_s_ + k21_per_s_;
  const double product = k10_per_s_ * k21_per_s_;
  const double root = std::sqrt(sum * sum - 4.0 * product);
  alpha_per_s_ = 0.5 * (sum + root);
  // beta from the product of the roots: sum - root would cancel when alpha >> beta.
  beta_per_s_ = product / alpha_per_s_;
}

CompartmentAmounts TwoCompartmentModel::advance(const CompartmentAmounts& amounts,
                                                units::Duration duration, MassRate rate) const {
  // Steady state of the rate R: k10 A1 = R, k12 A1 = k21 A2.
  const double steady_central_kg = rate.si() / k10_per_s_;
  const double steady_peripheral_kg = steady_central_kg * k12_per_s_ / k21_per_s_;
  const double d1 = amounts.central.si() - steady_central_kg;
  const double d2 = amounts.peripheral.si() - steady_peripheral_kg;
  // K = [[-(k10 + k12), k21], [k12, -k21]], eigenvalues l1 = -alpha, l2 = -beta. Sylvester:
  // e^{K h} = (e^{l1 h} (K - l2 I) - e^{l2 h} (K - l1 I)) / (l1 - l2)
  //         = e^{l1 h} I + (K - l1 I) dd,  dd = (e^{l1 h} - e^{l2 h}) / (l1 - l2),
  // with the divided difference dd = e^{l2 h} expm1((l1 - l2) h) / (l1 - l2), which stays
  // accurate when alpha and beta are close (a small Q).
  const double h_s = duration.si();
  const double e1 = std::exp(-alpha_per_s_ * h_s);
  const double gap_per_s = beta_per_s_ - alpha_per_s_;  // l1 - l2 < 0
  const double dd = std::exp(-beta_per_s_ * h_s) * std::expm1(gap_per_s * h_s) / gap_per_s;
  const double m11 = e1 + (-(k10_per_s_ + k12_per_s_) + alpha_per_s_) * dd;
  const double m12 = k21_per_s_ * dd;
  const double m21 = k12_per_s_ * dd;
  const double m22 = e1 + (-k21_per_s_ + alpha_per_s_) * dd;
  return {Mass::from_si(steady_central_kg + m11 * d1 + m12 * d2),
          Mass::from_si(steady_peripheral_kg + m21 * d1 + m22 * d2)};
}

}  // namespace ptwin::physics::pkpd
