// SPDX-License-Identifier: Apache-2.0
#pragma once
// The quantities a biosensor payload may carry (docs/mqtt.md#quantities): one table that maps the
// payload's "quantity" (a LOINC code or a short name) to the LOINC code stored in the Sample and
// to the dimension its unit must have. Adding a quantity is one row in quantity_table.cpp.

#include <span>
#include <string_view>

#include "ptwin/core/units.hpp"

namespace ptwin::ingest::mqtt {

struct BiosensorQuantity {
  std::string_view short_name;  // e.g. "heart_rate"; same names as twin.yaml's targets
  std::string_view loinc;       // the code stored in Sample::code, e.g. "8867-4"
  units::Dimension dimension;   // what the payload's unit must reduce to
  std::string_view si_unit;     // how the stored value reads, for docs and messages
};

/// Every quantity a payload may name, in the order of the docs table.
[[nodiscard]] std::span<const BiosensorQuantity> biosensor_quantities();

/// The quantity whose short name or LOINC code is `name_or_code` (exact, case-sensitive), or
/// nullptr when there is none.
[[nodiscard]] const BiosensorQuantity* find_biosensor_quantity(std::string_view name_or_code);

}  // namespace ptwin::ingest::mqtt
