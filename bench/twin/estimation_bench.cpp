// SPDX-License-Identifier: Apache-2.0
// Cost of assimilating one beat into the shipped closed-loop 0D model
// (data/models/regazzoni2022_closed_loop.json; docs/twin.md, "Estimation"), against the cost of
// one evaluation of the observation function, in one run (docs/benchmarks.md#twin_bench):
//   Estimation/model_evaluation  baseline: h(theta) once, i.e. beats_per_observation (3) beats
//                                of 100 steps from the warm state, and the beat features
//   Estimation/ukf_update        predict + update with systolic/diastolic/mean pressure, 4
//                                log-multiplier parameters: 2n+1 = 9 evaluations of h
//   Estimation/enkf_update       the same with the stochastic EnKF, PTWIN_ENKF_MEMBERS members
//                                (default 16): N evaluations of h
//   Estimation/ukf_update_linear the UKF's own arithmetic: the same update on a 4-state
//                                constant-velocity model whose h costs nothing
// Counter: updates/s (CPU time of the benchmark thread: the machines this runs on are shared).
// After the table, main() prints each time / model_evaluation.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "ptwin/physics/zerod/model_builder.hpp"
#include "ptwin/twin/estimation/ensemble_kalman_filter.hpp"
#include "ptwin/twin/estimation/unscented_kalman_filter.hpp"
#include "ptwin/twin/estimation/zerod_beat_model.hpp"
#include "support/benchmark_main.hpp"
#include "support/rate_collector.hpp"

