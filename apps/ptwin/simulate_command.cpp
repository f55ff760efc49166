// SPDX-License-Identifier: Apache-2.0
// `ptwin simulate MODEL.json`: runs a 0D model (ptwin or svZeroDSolver format) to its periodic
// steady state and writes every selected block's outputs as CSV and JSON.

#include <fstream>
#include <memory>

#include <fmt/format.h>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/physics/zerod/model_builder.hpp"
#include "ptwin/physics/zerod/result_writer.hpp"
#include "ptwin/physics/zerod/simulation.hpp"

namespace ptwin::app {
namespace zerod = physics::zerod;

namespace {
struct SimulateOptions {
  std::string model_path;
  std::string output_csv = "results.csv";
  std::string output_json;
  std::string svzerod_units = "cgs";
  std::string units = "clinical";
  int steps_per_cycle = 0;
  int max_cycles = 0;
  double tolerance = -1.0;
  bool is_all_cycles = false;
  std::vector<std::string> blocks;
  std::string linear_solver;
};

void run_simulate(const SimulateOptions& o) {
  // The spec, not the raw file: an svZeroDSolver file's simulation_parameters arrive translated.
  const auto json = zerod::read_model_spec(o.model_path, o.svzerod_units);
  auto model = zerod::build_model(json, o.model_path);
  auto settings = zerod::read_simulation_settings(
      json.contains("simulation") ? json.at("simulation") : nlohmann::json(), {},
      o.model_path + ": simulation");
  if (o.steps_per_cycle > 0) settings.steps_per_cycle = o.steps_per_cycle;
  if (o.max_cycles > 0) settings.max_cycles = o.max_cycles;
  if (o.tolerance >= 0.0) settings.steady_state_tolerance = o.tolerance;
  if (o.is_all_cycles) settings.is_all_cycles_output = true;
  if (!o.blocks.empty()) settings.output_blocks = o.blocks;
  if (!o.linear_solver.empty()) settings.linear_solver = zerod::parse_linear_solver_kind(o.linear_solver);
  if (settings.max_cycles < settings.min_cycles) {
    throw InputError(ErrorCode::BadInput, "--max-cycles", fmt::format("{}", settings.max_cycles),
                     fmt::format("must be at least the model's min_cycles ({})", settings.min_cycles));
  }

  ProgressBar bar("simulating");
  const auto result = zerod::simulate(*model, settings, [&](int cycle, int max, double change) {
    bar.update(cycle, max, fmt::format("cycle change {:.2e}", change));
  });
  bar.finish(fmt::format("{} cycles, {:.3f} s wall, {:.2f} us/step", result.cycles,
                         result.wall_time_s,
                         1e6 * result.wall_time_s /
                             std::max(1.0, static_cast<double>(result.statistics.steps))));
  const auto system = zerod::parse_unit_system(o.units);
  zerod::write_csv(result, o.output_csv, system);
  if (!o.output_json.empty()) zerod::write_json(result, o.output_json, system);
  fmt::print("wrote {} ({} channels x {} samples)\n", o.output_csv, result.channels.size(),
             result.times_s.size());
  if (result.status == zerod::SimulationStatus::Diverged) {
    // The results so far are written above; now report the failure.
    throw Error(ErrorCode::SolverDivergence,
                fmt::format("{} (results up to t = {:.6g} s are in {})", result.message,
                            result.times_s.empty() ? 0.0 : result.times_s.back(), o.output_csv));
  }
  if (result.status == zerod::SimulationStatus::NotPeriodic) {
    fmt::print(stderr, "ptwin: warning: {}\n", result.message);
  }
}
}  // namespace

Command register_simulate(CLI::App& app) {
  auto options = std::make_shared<SimulateOptions>();
  auto* sub = app.add_subcommand(
      "simulate",
      "Run a 0D model to its periodic steady state and write the outputs of its blocks.\n"
      "MODEL is ptwin's JSON (docs/physics.md) or an svZeroDSolver configuration.");
  sub->add_option("model", options->model_path, "model file (JSON)")->required()->check(CLI::ExistingFile);
  sub->add_option("-o,--output", options->output_csv, "CSV output file")->capture_default_str();
  sub->add_option("--json", options->output_json, "also write the outputs as JSON to this file");
  sub->add_option("--units", options->units, "units of the outputs: clinical (mmHg, mL/s, mL) or si")
      ->capture_default_str();
  sub->add_option("--svzerod-units", options->svzerod_units,
                  "unit system of an svZeroDSolver file: cgs, si or mmhg")->capture_default_str();
  sub->add_option("--steps-per-cycle", options->steps_per_cycle, "time steps per cardiac cycle");
  sub->add_option("--max-cycles", options->max_cycles, "most cycles to run");
  sub->add_option("--tolerance", options->tolerance,
                  "relative cycle-to-cycle change that counts as periodic (0: run max cycles)");
  sub->add_flag("--all-cycles", options->is_all_cycles, "output every cycle, not only the last");
  sub->add_option("--blocks", options->blocks, "output only these blocks");
  sub->add_option("--linear-solver", options->linear_solver, "klu (default) or eigen_lu");
  return {sub, [options] { run_simulate(*options); }};
}

}  // namespace ptwin::app
