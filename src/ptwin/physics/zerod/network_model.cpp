// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/network_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>
#include <string>

#include "ptwin/core/error.hpp"

namespace ptwin::physics::zerod {
namespace {

using geometry::centerline::NodeKind;
using geometry::centerline::VesselNetwork;
using geometry::centerline::VesselSegment;

constexpr double kPi = std::numbers::pi;

std::string si(double value, std::string_view unit) { return fmt::format("{:.17g} {}", value, unit); }

void require(bool is_valid, std::string_view field, double value, std::string_view rule) {
  if (!is_valid) {
    throw InputError(ErrorCode::BadInput, fmt::format("network model options: {}", field), fmt::format("{}", value),
                     std::string(rule));
  }
}

void check_options(const NetworkModelOptions& o) {
  require(o.viscosity_pa_s > 0.0 && std::isfinite(o.viscosity_pa_s), "viscosity_pa_s", o.viscosity_pa_s, "must be positive");
  require(o.density_kg_per_m3 > 0.0 && std::isfinite(o.density_kg_per_m3), "density_kg_per_m3", o.density_kg_per_m3, "must be positive");
  require(o.stenosis_turbulence_coefficient >= 0.0, "stenosis_turbulence_coefficient", o.stenosis_turbulence_coefficient, "must be >= 0");
  require(o.wall_stiffness_pa >= 0.0 && std::isfinite(o.wall_stiffness_pa), "wall_stiffness_pa", o.wall_stiffness_pa, "must be >= 0 (0: Olufsen's fit)");
  require(o.total_outlet_resistance_pa_s_per_m3 > 0.0, "total_outlet_resistance_pa_s_per_m3", o.total_outlet_resistance_pa_s_per_m3, "must be positive");
  require(o.total_outlet_capacitance_m3_per_pa >= 0.0, "total_outlet_capacitance_m3_per_pa", o.total_outlet_capacitance_m3_per_pa, "must be >= 0");
  require(o.proximal_fraction >= 0.0 && o.proximal_fraction < 1.0, "proximal_fraction", o.proximal_fraction, "must be in [0, 1)");
  require(std::isfinite(o.distal_pressure_pa), "distal_pressure_pa", o.distal_pressure_pa, "must be finite");
  require(std::isfinite(o.mean_inflow_m3_per_s), "mean_inflow_m3_per_s", o.mean_inflow_m3_per_s, "must be finite");
  require(o.period_s > 0.0, "period_s", o.period_s, "must be positive");
  require(o.inflow_times_s.size() == o.inflow_m3_per_s.size(), "inflow_m3_per_s",
          static_cast<double>(o.inflow_m3_per_s.size()), "must hold one flow per entry of inflow_times_s");
  require(o.inflow_times_s.empty() || o.inflow_times_s.size() >= 2, "inflow_times_s",
          static_cast<double>(o.inflow_times_s.size()), "must be empty or hold at least 2 times");
}

// The radius that stands for the segment's healthy lumen: the median over its points, which
// neither the wider cut through a bifurcation's common lumen nor a short stenosis moves (the mean
// does: +8 % at the phantom's fork, enough to shift the outlet split by a quarter).
double reference_radius_m(const VesselSegment& segment) {
  auto radii = segment.radius_m;
  const auto middle = radii.begin() + static_cast<long>(radii.size() / 2);
  std::nth_element(radii.begin(), middle, radii.end());
  return *middle;
}

nlohmann::json inflow_block(const std::string& name, const NetworkModelOptions& o) {
  if (o.inflow_times_s.empty()) {
    return {{"name", name}, {"type", "prescribed_flow"}, {"parameters", {{"flow", si(o.mean_inflow_m3_per_s, "m3/s")}}}};
  }
  return {{"name", name},
          {"type", "prescribed_flow"},
          {"parameters",
           {{"flow",
             {{"kind", "table"}, {"unit", "m3/s"}, {"time_unit", "s"}, {"times", o.inflow_times_s},
              {"values", o.inflow_m3_per_s}, {"periodic", true}, {"interpolation", "linear"}}}}}};
}

nlohmann::json outlet_block(const std::string& name, double weight, const NetworkModelOptions& o) {
  const double resistance = o.total_outlet_resistance_pa_s_per_m3 / weight;
  if (o.outlet == OutletModel::Resistance) {
    return {{"name", name},
            {"type", "resistance_boundary"},
            {"parameters", {{"resistance", si(resistance, "Pa.s/m3")}, {"distal_pressure", si(o.distal_pressure_pa, "Pa")}}}};
  }
  return {{"name", name},
          {"type", "rcr_windkessel"},
          {"parameters",
           {{"proximal_resistance", si(o.proximal_fraction * resistance, "Pa.s/m3")},
            {"capacitance", si(o.total_outlet_capacitance_m3_per_pa * weight, "m3/Pa")},
            {"distal_resistance", si((1.0 - o.proximal_fraction) * resistance, "Pa.s/m3")},
            {"distal_pressure", si(o.distal_pressure_pa, "Pa")}}}};
}

}  // namespace

double olufsen_wall_stiffness_pa(double radius_m) {
  constexpr double kK1_pa = 2.0e6, kK2_per_m = -2253.0, kK3_pa = 8.65e4;
  return kK1_pa * std::exp(kK2_per_m * radius_m) + kK3_pa;
}

SegmentLumpedParameters segment_parameters(const VesselSegment& segment, const NetworkModelOptions& o) {
  const auto s = segment.arc_lengths_m();
  const auto& r = segment.radius_m;
  double inverse_r4 = 0.0, inverse_r2 = 0.0, compliance_integral = 0.0;
  auto stiffness = [&](double radius) { return o.wall_stiffness_pa > 0.0 ? o.wall_stiffness_pa : olufsen_wall_stiffness_pa(radius); };
  for (std::size_t p = 1; p < s.size(); ++p) {
    const double ds = s[p] - s[p - 1];
    inverse_r4 += 0.5 * ds * (std::pow(r[p - 1], -4) + std::pow(r[p], -4));
    inverse_r2 += 0.5 * ds * (std::pow(r[p - 1], -2) + std::pow(r[p], -2));
    // r^3 / (E h) = r^2 / (E h / r)
    compliance_integral += 0.5 * ds * (r[p - 1] * r[p - 1] / stiffness(r[p - 1]) + r[p] * r[p] / stiffness(r[p]));
  }
  SegmentLumpedParameters out;
  out.resistance_pa_s_per_m3 = 8.0 * o.viscosity_pa_s / kPi * inverse_r4;
  out.inductance_pa_s2_per_m3 = o.is_inductance_included ? o.density_kg_per_m3 / kPi * inverse_r2 : 0.0;
  out.capacitance_m3_per_pa = o.is_capacitance_included ? 1.5 * kPi * compliance_integral : 0.0;
  for (const auto& st : segment.stenoses) {
    const double a0 = kPi * st.reference_radius_m * st.reference_radius_m;
    const double as = kPi * st.minimal_radius_m * st.minimal_radius_m;
    out.stenosis_pa_s2_per_m6 +=
        o.stenosis_turbulence_coefficient * o.density_kg_per_m3 / (2.0 * a0 * a0) * std::pow(a0 / as - 1.0, 2);
  }
  return out;
}

nlohmann::json make_network_model(const VesselNetwork& network, const NetworkModelOptions& o) {
  geometry::centerline::validate(network, "vessel network");
  check_options(o);
  std::set<std::string, std::less<>> names;
  for (const auto& node : network.nodes) names.insert(node.name);
  for (std::size_t s = 0; s < network.segments.size(); ++s) {
    if (names.contains(network.segments[s].name)) {
      throw InputError(ErrorCode::BadInput, fmt::format("vessel network: segments[{}].name", s), network.segments[s].name,
                       "is also a node's name; block names must be unique (rename one)");
    }
  }
  double weight_sum = 0.0;
  for (const auto& segment : network.segments) {
    if (network.nodes[segment.distal_node].kind == NodeKind::Outlet) weight_sum += std::pow(reference_radius_m(segment), 3);
  }
  const auto& inlet = network.nodes[network.inlet_node()];
  nlohmann::json blocks = nlohmann::json::array({inflow_block(inlet.name, o)});
  nlohmann::json connections = nlohmann::json::array();
  for (const auto& node : network.nodes) {
    if (node.kind == NodeKind::Bifurcation) blocks.push_back({{"name", node.name}, {"type", "junction"}});
  }
  std::string trunk;
  for (const auto& segment : network.segments) {
    const auto p = segment_parameters(segment, o);
    blocks.push_back({{"name", segment.name},
                      {"type", "blood_vessel"},
                      {"parameters",
                       {{"resistance", si(p.resistance_pa_s_per_m3, "Pa.s/m3")},
                        {"capacitance", si(p.capacitance_m3_per_pa, "m3/Pa")},
                        {"inductance", si(p.inductance_pa_s2_per_m3, "Pa.s2/m3")},
                        {"stenosis_coefficient", si(p.stenosis_pa_s2_per_m6, "Pa.s2/m6")}}}});
    const auto& from = network.nodes[segment.proximal_node];
    const auto& to = network.nodes[segment.distal_node];
    if (from.kind == NodeKind::Inlet) trunk = segment.name;
    connections.push_back({from.name, segment.name});
    if (to.kind == NodeKind::Outlet) {
      blocks.push_back(outlet_block(to.name, std::pow(reference_radius_m(segment), 3) / weight_sum, o));
    }
    connections.push_back({segment.name, to.name});
  }
  const double initial_flow = o.inflow_times_s.empty() ? o.mean_inflow_m3_per_s : o.inflow_m3_per_s.front();
  return {{"format", "ptwin.zerod/1"},
          {"name", "vessel_network"},
          {"description", fmt::format("0D model of a vessel network: {} segments, {} nodes (series {})",
                                      network.segments.size(), network.nodes.size(), network.series_uid)},
          {"heart_period", si(o.period_s, "s")},
          {"blocks", blocks},
          {"connections", connections},
          // The inflow's own connection starts at the prescribed flow; the rest at 0, which is a
          // consistent start (model_builder.hpp).
          {"initial_conditions", {{fmt::format("flow:{}:{}", inlet.name, trunk), si(initial_flow, "m3/s")}}}};
}

}  // namespace ptwin::physics::zerod
