// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads ptwin's own 0D model format (docs/physics.md#model-format) into a Model:
// {
//   "format": "ptwin.zerod/1",
//   "name": "closed_loop",
//   "heart_period": "0.8 s",                       (needed by chambers; optional otherwise)
//   "blocks": [{"name": "lv", "type": "elastance_chamber", "parameters": {...}}, ...],
//   "connections": [["la", "mitral"], ...]           (or {"from": "la", "to": "mitral"})
//   "initial_conditions": {"volume:lv": "120 mL", "pressure:aorta:j1": "80 mm[Hg]"}
//                         ("pressure_all" / "flow_all" set every connection first)
// }

#include <filesystem>
#include <memory>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ptwin/physics/zerod/model.hpp"

namespace ptwin::physics::zerod {

inline constexpr std::string_view kModelFormat = "ptwin.zerod/1";

/// Builds a model from its JSON; `source` names the file in errors. Throws InputError naming the
/// path of the bad element (e.g. "model.json: blocks[3] (aorta).parameters.capacitance").
[[nodiscard]] std::unique_ptr<Model> build_model(const nlohmann::json& spec,
                                                 std::string_view source);

/// Reads and parses a JSON file; throws Error(Io) or InputError(BadInput) with line/column.
[[nodiscard]] nlohmann::json read_json_file(const std::filesystem::path& path);

/// Reads a model file in either format as a ptwin.zerod/1 spec: ptwin's own is returned as is,
/// an svZeroDSolver configuration (recognised by its "simulation_parameters" key, numbers in
/// `svzerod_units`) is translated, its simulation parameters included.
[[nodiscard]] nlohmann::json read_model_spec(const std::filesystem::path& path,
                                             std::string_view svzerod_units = "cgs");

/// Loads a model file in either format: ptwin's own, or an svZeroDSolver configuration
/// (recognised by its "simulation_parameters" key) whose numbers are in `svzerod_units`
/// ("cgs" or "si"; see svzerod_import.hpp).
[[nodiscard]] std::unique_ptr<Model> load_model_file(const std::filesystem::path& path,
                                                     std::string_view svzerod_units = "cgs");

}  // namespace ptwin::physics::zerod
