// SPDX-License-Identifier: Apache-2.0
#pragma once
// Writes a ptwin.zerod/1 model as an svZeroDSolver configuration (SI numbers), so that the peer
// solver can be timed on exactly the model ptwin solves (bench/physics only; not a product API).
//
// Block mapping: blood_vessel -> BloodVessel (capacitor after the resistance) or BloodVesselCRL
// (capacitor_position "inlet"); junction -> NORMAL_JUNCTION; rcr_windkessel -> RCR;
// prescribed_flow (table) -> FLOW; elastance_chamber (piecewise_cosine, constant rest volume)
// -> ChamberElastanceInductor; valve_smooth -> ValveTanh; valve_event -> PiecewiseValve
// (closed resistance 1e11 Pa s/m3). svZeroDSolver joins two vessels, or a
// vessel and a chamber, only through a junction: such a connection gets a one-in, one-out
// junction "<from>_to_<to>", which adds an extra node with the same pressure and flow.
// Anything else throws InputError naming the block.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ptwin::physics::zerod::bench {

struct SvZeroDExport {
  nlohmann::json config;
  // ptwin variable name -> the svZeroDSolver variable names that hold the same value.
  std::vector<std::pair<std::string, std::vector<std::string>>> variable_names;
};

/// `cycles` and `steps_per_cycle` set simulation_parameters (points per cycle = steps + 1).
[[nodiscard]] SvZeroDExport export_svzerod(const nlohmann::json& model, int cycles,
                                           int steps_per_cycle);

}  // namespace ptwin::physics::zerod::bench
