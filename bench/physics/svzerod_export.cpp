// SPDX-License-Identifier: Apache-2.0
#include "svzerod_export.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/physics/zerod/parameter_reader.hpp"

namespace ptwin::physics::zerod::bench {
namespace {

using nlohmann::json;

struct Exporter {
  explicit Exporter(const json& spec) : model(spec) {}
  const json& model;
  std::map<std::string, std::string> type_of;  // block name -> ptwin type
  std::map<std::string, json> parameters_of;
  json vessels = json::array();
  json junctions = json::array();
  json boundary_conditions = json::array();
  json chambers = json::array();
  json valves = json::array();
  std::map<std::string, json> vessel_bcs;  // vessel -> {"inlet": bc, "outlet": bc}
  std::map<std::string, json> junction_ports;  // junction -> {inlet_blocks, outlet_blocks}
  std::vector<std::pair<std::string, std::vector<std::string>>> names;

  double si(const std::string& block, const char* key, units::Dimension dimension) const {
    return parse_quantity_si(parameters_of.at(block).at(key), dimension,
                             fmt::format("{}.parameters.{}", block, key));
  }
  [[noreturn]] static void unsupported(const std::string& block, const std::string& what) {
    throw InputError(ErrorCode::BadInput, fmt::format("svZeroDSolver export: block '{}'", block),
                     what, "has no svZeroDSolver counterpart in this exporter");
  }

  void add_block(const std::string& name) {
    const auto& type = type_of.at(name);
    if (type == "blood_vessel") {
      const auto& p = parameters_of[name];
      const bool is_inlet = p.value("capacitor_position", "after_resistance") == "inlet";
      json values{{"R_poiseuille", si(name, "resistance", units::kFlowResistanceDim)}};
      if (p.contains("capacitance")) values["C"] = si(name, "capacitance", units::kComplianceDim);
      if (p.contains("inductance")) values["L"] = si(name, "inductance", units::kInertanceDim);
      vessels.push_back({{"vessel_id", vessels.size()}, {"vessel_name", name},
                         {"vessel_length", 1.0},
                         {"zero_d_element_type", is_inlet ? "BloodVesselCRL" : "BloodVessel"},
                         {"zero_d_element_values", values}});
    } else if (type == "junction") {
      junction_ports[name] = {{"inlet_blocks", json::array()}, {"outlet_blocks", json::array()}};
    } else if (type == "rcr_windkessel") {
      boundary_conditions.push_back(
          {{"bc_name", name}, {"bc_type", "RCR"},
           {"bc_values",
            {{"Rp", si(name, "proximal_resistance", units::kFlowResistanceDim)},
             {"C", si(name, "capacitance", units::kComplianceDim)},
             {"Rd", si(name, "distal_resistance", units::kFlowResistanceDim)},
             {"Pd", 0.0}}}});
    } else if (type == "prescribed_flow") {
      const auto& flow = parameters_of[name].at("flow");
      if (flow.value("kind", "") != "table" || flow.value("interpolation", "linear") != "linear") {
        unsupported(name, "a prescribed_flow that is not a linear table");
      }
      const double q = units::to_si(1.0, flow.at("unit").get<std::string>(),
                                    units::kVolumeFlowDim, name);
      const double s = units::to_si(1.0, flow.at("time_unit").get<std::string>(),
                                    units::kTimeDim, name);
      json t = json::array(), values = json::array();
      for (const auto& v : flow.at("times")) t.push_back(v.get<double>() * s);
      for (const auto& v : flow.at("values")) values.push_back(v.get<double>() * q);
      boundary_conditions.push_back(
          {{"bc_name", name}, {"bc_type", "FLOW"}, {"bc_values", {{"t", t}, {"Q", values}}}});
    } else if (type == "elastance_chamber") {
      add_chamber(name);
    } else if (type == "valve_smooth") {
      valves.push_back(
          {{"type", "ValveTanh"}, {"name", name},
           {"params",
            {{"Rmin", si(name, "min_resistance", units::kFlowResistanceDim)},
             {"Rmax", si(name, "max_resistance", units::kFlowResistanceDim)},
             {"Steepness", si(name, "steepness", units::Dimension{-1, 1, 2, 0})}}}});
    } else if (type == "valve_event") {
      // svZeroDSolver has no event valve; PiecewiseValve with a closed resistance of 1e11
      // Pa s/m3 (750 mm[Hg] s/mL, 1e5 x R_min here) is an ideal diode up to a small backflow
      // leak. With 1e13 the peer's Newton fails (max iterations) within 20 beats.
      valves.push_back(
          {{"type", "PiecewiseValve"}, {"name", name},
           {"params",
            {{"Rmin", si(name, "min_resistance", units::kFlowResistanceDim)},
             {"Rmax", kClosedValveResistance}}}});
    } else {
      unsupported(name, type);
    }
  }
  static constexpr double kClosedValveResistance = 1e11;  // Pa s/m3