namespace {

namespace estimation = ptwin::twin::estimation;
constexpr double kMmHg = 133.322387415;

int enkf_members() {
  const char* text = std::getenv("PTWIN_ENKF_MEMBERS");
  if (text == nullptr) return 16;
  const auto members = std::strtol(text, nullptr, 10);
  if (members < 2 || members > 100000) {
    throw std::runtime_error("PTWIN_ENKF_MEMBERS must be from 2 to 100000");
  }
  return static_cast<int>(members);
}

estimation::ZerodBeatModel& beat_model() {
  static estimation::ZerodBeatModel model = [] {
    estimation::ZerodBeatSettings settings;
    const double q = 0.01 / std::sqrt(0.8);
    settings.parameters = {{"systemic_resistance", q},
                           {"arterial_compliance", q},
                           {"lv_contractility", q},
                           {"blood_volume", q}};
    settings.steps_per_beat = 100;
    settings.beats_per_observation = 3;
    return estimation::ZerodBeatModel(
        ptwin::physics::zerod::read_json_file(std::string(PTWIN_SOURCE_DIR) +
                                              "/data/models/regazzoni2022_closed_loop.json"),
        "regazzoni2022_closed_loop.json", settings);
  }();
  return model;
}

estimation::GaussianEstimate prior(Eigen::Index n, double sd) {
  return {Eigen::VectorXd::Zero(n), sd * sd * Eigen::MatrixXd::Identity(n, n)};
}

// The pressures the model itself gives, shifted by 3 mmHg so that every update moves the estimate.
estimation::Measurement pressures() {
  const Eigen::VectorXd features = beat_model().observe(Eigen::VectorXd::Zero(4));
  return {{estimation::kSystolic, estimation::kDiastolic, estimation::kMeanPressure},
          features.head(3).array() + 3.0 * kMmHg};
}

void set_rate(benchmark::State& state) {
  state.counters["updates/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void model_evaluation(benchmark::State& state) {
  const Eigen::VectorXd theta = Eigen::VectorXd::Constant(4, 0.01);
  benchmark::DoNotOptimize(beat_model().observe(theta).data());  // untimed warm-up (caches)
  for (auto _ : state) benchmark::DoNotOptimize(beat_model().observe(theta).data());
  set_rate(state);
}

void ukf_update(benchmark::State& state) {
  const auto z = pressures();
  estimation::UnscentedKalmanFilter ukf(beat_model(), prior(4, 0.1));
  for (auto _ : state) {
    ukf.predict(beat_model().heart_period_s());
    benchmark::DoNotOptimize(ukf.update(z).normalised_innovation_squared);
  }
  set_rate(state);
}

void enkf_update(benchmark::State& state) {
  const auto z = pressures();
  estimation::EnsembleSettings settings;
  settings.members = enkf_members();
  estimation::EnsembleKalmanFilter enkf(beat_model(), prior(4, 0.1), settings);
  for (auto _ : state) {
    enkf.predict(beat_model().heart_period_s());
    benchmark::DoNotOptimize(enkf.update(z).normalised_innovation_squared);
  }
  set_rate(state);
}

// 2-D constant velocity, positions observed: the filter's linear algebra alone.
class ConstantVelocity final : public estimation::StateSpaceModel {
 public:
  std::vector<std::string> state_names() const override { return {"x", "vx", "y", "vy"}; }
  std::vector<std::string> observation_names() const override { return {"x", "y"}; }
  Eigen::VectorXd propagate(const Eigen::VectorXd& x, double dt) const override {
    return Eigen::Vector4d(x(0) + dt * x(1), x(1), x(2) + dt * x(3), x(3));
  }
  Eigen::MatrixXd process_noise(double dt) const override {
    return Eigen::Vector4d(dt * dt * dt / 3, dt, dt * dt * dt / 3, dt).asDiagonal();
  }
  Eigen::VectorXd observe(const Eigen::VectorXd& x) const override {
    return Eigen::Vector2d(x(0), x(2));
  }
  Eigen::MatrixXd observation_noise() const override { return Eigen::Matrix2d::Identity(); }
};

void ukf_update_linear(benchmark::State& state) {
  const ConstantVelocity model;
  estimation::UnscentedKalmanFilter ukf(model, prior(4, 1.0));
  const estimation::Measurement z{{0, 1}, Eigen::Vector2d(0.1, -0.1)};
  for (auto _ : state) {
    ukf.predict(0.01);
    benchmark::DoNotOptimize(ukf.update(z).normalised_innovation_squared);
  }
  set_rate(state);
}

void print_ratios(std::FILE* out, const ptwin::bench::RateCollector& collector) {
  const double baseline = 1.0 / collector.rate("Estimation/model_evaluation");
  fmt::print(out,
             "\nOne update against one model evaluation (3 beats, 100 steps each), same run\n"
             "{:<30} {:>12} {:>22}\n",
             "benchmark", "ms/update", "/ model_evaluation");
  for (const auto* name : {"Estimation/model_evaluation", "Estimation/ukf_update",
                           "Estimation/enkf_update", "Estimation/ukf_update_linear"}) {
    const double seconds = 1.0 / collector.rate(name);
    if (std::isnan(seconds)) continue;
    fmt::print(out, "{:<30} {:>12.4f} {:>22.3f}\n", name, 1e3 * seconds, seconds / baseline);
  }
  fmt::print(out, "EnKF members: {}\n", enkf_members());
}

}  // namespace

int main(int argc, char** argv) {
  return ptwin::bench::run_benchmark_main(argc, argv, "twin_bench", [](std::FILE* out) {
    benchmark::AddCustomContext("enkf_members", std::to_string(enkf_members()));
    benchmark::RegisterBenchmark("Estimation/model_evaluation", model_evaluation)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("Estimation/ukf_update", ukf_update)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("Estimation/enkf_update", enkf_update)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("Estimation/ukf_update_linear", ukf_update_linear)
        ->Unit(benchmark::kMicrosecond);
    ptwin::bench::RateCollector collector(*benchmark::CreateDefaultDisplayReporter(), "updates/s");
    benchmark::RunSpecifiedBenchmarks(&collector);
    std::fflush(stdout);
    print_ratios(out, collector);
  });
}
