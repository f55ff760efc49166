// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/network_pressure_drops.hpp"

#include <algorithm>
#include <cmath>

#include "ptwin/physics/zerod/model_builder.hpp"

namespace ptwin::physics::zerod {
namespace {

// (1/T) int f dt over the recorded cycle, trapezoidal rule.
double cycle_mean(const std::vector<double>& times_s, const std::vector<double>& values) {
  double integral = 0.0;
  for (std::size_t n = 1; n < times_s.size(); ++n) {
    integral += 0.5 * (times_s[n] - times_s[n - 1]) * (values[n] + values[n - 1]);
  }
  const double span_s = times_s.back() - times_s.front();
  return span_s > 0.0 ? integral / span_s : values.back();
}

}  // namespace

NetworkPressureDrops predict_segment_pressure_drops(const geometry::centerline::VesselNetwork& network,
                                                    const NetworkModelOptions& options,
                                                    const NetworkPressureDropSettings& settings) {
  const auto spec = make_network_model(network, options);
  auto model = build_model(spec, "vessel network model");
  SimulationSettings run;
  run.steps_per_cycle = settings.steps_per_cycle;
  run.min_cycles = 1;
  run.max_cycles = settings.max_cycles;
  run.steady_state_tolerance = settings.steady_state_tolerance;
  run.is_steady_initial = true;
  run.period_s = options.period_s;
  for (const auto& segment : network.segments) run.output_blocks.push_back(segment.name);
  const auto result = simulate(*model, run);
  NetworkPressureDrops drops;
  drops.status = result.status;
  drops.message = result.message;
  drops.cycles = result.cycles;
  drops.period_s = result.period_s;
  if (result.status != SimulationStatus::Completed) return drops;
  for (const auto& segment : network.segments) {
    const auto& p_in = result.series(segment.name + ".pressure_in");
    const auto& p_out = result.series(segment.name + ".pressure_out");
    const auto& q_in = result.series(segment.name + ".flow_in");
    const double s = segment_parameters(segment, options).stenosis_pa_s2_per_m6;
    std::vector<double> drop(p_in.size()), loss(p_in.size());
    for (std::size_t n = 0; n < p_in.size(); ++n) {
      drop[n] = p_in[n] - p_out[n];
      loss[n] = s * std::abs(q_in[n]) * q_in[n];
    }
    drops.segments.push_back({segment.name, !segment.stenoses.empty(), cycle_mean(result.times_s, drop),
                              *std::max_element(drop.begin(), drop.end()), cycle_mean(result.times_s, q_in),
                              cycle_mean(result.times_s, loss)});
  }
  return drops;
}

}  // namespace ptwin::physics::zerod
