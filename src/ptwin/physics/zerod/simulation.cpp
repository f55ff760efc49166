// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"

namespace ptwin::physics::zerod {
namespace {

std::string_view unit_of(VariableKind kind) {
  switch (kind) {
    case VariableKind::Pressure: return "Pa";
    case VariableKind::Flow: return "m3/s";
    case VariableKind::Volume: return "m3";
  }
  return "1";
}

// What is recorded for one block: variables by index, and whether its derived outputs are too.
struct Recorder {
  struct Entry {
    const Block* block;
    std::vector<int> variables;
    std::size_t first_channel;
    std::size_t derived_count;
  };
  std::vector<Entry> entries;
  std::vector<OutputChannel> channels;

  Recorder(const Model& model, const std::vector<std::string>& selected) {
    for (const auto& name : selected) {
      if (model.find_block(name) == nullptr) {
        throw InputError(ErrorCode::BadInput, "simulation.output_blocks", name,
                         "is not a block of the model");
      }
    }
    for (const auto& block : model.blocks()) {
      if (!selected.empty() &&
          std::find(selected.begin(), selected.end(), block->name()) == selected.end()) {
        continue;
      }
      Entry entry{block.get(), {}, channels.size(), 0};
      const auto& b = block->binding();
      // One port of a direction: "<block>.flow_out"; several (a junction): one channel per
      // port named after the connection's other block, "<block>.flow_out:<to>".
      const auto add = [&](const std::vector<int>& indices, std::string_view suffix,
                           VariableKind kind) {
        for (const int index : indices) {
          entry.variables.push_back(index);
          std::string name = fmt::format("{}.{}", block->name(), suffix);
          if (indices.size() > 1) {
            const auto& variable = model.variables()[static_cast<std::size_t>(index)].name;
            // Connection unknowns are "<kind>:<from>:<to>"; the other end names the port.
            const auto first = variable.find(':');
            const auto second = variable.find(':', first + 1);
            const auto from = variable.substr(first + 1, second - first - 1);
            const auto to = variable.substr(second + 1);
            name += ":" + (from == block->name() ? to : from);
          }
          channels.push_back({std::move(name), std::string(unit_of(kind))});
        }
      };
      add(b.inlet_pressure, "pressure_in", VariableKind::Pressure);
      add(b.inlet_flow, "flow_in", VariableKind::Flow);
      add(b.outlet_pressure, "pressure_out", VariableKind::Pressure);
      add(b.outlet_flow, "flow_out", VariableKind::Flow);
      const auto internals = block->internal_variables();
      for (std::size_t i = 0; i < internals.size(); ++i) {
        entry.variables.push_back(b.internal[i]);
        channels.push_back({fmt::format("{}.{}", block->name(), internals[i].name),
                            std::string(unit_of(internals[i].kind))});
      }
      std::vector<double> probe(static_cast<std::size_t>(model.size()), 0.0);
      for (const auto& derived : block->derived_outputs(0.0, probe.data())) {
        channels.push_back({fmt::format("{}.{}", block->name(), derived.name), derived.unit});
        ++entry.derived_count;
      }
      entries.push_back(std::move(entry));
    }
  }

