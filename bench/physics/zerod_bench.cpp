// SPDX-License-Identifier: Apache-2.0
// 0D solver benchmarks (STYLE.md §11): every figure is a ratio against a baseline run in this
// binary on the same model and time grid.
//   models:  closed_loop = data/models/regazzoni2022_closed_loop.json (800 steps per 0.8 s beat)
//            tree_860    = make_vessel_tree() with 191 vessels, 860 unknowns (1000 steps per 1 s)
//   solvers: ga_klu (candidate)    generalized-alpha, KLU refactorisation
//            ga_klu_plain (baseline)  the same, but assembling and factorising the iteration
//                                  matrix at every Newton iterate, changed or not (as peers do)
//            ga_eigen_lu (baseline) generalized-alpha, Eigen SparseLU (svZeroDSolver's choice)
//            ida (baseline)         SUNDIALS IDA, BDF orders 1-5, KLU, rtol 1e-6, output on the grid
// One benchmark iteration = one cycle, after one untimed warm-up cycle.
// Counters: us_per_step (wall time per grid step), simulated_s_per_wall_s.
// After the run the binary prints candidate/baseline ratios and, when PTWIN_SVZEROD names an
// svzerodsolver executable, times the peer on the same models (N cycles minus 1 cycle, so start-up
// and output writing cancel) and compares its last-cycle pressures with ptwin's.

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "ptwin/physics/zerod/generalized_alpha.hpp"
#include "ptwin/physics/zerod/ida_integrator.hpp"
#include "ptwin/physics/zerod/model_builder.hpp"
#include "ptwin/physics/zerod/vessel_tree.hpp"
#include "svzerod_export.hpp"

namespace zerod = ptwin::physics::zerod;

namespace {

struct Case {
  std::string name;
  nlohmann::json spec;
  int steps_per_cycle;
  double period_s;
};

const Case& closed_loop_case() {
  static const Case c{"closed_loop",
                      zerod::read_json_file(std::filesystem::path(PTWIN_SOURCE_DIR) /
                                            "data/models/regazzoni2022_closed_loop.json"),
                      800, 0.8};
  return c;
}

const Case& tree_case() {
  static const Case c{"tree_860", zerod::make_vessel_tree({}), 1000, 1.0};
  return c;
}

enum class Solver { GaKlu, GaKluPlain, GaEigenLu, Ida };

// CPU time of this thread: on a shared machine wall time also counts time spent waiting for a
// core, so both are reported.
double thread_cpu_s() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// User + system CPU time of finished child processes (the peer solver).
double children_cpu_s() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

constexpr double kIdaRelativeTolerance = 1e-6;

// Integrates one cycle per call on the case's grid, whichever solver.
class Runner {
 public:
  Runner(const Case& c, Solver solver)
      : case_(c), model_(zerod::build_model(c.spec, c.name)), solver_(solver) {
    const auto y0 = model_->initial_state();
    if (solver == Solver::Ida) {
      zerod::IdaSettings settings;
      settings.relative_tolerance = kIdaRelativeTolerance;
      ida_ = std::make_unique<zerod::IdaIntegrator>(*model_, settings, 0.0, y0);
      y_ = y0;
    } else {
      zerod::GeneralizedAlphaSettings settings;
      settings.reuse_unchanged_factorization = solver != Solver::GaKluPlain;
      settings.residual_only_checks = solver != Solver::GaKluPlain;
      ga_ = std::make_unique<zerod::GeneralizedAlpha>(
          *model_,
          solver == Solver::GaEigenLu ? zerod::LinearSolverKind::EigenLu
                                      : zerod::LinearSolverKind::Klu,
          settings);
      state_ = {0.0, y0, std::vector<double>(y0.size(), 0.0)};
    }
  }

