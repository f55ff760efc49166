// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/pkpd/detail/positive_parameter.hpp"

#include <fmt/format.h>

#include <cmath>

#include "ptwin/core/error.hpp"

namespace ptwin::physics::pkpd::detail {

void require_positive(double value, std::string_view unit, std::string_view where) {
  if (!std::isfinite(value) || value <= 0.0) {
    throw InputError(ErrorCode::BadInput, std::string(where), fmt::format("{} {}", value, unit),
                     "must be finite and greater than zero");
  }
}

}  // namespace ptwin::physics::pkpd::detail
