// SPDX-License-Identifier: Apache-2.0
#pragma once
// Checks every metric makes on its input, with errors that name the argument, the case index
// and the value, so that a caller can find the bad row.

#include <cstddef>
#include <string_view>

namespace ptwin::vv::detail {

/// Throws InputError unless value is finite.
void require_finite(std::string_view argument, std::size_t index, double value);

/// Throws InputError unless 0 <= value <= 1.
void require_probability(std::string_view argument, std::size_t index, double value);

/// Throws InputError unless both outcome classes are present.
void require_both_classes(std::string_view metric, std::size_t positives, std::size_t negatives);

}  // namespace ptwin::vv::detail