  // Advances one cycle; `record` receives y after every step.
  template <typename Record>
  void cycle(Record&& record) {
    const double dt = case_.period_s / case_.steps_per_cycle;
    for (int step = 1; step <= case_.steps_per_cycle; ++step) {
      const double t = cycle_ * case_.period_s + step * dt;
      if (ida_) {
        const auto outcome = ida_->advance_to(t, y_);
        if (outcome.status != zerod::IdaStatus::Reached) throw std::runtime_error(outcome.message);
        record(y_);
      } else {
        ga_->step(state_, dt);
        state_.t_s = t;
        record(state_.y);
      }
    }
    ++cycle_;
  }
  void cycle() {
    cycle([](const std::vector<double>& y) { benchmark::DoNotOptimize(y.data()); });
  }
  [[nodiscard]] const zerod::Model& model() const { return *model_; }
  [[nodiscard]] const std::vector<double>& y() const { return ida_ ? y_ : state_.y; }
  [[nodiscard]] double internal_steps() const {
    return ida_ ? static_cast<double>(ida_->statistics().internal_steps)
                : static_cast<double>(ga_->statistics().steps);
  }
  [[nodiscard]] double factorizations() const {
    return ida_ ? NAN : static_cast<double>(ga_->statistics().factorizations);
  }
  [[nodiscard]] double newton_iterations() const {
    return ida_ ? static_cast<double>(ida_->statistics().nonlinear_iterations)
                : static_cast<double>(ga_->statistics().newton_iterations);
  }

 private:
  const Case& case_;
  std::unique_ptr<zerod::Model> model_;
  Solver solver_;
  std::unique_ptr<zerod::GeneralizedAlpha> ga_;
  std::unique_ptr<zerod::IdaIntegrator> ida_;
  zerod::IntegratorState state_;
  std::vector<double> y_;
  int cycle_ = 0;
};

void run_cycles(benchmark::State& state, const Case& c, Solver solver) {
  Runner runner(c, solver);
  runner.cycle();  // warm-up: start-up transient, first factorisations
  const double steps0 = runner.internal_steps();
  const double newton0 = runner.newton_iterations();
  const double factorizations0 = runner.factorizations();
  long cycles = 0;
  // Wall time of the timed loop, for counters in domain units (benchmark's rate counters would
  // print an inverted rate as seconds).
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start_s = thread_cpu_s();
  for (auto _ : state) {
    runner.cycle();
    ++cycles;
  }
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double steps = static_cast<double>(cycles) * c.steps_per_cycle;
  state.counters["us_per_step"] = wall_s / steps * 1e6;
  state.counters["cpu_us_per_step"] = (thread_cpu_s() - cpu_start_s) / steps * 1e6;
  state.counters["simulated_s_per_wall_s"] = static_cast<double>(cycles) * c.period_s / wall_s;
  state.counters["internal_steps_per_step"] = (runner.internal_steps() - steps0) / steps;
  state.counters["newton_per_step"] = (runner.newton_iterations() - newton0) / steps;
  if (!std::isnan(factorizations0)) {
    state.counters["factorizations_per_step"] = (runner.factorizations() - factorizations0) / steps;
  }
  state.counters["unknowns"] = runner.model().size();
}

void BM_ClosedLoop_GaKlu(benchmark::State& s) { run_cycles(s, closed_loop_case(), Solver::GaKlu); }
void BM_ClosedLoop_GaKluPlain(benchmark::State& s) {
  run_cycles(s, closed_loop_case(), Solver::GaKluPlain);
}
void BM_ClosedLoop_GaEigenLu(benchmark::State& s) {
  run_cycles(s, closed_loop_case(), Solver::GaEigenLu);
}
void BM_ClosedLoop_Ida(benchmark::State& s) { run_cycles(s, closed_loop_case(), Solver::Ida); }
void BM_Tree860_GaKlu(benchmark::State& s) { run_cycles(s, tree_case(), Solver::GaKlu); }
void BM_Tree860_GaKluPlain(benchmark::State& s) {
  run_cycles(s, tree_case(), Solver::GaKluPlain);
}
void BM_Tree860_GaEigenLu(benchmark::State& s) { run_cycles(s, tree_case(), Solver::GaEigenLu); }
void BM_Tree860_Ida(benchmark::State& s) { run_cycles(s, tree_case(), Solver::Ida); }

BENCHMARK(BM_ClosedLoop_GaKlu)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ClosedLoop_GaKluPlain)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ClosedLoop_GaEigenLu)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ClosedLoop_Ida)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Tree860_GaKlu)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Tree860_GaKluPlain)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Tree860_GaEigenLu)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Tree860_Ida)->Unit(benchmark::kMillisecond);

