// SPDX-License-Identifier: Apache-2.0
#pragma once
// The pressure drop along each segment of a vessel network, predicted by its 0D model
// (network_model.hpp) for a stated inflow: the model is built, started from its steady state
// (SimulationSettings::is_steady_initial) and run to the periodic steady state; then, over the
// last cycle, for every segment
//   mean drop   = (1/T) int_0^T (P_in - P_out) dt      (trapezoidal rule on the output grid)
//   peak drop   = max over the cycle of P_in - P_out
//   mean flow   = (1/T) int_0^T Q_in dt
//   mean stenosis loss = (1/T) int_0^T S |Q_in| Q_in dt, the Young & Tsai (1973, J Biomech 6:395,
//     young1973flow) expansion part of the drop, S the segment's stenosis coefficient
// With a constant inflow the cycle is flat and mean = peak. The drop of a segment that carries a
// stenosis is the drop across that stenosis plus the viscous loss of the rest of the segment (the
// model lumps a segment into one block; docs/physics.md#predicted-pressure-drops).
//
// A run that does not reach the periodic steady state, or diverges, is an expected outcome: the
// result carries the status and the solver's message and no drops.

#include <string>
#include <vector>

#include "ptwin/geometry/centerline/vessel_network.hpp"
#include "ptwin/physics/zerod/network_model.hpp"
#include "ptwin/physics/zerod/simulation.hpp"

namespace ptwin::physics::zerod {

struct NetworkPressureDropSettings {
  int steps_per_cycle = 400;
  int max_cycles = 40;
  double steady_state_tolerance = 1e-5;  // relative cycle-to-cycle change (simulation.hpp)
};

struct SegmentPressureDrop {
  std::string segment;  // the segment's (and its blood_vessel block's) name
  bool has_stenosis = false;
  double mean_drop_pa = 0.0;
  double peak_drop_pa = 0.0;
  double mean_flow_m3_per_s = 0.0;
  double mean_stenosis_loss_pa = 0.0;
};

struct NetworkPressureDrops {
  SimulationStatus status = SimulationStatus::Completed;
  std::string message;  // the solver's, when status is not Completed
  int cycles = 0;
  double period_s = 0.0;
  std::vector<SegmentPressureDrop> segments;  // in network order; empty unless Completed
};

/// Builds the network's model with `options` (make_network_model; its inflow is the one stated)
/// and solves it. Throws InputError as make_network_model does for an invalid network or options.
[[nodiscard]] NetworkPressureDrops predict_segment_pressure_drops(
    const geometry::centerline::VesselNetwork& network, const NetworkModelOptions& options,
    const NetworkPressureDropSettings& settings = {});

}  // namespace ptwin::physics::zerod
