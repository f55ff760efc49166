// SPDX-License-Identifier: Apache-2.0
#pragma once
// Runs a 0D model cycle by cycle until the periodic steady state: the state at the start of a
// cycle differs from the previous cycle's by less than `steady_state_tolerance`, measured for
// each unknown relative to its range over the cycle (plus its absolute tolerance). Collects the
// outputs of the selected blocks for the last cycle or all cycles.
//
// Non-convergence is an expected outcome, not an exception: the result carries status
// Diverged, the message naming time, block, equation and residual, and every output up to the
// last converged step, so the caller can write out what was computed.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/physics/zerod/generalized_alpha.hpp"
#include "ptwin/physics/zerod/model.hpp"

namespace ptwin::physics::zerod {

struct SimulationSettings {
  int steps_per_cycle = 500;
  int min_cycles = 1;
  int max_cycles = 50;
  double steady_state_tolerance = 1e-4;  // relative; 0 runs exactly max_cycles
  bool is_all_cycles_output = false;
  std::vector<std::string> output_blocks;  // empty: every block
  std::optional<double> period_s;          // overrides the model's period
  LinearSolverKind linear_solver = LinearSolverKind::Klu;
  // Start from a steady state computed with mean boundary signals (svZeroDSolver's
  // steady_initial): 31 steps of T/10 in steady mode (Block::set_steady).
  bool is_steady_initial = false;
  GeneralizedAlphaSettings integrator;
};

/// Reads a "simulation" object (steps_per_cycle, min_cycles, max_cycles,
/// steady_state_tolerance, output: last_cycle|all_cycles, output_blocks, spectral_radius,
/// linear_solver); keys absent keep `defaults`.
[[nodiscard]] SimulationSettings read_simulation_settings(const nlohmann::json& json,
                                                          SimulationSettings defaults,
                                                          std::string_view where);

enum class SimulationStatus { Completed, NotPeriodic, Diverged };

struct OutputChannel {
  std::string name;  // <block>.<quantity>, e.g. "aorta.pressure_in", "lv.volume"
  std::string unit;  // SI unit
};

struct SimulationResult {
  [[nodiscard]] int channel_index(std::string_view name) const;  // -1 if absent
  [[nodiscard]] const std::vector<double>& series(std::string_view name) const;

  SimulationStatus status = SimulationStatus::Completed;
  std::string message;
  std::vector<OutputChannel> channels;
  std::vector<double> times_s;
  std::vector<std::vector<double>> values;  // values[channel][sample]
  std::vector<double> final_state;          // y at the end, for warm starts
  int cycles = 0;
  double cycle_change = 0.0;  // last cycle-to-cycle change
  double period_s = 0.0;
  IntegratorStatistics statistics;
  double wall_time_s = 0.0;
};

/// Progress report: cycles done, maximum cycles, current cycle-to-cycle change.
using ProgressCallback = std::function<void(int cycle, int max_cycles, double change)>;

/// Runs the model. `initial_state` (e.g. a previous final_state) overrides the model's initial
/// values when given. Throws InputError when the settings are invalid or the model has no period.
[[nodiscard]] SimulationResult simulate(Model& model, const SimulationSettings& settings,
                                        const ProgressCallback& progress = {},
                                        const std::vector<double>* initial_state = nullptr);

}  // namespace ptwin::physics::zerod