// Keeps us_per_step of every run for the ratio table.
class RatioReporter final : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
      for (const char* counter : {"us_per_step", "cpu_us_per_step"}) {
        const auto it = run.counters.find(counter);
        if (it != run.counters.end()) {
          figures_[fmt::format("{}/{}", run.benchmark_name(), counter)] = it->second.value;
        }
      }
    }
  }
  [[nodiscard]] double us_per_step(const std::string& name, bool is_cpu = false) const {
    const auto it =
        figures_.find(fmt::format("{}/{}", name, is_cpu ? "cpu_us_per_step" : "us_per_step"));
    return it == figures_.end() ? NAN : it->second;
  }

 private:
  std::map<std::string, double> figures_;
};

void print_ratios(const RatioReporter& r) {
  fmt::print("\nTime per step, candidate / baseline (< 1: candidate faster); wall | thread CPU\n");
  fmt::print("{:<12} {:>18} {:>18} {:>18} {:>18} {:>20} {:>20} {:>16}\n", "model", "ga_klu us",
             "ga_klu_plain us", "ga_eigen_lu us", "ida us", "ga_klu/ga_klu_plain",
             "ga_klu/ga_eigen_lu", "ga_klu/ida");
  constexpr std::array kSolvers{"GaKlu", "GaKluPlain", "GaEigenLu", "Ida"};
  for (const auto& [model, prefix] : {std::pair{"closed_loop", "BM_ClosedLoop_"},
                                      std::pair{"tree_860", "BM_Tree860_"}}) {
    double figures[2][kSolvers.size()];
    for (int cpu = 0; cpu < 2; ++cpu) {
      for (std::size_t k = 0; k < kSolvers.size(); ++k) {
        figures[cpu][k] = r.us_per_step(fmt::format("{}{}", prefix, kSolvers[k]), cpu == 1);
      }
    }
    const auto pair = [&](std::size_t k) {
      return fmt::format("{:.2f} | {:.2f}", figures[0][k], figures[1][k]);
    };
    const auto ratio = [&](std::size_t k) {
      return fmt::format("{:.3f} | {:.3f}", figures[0][0] / figures[0][k],
                         figures[1][0] / figures[1][k]);
    };
    fmt::print("{:<12} {:>18} {:>18} {:>18} {:>18} {:>20} {:>20} {:>16}\n", model, pair(0),
               pair(1), pair(2), pair(3), ratio(1), ratio(2), ratio(3));
  }
}

// ---- Peer comparison (svZeroDSolver) -------------------------------------------------------

struct PeerTime {
  double wall_s;
  double cpu_s;
};

PeerTime run_peer(const std::string& executable, const std::filesystem::path& input,
                  const std::filesystem::path& output) {
  const auto command = fmt::format("'{}' '{}' '{}' > /dev/null 2>&1", executable, input.string(),
                                   output.string());
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start_s = children_cpu_s();
  const int status = std::system(command.c_str());
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (status != 0) throw std::runtime_error(fmt::format("'{}' failed ({})", command, status));
  return {elapsed, children_cpu_s() - cpu_start_s};
}

// name -> last-cycle series from svZeroDSolver's variable-based CSV (name,time,y[,ydot]).
std::map<std::string, std::vector<double>> read_peer_csv(const std::filesystem::path& path) {
  std::map<std::string, std::vector<double>> series;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string name, time, value;
    std::getline(fields, name, ',');
    std::getline(fields, time, ',');
    std::getline(fields, value, ',');
    series[name].push_back(std::stod(value));
  }
  return series;
}

struct PeerFigures {
  double us_per_step;
  double cpu_us_per_step;
  double max_relative_pressure_difference;
  std::string worst_variable;
  int compared_variables;
};