  void add_chamber(const std::string& name) {
    const auto& p = parameters_of[name];
    const auto& a = p.at("activation");
    if (a.value("type", "") != "piecewise_cosine" || !p.contains("rest_volume")) {
      unsupported(name, "a chamber without piecewise_cosine activation and rest_volume");
    }
    const auto time = [&](const char* key) {
      return parse_quantity_si(a.at(key), units::kTimeDim, fmt::format("{}.activation", name));
    };
    const double passive = si(name, "passive_elastance", units::kElastanceDim);
    const double rest = si(name, "rest_volume", units::kVolumeDim);
    const double relax_start = a.contains("relax_start")
                                   ? time("relax_start")
                                   : time("contract_start") + time("contract_duration");
    chambers.push_back(
        {{"type", "ChamberElastanceInductor"}, {"name", name},
         {"values",
          {{"Emax", passive + si(name, "active_elastance", units::kElastanceDim)},
           {"Emin", passive}, {"Vrd", rest}, {"Vrs", rest}, {"Impedance", 0.0}}},
         {"activation_function",
          {{"type", "piecewise_cosine"}, {"contract_start", time("contract_start")},
           {"relax_start", relax_start}, {"contract_duration", time("contract_duration")},
           {"relax_duration", time("relax_duration")}}}});
  }

  void connect(const std::string& from, const std::string& to) {
    const auto& from_type = type_of.at(from);
    const auto& to_type = type_of.at(to);
    const std::string plain = fmt::format("{}:{}", from, to);
    auto same = [&](std::vector<std::string> peer) {
      for (const char* q : {"pressure", "flow"}) {
        std::vector<std::string> full;
        for (const auto& n : peer) full.push_back(fmt::format("{}:{}", q, n));
        names.emplace_back(fmt::format("{}:{}", q, plain), full);
      }
    };
    if (from_type.starts_with("valve_")) {  // the valve names its neighbours
      valve_params(from)["downstream_block"] = to;
    } else if (to_type.starts_with("valve_")) {
      valve_params(to)["upstream_block"] = from;
    } else if (from_type == "prescribed_flow" || from_type == "rcr_windkessel") {
      vessel_bcs[to]["inlet"] = from;
    } else if (to_type == "rcr_windkessel") {
      vessel_bcs[from]["outlet"] = to;
    } else if (from_type == "junction" || to_type == "junction") {
      if (from_type == "junction") junction_ports[from]["outlet_blocks"].push_back(to);
      if (to_type == "junction") junction_ports[to]["inlet_blocks"].push_back(from);
    } else {
      const auto junction = fmt::format("{}_to_{}", from, to);
      junctions.push_back({{"junction_name", junction}, {"junction_type", "NORMAL_JUNCTION"},
                           {"inlet_blocks", {from}}, {"outlet_blocks", {to}}});
      same({fmt::format("{}:{}", from, junction), fmt::format("{}:{}", junction, to)});
      return;
    }
    same({plain});
  }

  json& valve_params(const std::string& name) {
    for (auto& v : valves) {
      if (v.at("name") == name) return v.at("params");
    }
    unsupported(name, "valve not declared");
  }
};

}  // namespace

SvZeroDExport export_svzerod(const nlohmann::json& model, int cycles, int steps_per_cycle) {
  Exporter e(model);
  for (const auto& block : model.at("blocks")) {
    const auto name = block.at("name").get<std::string>();
    e.type_of[name] = block.at("type").get<std::string>();
    e.parameters_of[name] = block.value("parameters", json::object());
  }
  for (const auto& block : model.at("blocks")) e.add_block(block.at("name").get<std::string>());
  for (const auto& c : model.at("connections")) {
    e.connect(c.is_array() ? c[0].get<std::string>() : c.at("from").get<std::string>(),
              c.is_array() ? c[1].get<std::string>() : c.at("to").get<std::string>());
  }
  for (auto& v : e.vessels) {
    const auto it = e.vessel_bcs.find(v.at("vessel_name").get<std::string>());
    if (it != e.vessel_bcs.end()) v["boundary_conditions"] = it->second;
  }
  for (const auto& [name, ports] : e.junction_ports) {
    e.junctions.push_back({{"junction_name", name}, {"junction_type", "NORMAL_JUNCTION"},
                           {"inlet_blocks", ports.at("inlet_blocks")},
                           {"outlet_blocks", ports.at("outlet_blocks")}});
  }
  json simulation{{"number_of_cardiac_cycles", cycles},
                  {"number_of_time_pts_per_cardiac_cycle", steps_per_cycle + 1},
                  {"steady_initial", false},
                  {"output_variable_based", true},
                  {"output_all_cycles", false}};
  if (model.contains("heart_period")) {
    simulation["cardiac_period"] =
        parse_quantity_si(model.at("heart_period"), units::kTimeDim, "heart_period");
  }
  json config{{"simulation_parameters", simulation}, {"vessels", e.vessels},
              {"junctions", e.junctions}, {"boundary_conditions", e.boundary_conditions}};
  if (!e.chambers.empty()) config["chambers"] = e.chambers;
  if (!e.valves.empty()) config["valves"] = e.valves;
  if (model.contains("initial_conditions")) {
    json initial = json::object();
    for (const auto& [variable, value] : model.at("initial_conditions").items()) {
      const bool is_volume = variable.starts_with("volume:");
      const double v = parse_quantity_si(
          value, is_volume ? units::kVolumeDim
                           : (variable.starts_with("flow:") ? units::kVolumeFlowDim
                                                            : units::kPressureDim),
          variable);
      if (is_volume) {
        initial[fmt::format("Vc:{}", variable.substr(7))] = v;
        continue;
      }
      for (const auto& [ptwin_name, peer_names] : e.names) {
        if (ptwin_name == variable) {
          for (const auto& peer : peer_names) initial[peer] = v;
        }
      }
    }
    config["initial_condition"] = initial;
  }
  return {config, e.names};
}

}  // namespace ptwin::physics::zerod::bench
