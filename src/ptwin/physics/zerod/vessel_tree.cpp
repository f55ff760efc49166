// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/vessel_tree.hpp"

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::physics::zerod {
namespace {

std::string si(double value, std::string_view unit) { return fmt::format("{:.17g} {}", value, unit); }

nlohmann::json vessel_block(int index, const VesselTreeOptions& o) {
  const int generation = static_cast<int>(std::floor(std::log2(index + 1.0)));
  const double scale = std::pow(2.0, -generation / 3.0);
  const double radius_m = o.root_radius_m * scale;
  const double length_m = o.root_length_m * scale;
  const double pi = std::numbers::pi;
  const double resistance = 8.0 * o.viscosity_pa_s * length_m / (pi * std::pow(radius_m, 4));
  const double inductance = o.density_kg_per_m3 * length_m / (pi * radius_m * radius_m);
  const double capacitance = 3.0 * pi * std::pow(radius_m, 3) * length_m /
                             (2.0 * o.young_modulus_pa * o.wall_ratio * radius_m);
  return {{"name", fmt::format("branch{}", index)},
          {"type", "blood_vessel"},
          {"parameters",
           {{"resistance", si(resistance, "Pa.s/m3")},
            {"capacitance", si(capacitance, "m3/Pa")},
            {"inductance", si(inductance, "Pa.s2/m3")}}}};
}

nlohmann::json inflow_block(const VesselTreeOptions& o) {
  std::vector<double> times(static_cast<std::size_t>(o.inflow_points));
  std::vector<double> flows(times.size());
  const double omega = 2.0 * std::numbers::pi / o.period_s;
  for (std::size_t k = 0; k < times.size(); ++k) {
    const double t = o.period_s * static_cast<double>(k) / static_cast<double>(times.size() - 1);
    times[k] = t;
    flows[k] = o.mean_inflow_m3_per_s + o.first_harmonic_m3_per_s * std::sin(omega * t) +
               o.second_harmonic_m3_per_s * std::sin(2.0 * omega * t + 0.5);
  }
  flows.back() = flows.front();  // exactly periodic despite rounding of sin(2 pi)
  return {{"name", "inflow"},
          {"type", "prescribed_flow"},
          {"parameters",
           {{"flow",
             {{"kind", "table"}, {"unit", "m3/s"}, {"time_unit", "s"}, {"times", times},
              {"values", flows}, {"periodic", true}, {"interpolation", "linear"}}}}}};
}

}  // namespace

nlohmann::json make_vessel_tree(const VesselTreeOptions& o) {
  if (o.vessel_count < 1 || o.vessel_count % 2 == 0) {
    throw InputError(ErrorCode::BadInput, "vessel_tree.vessel_count",
                     fmt::format("{}", o.vessel_count), "must be odd and positive");
  }
  if (o.inflow_points < 3) {
    throw InputError(ErrorCode::BadInput, "vessel_tree.inflow_points",
                     fmt::format("{}", o.inflow_points), "must be at least 3");
  }
  const int n = o.vessel_count;
  const int leaves = (n + 1) / 2;
  nlohmann::json blocks = nlohmann::json::array({inflow_block(o)});
  nlohmann::json connections = nlohmann::json::array({{"inflow", "branch0"}});
  const double outlet_resistance = o.total_outlet_resistance_pa_s_per_m3 * leaves;
  for (int i = 0; i < n; ++i) {
    blocks.push_back(vessel_block(i, o));
    const auto vessel = fmt::format("branch{}", i);
    if (2 * i + 1 < n) {
      const auto junction = fmt::format("junction{}", i);
      blocks.push_back({{"name", junction}, {"type", "junction"}});
      connections.push_back({vessel, junction});
      connections.push_back({junction, fmt::format("branch{}", 2 * i + 1)});
      connections.push_back({junction, fmt::format("branch{}", 2 * i + 2)});
    } else {
      const auto outlet = fmt::format("outlet{}", i);
      blocks.push_back(
          {{"name", outlet},
           {"type", "rcr_windkessel"},
           {"parameters",
            {{"proximal_resistance", si(o.proximal_fraction * outlet_resistance, "Pa.s/m3")},
             {"capacitance", si(o.total_outlet_capacitance_m3_per_pa / leaves, "m3/Pa")},
             {"distal_resistance",
              si((1.0 - o.proximal_fraction) * outlet_resistance, "Pa.s/m3")}}}});
      connections.push_back({vessel, outlet});
    }
  }
  return {{"format", "ptwin.zerod/1"},
          {"name", fmt::format("vessel_tree_{}", n)},
          {"description", fmt::format("binary vessel tree, {} vessels, {} outlets, Murray's law "
                                      "radii, Poiseuille resistance", n, leaves)},
          {"heart_period", si(o.period_s, "s")},
          {"blocks", blocks},
          {"connections", connections},
          // The inflow's own connection starts at Q(0); every other unknown starts at 0. This
          // makes the initial state consistent for integrators that need it (IDA).
          {"initial_conditions",
           {{"flow:inflow:branch0",
             si(o.mean_inflow_m3_per_s + o.second_harmonic_m3_per_s * std::sin(0.5), "m3/s")}}}};
}

}  // namespace ptwin::physics::zerod