PeerFigures compare_with_peer(const std::string& executable, const Case& c, int cycles,
                              const std::filesystem::path& directory) {
  const auto write = [&](int n) {
    const auto path = directory / fmt::format("{}_{}cyc.json", c.name, n);
    std::ofstream(path) << zerod::bench::export_svzerod(c.spec, n, c.steps_per_cycle).config.dump(1);
    return path;
  };
  const auto one = write(1);
  const auto many = write(cycles);
  const auto csv = directory / fmt::format("{}.csv", c.name);
  constexpr int kRepeats = 3;
  PeerTime best_one{INFINITY, INFINITY}, best_many{INFINITY, INFINITY};
  for (int r = 0; r < kRepeats; ++r) {
    for (auto [input, best] : {std::pair{&one, &best_one}, std::pair{&many, &best_many}}) {
      const auto t = run_peer(executable, *input, csv);
      best->wall_s = std::min(best->wall_s, t.wall_s);
      best->cpu_s = std::min(best->cpu_s, t.cpu_s);
    }
  }
  const double steps = (cycles - 1.0) * c.steps_per_cycle;

  // Accuracy: ptwin's last cycle after the same number of cycles, same grid.
  const auto peer = read_peer_csv(csv);
  Runner runner(c, Solver::GaKlu);
  for (int k = 0; k + 1 < cycles; ++k) runner.cycle();
  std::vector<std::vector<double>> last{runner.y()};
  runner.cycle([&](const std::vector<double>& y) { last.push_back(y); });
  const auto names = zerod::bench::export_svzerod(c.spec, 1, c.steps_per_cycle).variable_names;
  PeerFigures f{(best_many.wall_s - best_one.wall_s) / steps * 1e6,
                (best_many.cpu_s - best_one.cpu_s) / steps * 1e6, 0.0, "", 0};
  for (const auto& [ptwin_name, peer_names] : names) {
    if (!ptwin_name.starts_with("pressure:")) continue;
    const int index = runner.model().variable_index(ptwin_name);
    const auto it = peer.find(peer_names.front());
    if (index < 0 || it == peer.end() || it->second.size() != last.size()) continue;
    double scale = 0.0;
    for (const double v : it->second) scale = std::max(scale, std::abs(v));
    double worst = 0.0;
    for (std::size_t k = 0; k < last.size(); ++k) {
      worst = std::max(worst, std::abs(last[k][static_cast<std::size_t>(index)] - it->second[k]));
    }
    ++f.compared_variables;
    if (worst / scale > f.max_relative_pressure_difference) {
      f.max_relative_pressure_difference = worst / scale;
      f.worst_variable = ptwin_name;
    }
  }
  return f;
}

void peer_comparison(const RatioReporter& r) {
  const char* executable = std::getenv("PTWIN_SVZEROD");
  if (executable == nullptr || *executable == '\0') {
    fmt::print("\nsvZeroDSolver comparison skipped: set PTWIN_SVZEROD to the path of an "
               "svzerodsolver executable to time the peer on the same models.\n");
    return;
  }
  const auto directory =
      std::filesystem::temp_directory_path() / fmt::format("ptwin_zerod_bench_{}", ::getpid());
  std::filesystem::create_directories(directory);
  fmt::print("\nsvZeroDSolver ({}): per-step time from N cycles minus 1 cycle, best of 3;\n"
             "pressure difference = max over pressures and last-cycle samples of |ptwin - peer| "
             "/ max |peer|\n", executable);
  fmt::print("{:<12} {:>7} {:>18} {:>18} {:>16} {:>13}  {}\n", "model", "cycles", "peer us",
             "ga_klu us", "ga_klu/peer", "max rel diff", "worst pressure (of n)");
  for (const auto& [c, cycles, prefix] :
       {std::tuple{&closed_loop_case(), 30, "BM_ClosedLoop_"},
        std::tuple{&tree_case(), 4, "BM_Tree860_"}}) {
    const auto f = compare_with_peer(executable, *c, cycles, directory);
    const double ours = r.us_per_step(fmt::format("{}GaKlu", prefix));
    const double ours_cpu = r.us_per_step(fmt::format("{}GaKlu", prefix), true);
    fmt::print("{:<12} {:>7} {:>18} {:>18} {:>16} {:>13.2e}  {} (of {})\n", c->name, cycles,
               fmt::format("{:.2f} | {:.2f}", f.us_per_step, f.cpu_us_per_step),
               fmt::format("{:.2f} | {:.2f}", ours, ours_cpu),
               fmt::format("{:.3f} | {:.3f}", ours / f.us_per_step, ours_cpu / f.cpu_us_per_step),
               f.max_relative_pressure_difference, f.worst_variable, f.compared_variables);
  }
  std::filesystem::remove_all(directory);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("build_type", PTWIN_BUILD_TYPE);
  benchmark::AddCustomContext("ida_relative_tolerance", fmt::format("{}", kIdaRelativeTolerance));
  try {
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    print_ratios(reporter);
    peer_comparison(reporter);
  } catch (const std::exception& error) {
    fmt::print(stderr, "zerod_bench: {}\n", error.what());
    benchmark::Shutdown();
    return 1;
  }
  benchmark::Shutdown();
  return 0;
}