  void record(double t_s, const std::vector<double>& y, SimulationResult& result) const {
    result.times_s.push_back(t_s);
    std::size_t channel = 0;
    for (const auto& entry : entries) {
      for (const int v : entry.variables) {
        result.values[channel++].push_back(y[static_cast<std::size_t>(v)]);
      }
      if (entry.derived_count > 0) {
        for (const auto& derived : entry.block->derived_outputs(t_s, y.data())) {
          result.values[channel++].push_back(derived.value);
        }
      }
    }
  }
};

double tolerance_of(VariableKind kind, const GeneralizedAlphaSettings& s) {
  switch (kind) {
    case VariableKind::Pressure: return s.pressure_tolerance_pa;
    case VariableKind::Flow: return s.flow_tolerance_m3_per_s;
    case VariableKind::Volume: return s.volume_tolerance_m3;
  }
  return 0.0;
}

}  // namespace

SimulationSettings read_simulation_settings(const nlohmann::json& json,
                                            SimulationSettings defaults, std::string_view where) {
  auto s = std::move(defaults);
  if (json.is_null()) return s;
  const auto integer = [&](std::string_view key, int& target, int min, int max) {
    if (!json.contains(key)) return;
    const auto& value = json.at(std::string(key));
    if (!value.is_number_integer() || value.get<long>() < min || value.get<long>() > max) {
      throw InputError(ErrorCode::BadInput, fmt::format("{}.{}", where, key), value.dump(),
                       fmt::format("must be an integer from {} to {}", min, max));
    }
    target = value.get<int>();
  };
  integer("steps_per_cycle", s.steps_per_cycle, 2, 10'000'000);
  integer("min_cycles", s.min_cycles, 1, 100'000);
  integer("max_cycles", s.max_cycles, 1, 100'000);
  integer("max_newton_iterations", s.integrator.max_newton_iterations, 1, 1000);
  for (const auto& [key, value] : json.items()) {
    const auto path = fmt::format("{}.{}", where, key);
    if (key == "steady_state_tolerance") {
      // 0 runs exactly max_cycles; a negative tolerance would mean the same, unintentionally.
      if (!value.is_number() || !(value.get<double>() >= 0.0)) {
        throw InputError(ErrorCode::BadInput, path, value.dump(),
                         "must be a number >= 0 (0: run exactly max_cycles)");
      }
      s.steady_state_tolerance = value.get<double>();
    } else if (key == "spectral_radius") {
      if (!value.is_number() || !(value.get<double>() >= 0.0 && value.get<double>() <= 1.0)) {
        throw InputError(ErrorCode::BadInput, path, value.dump(), "must be a number in [0, 1]");
      }
      s.integrator.spectral_radius = value.get<double>();
    } else if (key == "output") {
      if (value != "last_cycle" && value != "all_cycles") {
        throw InputError(ErrorCode::BadInput, path, value.dump(), "must be last_cycle or all_cycles");
      }
      s.is_all_cycles_output = value == "all_cycles";
    } else if (key == "output_blocks") {
      const bool is_list = value.is_array() && std::all_of(value.begin(), value.end(),
                                                           [](const auto& v) { return v.is_string(); });
      if (!is_list) {
        throw InputError(ErrorCode::BadInput, path, printable_value(value.dump()),
                         "must be a list of block names");
      }
      s.output_blocks = value.get<std::vector<std::string>>();
    } else if (key == "steady_initial") {
      if (!value.is_boolean()) {
        throw InputError(ErrorCode::BadInput, path, value.dump(), "must be true or false");
      }
      s.is_steady_initial = value.get<bool>();
    } else if (key == "linear_solver") {
      if (!value.is_string()) {
        throw InputError(ErrorCode::BadInput, path, printable_value(value.dump()),
                         "must be \"klu\" or \"eigen_lu\"");
      }
      try {
        s.linear_solver = parse_linear_solver_kind(value.get<std::string>());
      } catch (const InputError& error) {
        throw InputError(error.code(), path, error.value(), error.rule());
      }
    } else if (key != "steps_per_cycle" && key != "min_cycles" && key != "max_cycles" &&
               key != "max_newton_iterations" && !key.starts_with("_")) {
      throw InputError(ErrorCode::UnknownField, path, key,
                       "is not a simulation setting (steps_per_cycle, min_cycles, max_cycles, "
                       "steady_state_tolerance, output, output_blocks, spectral_radius, "
                       "linear_solver, max_newton_iterations, steady_initial)");
    }
  }
  if (s.min_cycles > s.max_cycles) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.min_cycles", where),
                     fmt::format("{}", s.min_cycles), "must not exceed max_cycles");
  }
  return s;
}

int SimulationResult::channel_index(std::string_view name) const {
  for (std::size_t i = 0; i < channels.size(); ++i) {
    if (channels[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

const std::vector<double>& SimulationResult::series(std::string_view name) const {
  const int index = channel_index(name);
  if (index < 0) {
    throw InputError(ErrorCode::NotFound, "simulation output", std::string(name),
                     "is not an output channel of this run");
  }
  return values[static_cast<std::size_t>(index)];
}

SimulationResult simulate(Model& model, const SimulationSettings& settings,
                          const ProgressCallback& progress,
                          const std::vector<double>* initial_state) {
  const auto started = std::chrono::steady_clock::now();
  const auto period = settings.period_s ? settings.period_s : model.period_s();
  if (!period || !(*period > 0.0)) {
    throw InputError(ErrorCode::MissingField, fmt::format("model '{}'", model.name()),
                     "heart_period", "the model has no period: set its heart_period (e.g. "
                                     "\"0.8 s\")");
  }
  if (settings.steps_per_cycle < 2) {
    throw InputError(ErrorCode::BadInput, "simulation.steps_per_cycle",
                     fmt::format("{}", settings.steps_per_cycle), "must be at least 2");
  }
  const Recorder recorder(model, settings.output_blocks);
  SimulationResult result;
  result.channels = recorder.channels;
  result.values.resize(result.channels.size());
  result.period_s = *period;

  GeneralizedAlpha integrator(model, settings.linear_solver, settings.integrator);
  const auto n = static_cast<std::size_t>(model.size());
  IntegratorState state{0.0, initial_state ? *initial_state : model.initial_state(),
                        std::vector<double>(n, 0.0)};
  if (state.y.size() != n) {
    throw InputError(ErrorCode::BadInput, "initial_state", fmt::format("{} values", state.y.size()),
                     fmt::format("the model has {} unknowns", n));
  }
  result.status = SimulationStatus::NotPeriodic;
  if (settings.is_steady_initial) {
    // As svZeroDSolver: 31 steps of T/10 with mean signals and boundary capacitances off.
    model.set_steady(true);
    try {
      for (int step = 0; step < 31; ++step) integrator.step(state, *period / 10.0);
    } catch (const SolverDivergenceError& error) {
      result.status = SimulationStatus::Diverged;
      result.message = fmt::format("steady initial condition (simulation.steady_initial) failed: "
                                   "{} Set steady_initial to false to start from the model's "
                                   "initial condition.",
                                   error.what());
    }
    model.set_steady(false);
    state.t_s = 0.0;
  }
  if (result.status != SimulationStatus::Diverged && !integrator.initialise_derivatives(state)) {
    logging::zone_logger("physics")->info(
        "model={} consistent initial derivatives unavailable (index > 1 or no convergence); "
        "starting from ydot=0", model.name());
  }
  std::vector<double> tolerance(n);
  for (std::size_t i = 0; i < n; ++i) {
    tolerance[i] = tolerance_of(model.variables()[i].kind, settings.integrator);
  }
  const double dt = *period / settings.steps_per_cycle;
  std::vector<double> cycle_start = state.y;
  std::vector<double> low(n), high(n);
  const int cycles = result.status == SimulationStatus::Diverged ? 0 : settings.max_cycles;
  for (int cycle = 0; cycle < cycles; ++cycle) {
    const bool is_recorded = settings.is_all_cycles_output;
    if (!is_recorded) {
      result.times_s.clear();
      for (auto& v : result.values) v.clear();
    }
    if (cycle == 0 || !is_recorded) recorder.record(cycle * *period, state.y, result);
    low = state.y;
    high = state.y;
    try {
      for (int step = 1; step <= settings.steps_per_cycle; ++step) {
        integrator.step(state, dt);
        // Exact grid times: no accumulation of rounding.
        state.t_s = cycle * *period + step * dt;
        for (std::size_t i = 0; i < n; ++i) {
          low[i] = std::min(low[i], state.y[i]);
          high[i] = std::max(high[i], state.y[i]);
        }
        recorder.record(state.t_s, state.y, result);
      }
    } catch (const SolverDivergenceError& error) {
      result.status = SimulationStatus::Diverged;
      result.message = error.what();
      break;
    }
    double change = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      change = std::max(change, std::abs(state.y[i] - cycle_start[i]) /
                                    (high[i] - low[i] + tolerance[i]));
    }
    cycle_start = state.y;
    result.cycles = cycle + 1;
    result.cycle_change = change;
    if (progress) progress(cycle + 1, settings.max_cycles, change);
    if (settings.steady_state_tolerance > 0.0 && result.cycles >= settings.min_cycles &&
        change < settings.steady_state_tolerance) {
      result.status = SimulationStatus::Completed;
      break;
    }
  }
  if (result.status == SimulationStatus::NotPeriodic && settings.steady_state_tolerance <= 0.0) {
    result.status = SimulationStatus::Completed;  // a fixed number of cycles was asked for
  }
  if (result.status == SimulationStatus::NotPeriodic) {
    result.message = fmt::format("no periodic steady state after {} cycles (last cycle-to-cycle "
                                 "change {:.3g} > tolerance {:.3g}); raise max_cycles",
                                 result.cycles, result.cycle_change,
                                 settings.steady_state_tolerance);
  }
  result.final_state = state.y;
  result.statistics = integrator.statistics();
  result.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace ptwin::physics::zerod
