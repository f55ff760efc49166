// SPDX-License-Identifier: Apache-2.0
#pragma once
// Import of svZeroDSolver JSON configurations (simulation_parameters, vessels, junctions,
// boundary_conditions, chambers, valves, initial_condition), translated into ptwin's own model
// format so that the same builder validates both. svZeroDSolver numbers carry no units; the
// caller states the unit system the file was written in.

#include <string_view>

#include <nlohmann/json.hpp>

namespace ptwin::physics::zerod {

/// cgs: dyn/cm2, mL/s, mL, s (SimVascular-generated trees); si: Pa, m3/s, m3, s;
/// mmhg: mm[Hg], mL/s, mL, s (the closed-loop heart examples).
enum class SvZeroDUnits { Cgs, Si, MmHg };

[[nodiscard]] SvZeroDUnits parse_svzerod_units(std::string_view name);

/// Translates an svZeroDSolver configuration into a ptwin.zerod/1 model JSON (including a
/// "simulation" object with the run settings). Throws InputError naming the svZeroDSolver path
/// of anything it cannot translate, e.g. "vessels[3].zero_d_element_type: 'ChamberSphere' is
/// not supported".
[[nodiscard]] nlohmann::json import_svzerod(const nlohmann::json& config, SvZeroDUnits units,
                                            std::string_view source);

}  // namespace ptwin::physics::zerod
