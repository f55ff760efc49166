// SPDX-License-Identifier: Apache-2.0
#pragma once
// Writes simulation outputs as CSV (one column per channel, header "name [unit]") or JSON, in
// SI or in clinical display units (mmHg, mL/s, mL, mmHg/mL).

#include <filesystem>
#include <string_view>

#include "ptwin/physics/zerod/simulation.hpp"

namespace ptwin::physics::zerod {

enum class UnitSystem { Si, Clinical };

[[nodiscard]] UnitSystem parse_unit_system(std::string_view name);

/// The display unit and factor (display = si / factor) of an SI unit in `system`.
struct DisplayUnit {
  std::string_view unit;
  double si_per_unit;
};
[[nodiscard]] DisplayUnit display_unit(std::string_view si_unit, UnitSystem system);

/// Throws Error(Io) naming the path when the file cannot be written.
void write_csv(const SimulationResult& result, const std::filesystem::path& path, UnitSystem system);
void write_json(const SimulationResult& result, const std::filesystem::path& path, UnitSystem system);

}  // namespace ptwin::physics::zerod
