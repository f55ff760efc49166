// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shared check for model parameters that must be finite and strictly positive.

#include <string>
#include <string_view>

namespace ptwin::physics::pkpd::detail {

/// Throws InputError(BadInput) naming `where` and the value with `unit` unless 0 < value < inf.
void require_positive(double value, std::string_view unit, std::string_view where);

}  // namespace ptwin::physics::pkpd::detail
