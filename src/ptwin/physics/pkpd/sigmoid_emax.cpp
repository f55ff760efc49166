// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/pkpd/sigmoid_emax.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/pkpd/detail/positive_parameter.hpp"

namespace ptwin::physics::pkpd {

SigmoidEmax::SigmoidEmax(const SigmoidEmaxParameters& parameters) : parameters_(parameters) {
  if (!std::isfinite(parameters.emax)) {
    throw InputError(ErrorCode::BadInput, "sigmoid_emax.emax", fmt::format("{}", parameters.emax),
                     "must be finite");
  }
  detail::require_positive(parameters.ec50.si(), "kg/m3", "sigmoid_emax.ec50");
  detail::require_positive(parameters.hill, "", "sigmoid_emax.hill");
}

double SigmoidEmax::effect(MassConcentration concentration) const {
  // Written as Emax / (1 + (EC50/C)^gamma): no overflow of C^gamma at large C.
  const double c = std::max(concentration.si(), 0.0);
  if (c == 0.0) return 0.0;
  return parameters_.emax / (1.0 + std::pow(parameters_.ec50.si() / c, parameters_.hill));
}

}  // namespace ptwin::physics::pkpd
