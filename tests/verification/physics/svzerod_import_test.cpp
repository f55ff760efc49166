// SPDX-License-Identifier: Apache-2.0
// Import of svZeroDSolver configurations (src/ptwin/physics/zerod/svzerod_import.hpp): small
// configurations written here in svZeroDSolver's format are imported, built and simulated, and
// compared with closed-form solutions, with the same model written directly in ptwin's format,
// or with a conservation law. Bad inputs must name the svZeroDSolver path.

#include "ptwin/physics/zerod/svzerod_import.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <string>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/zerod/model_builder.hpp"
#include "ptwin/physics/zerod/simulation.hpp"
#include "verification/physics/zerod_verification_support.hpp"
#include "verification/verification_case.hpp"

namespace ptwin::physics::zerod {
namespace {

using nlohmann::json;
using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;

// cgs -> SI factors, written out so that the test checks the importer's unit strings.
constexpr double kPaPerDynPerCm2 = 0.1;
constexpr double kM3PerMl = 1e-6;

struct ImportedRun {
  json spec;
  std::unique_ptr<Model> model;
  SimulationResult result;
};

// Imports, builds and simulates with the imported settings and tight Newton tolerances, so that
// the comparisons below measure the translation and not the Newton stopping rule.
ImportedRun run_imported(const json& config, SvZeroDUnits units) {
  ImportedRun run;
  run.spec = import_svzerod(config, units, "inline.json");
  run.model = build_model(run.spec, "inline.json");
  auto settings = read_simulation_settings(run.spec.at("simulation"), {}, "simulation");
  const double spectral_radius = settings.integrator.spectral_radius;
  settings.integrator = testing::tight_newton_settings();
  settings.integrator.spectral_radius = spectral_radius;
  run.result = simulate(*run.model, settings);
  return run;
}

double last(const SimulationResult& result, std::string_view channel) {
  return result.series(channel).back();
}

json flow_bc(std::string name, std::vector<double> times, std::vector<double> flows) {
  return {{"bc_name", std::move(name)},
          {"bc_type", "FLOW"},
          {"bc_values", {{"t", std::move(times)}, {"Q", std::move(flows)}}}};
}

json vessel(int id, std::string name, json values, json ends = json::object()) {
  json v{{"vessel_id", id},
         {"vessel_name", std::move(name)},
         {"zero_d_element_type", "BloodVessel"},
         {"zero_d_element_values", std::move(values)}};
  if (!ends.empty()) v["boundary_conditions"] = std::move(ends);
  return v;
}

json steady_simulation(int cycles) {
  // rho_infty 0: the algebraic unknowns reach their steady values in the first step.
  return {{"number_of_cardiac_cycles", cycles},
          {"number_of_time_pts_per_cardiac_cycle", 11},
          {"rho_infty", 0.0},
          {"steady_initial", false}};
}

TEST(SvZeroDImport, SteadyFlowThroughResistanceGivesOhmsLawPressures) {
  const VerificationCase kCase{
      .id = "zerod.svzerod_import.steady_resistance",
      .source =
          "closed form: P_out = Q R_bc + P_d, P_in = P_out + Q R (docs/physics.md, "
          "Importing svZeroDSolver models)",
      .quantity = "vessel inlet and outlet pressure at the end of the run",
      .norm = "max relative error",
      .tolerance = 1e-9,
      .tolerance_reason =
          "algebraic network solved by Newton to ~1e-12 relative; no time "
          "discretisation error in a steady resistive network"};
  const json config{
      {"simulation_parameters", steady_simulation(2)},
      {"boundary_conditions",
       {flow_bc("INFLOW", {0.0, 1.0}, {5.0, 5.0}),
        {{"bc_name", "OUT"},
         {"bc_type", "RESISTANCE"},
         {"bc_values", {{"R", 100.0}, {"Pd", 100.0}, {"_note", "comment"}}}}}},
      {"vessels",
       {vessel(0, "V0", {{"R_poiseuille", 100.0}}, {{"inlet", "INFLOW"}, {"outlet", "OUT"}})}}};
  const auto run = run_imported(config, SvZeroDUnits::Cgs);
  ASSERT_EQ(run.result.status, SimulationStatus::Completed) << run.result.message;
  const double p_out_pa = (5.0 * 100.0 + 100.0) * kPaPerDynPerCm2;  // 600 dyn/cm2
  const double p_in_pa = p_out_pa + 5.0 * 100.0 * kPaPerDynPerCm2;  // 1100 dyn/cm2
  const double error = std::max(std::abs(last(run.result, "V0.pressure_out") / p_out_pa - 1.0),
                                std::abs(last(run.result, "V0.pressure_in") / p_in_pa - 1.0));
  record_verification(kCase, error);
  EXPECT_LT(error, kCase.tolerance);
  EXPECT_NEAR(last(run.result, "V0.flow_in") / (5.0 * kM3PerMl), 1.0, kCase.tolerance);
}

TEST(SvZeroDImport, SteadyInitialStartsFromTheMeanFlowSteadyState) {
  const VerificationCase kCase{
      .id = "zerod.svzerod_import.steady_initial",
      .source =
          "closed form: with the time-averaged inflow Q_mean = 5 mL/s and the Windkessel "
          "capacitance off, P_c = Q_mean R_d + P_d; at t = 0 the port carries Q(0) = 2 mL/s, so "
          "the outlet pressure is Q(0) R_p + P_c (docs/physics.md, steady initial condition)",
      .quantity = "Windkessel and vessel pressures at t = 0 after the steady initialisation",
      .norm = "max relative error",
      .tolerance = 1e-9,
      .tolerance_reason = "the steady network is resistive, solved by Newton to ~1e-12"};
  json config{{"simulation_parameters",
               {{"number_of_cardiac_cycles", 1},
                {"number_of_time_pts_per_cardiac_cycle", 51},
                {"steady_initial", true}}},
              {"boundary_conditions",
               {flow_bc("IN", {0.0, 0.5, 1.0}, {2.0, 8.0, 2.0}),  // time average 5 mL/s
                {{"bc_name", "OUT"},
                 {"bc_type", "RCR"},
                 {"bc_values", {{"Rp", 100.0}, {"C", 1e-4}, {"Rd", 1000.0}, {"Pd", 0.0}}}}}},
              {"vessels",
               {vessel(0, "V0", {{"R_poiseuille", 100.0}}, {{"inlet", "IN"}, {"outlet", "OUT"}})}}};
  const auto run = run_imported(config, SvZeroDUnits::Cgs);
  ASSERT_EQ(run.result.status, SimulationStatus::Completed) << run.result.message;
  const double p_c = 5.0 * 1000.0 * kPaPerDynPerCm2;
  const double p_out = p_c + 2.0 * 100.0 * kPaPerDynPerCm2;
  const double p_in = p_out + 2.0 * 100.0 * kPaPerDynPerCm2;
  const auto first = [&](std::string_view channel) { return run.result.series(channel).front(); };
  const double error = std::max({std::abs(first("OUT.pressure_c") / p_c - 1.0),
                                 std::abs(first("V0.pressure_out") / p_out - 1.0),
                                 std::abs(first("V0.pressure_in") / p_in - 1.0)});
  record_verification(kCase, error);
  EXPECT_LT(error, kCase.tolerance);

  config["simulation_parameters"]["steady_initial"] = false;  // starts from zero pressure
  const auto cold = run_imported(config, SvZeroDUnits::Cgs);
  EXPECT_LT(std::abs(cold.result.series("OUT.pressure_c").front()), 1e-9 * p_c);
}

TEST(SvZeroDImport, BifurcationJunctionSplitsFlowByBranchResistance) {
  const VerificationCase kCase{
      .id = "zerod.svzerod_import.bifurcation_split",
      .source =
          "closed form: parallel branches of total resistance 200 and 600 dyn.s/cm5 share "
          "Q = 10 mL/s as 7.5 and 2.5 mL/s; junction pressure 7.5 x 200 dyn/cm2",
      .quantity = "branch flows and junction pressure at the end of the run",
      .norm = "max relative error",
      .tolerance = 1e-9,
      .tolerance_reason = "steady resistive network solved by Newton to ~1e-12 relative"};
  json config{{"simulation_parameters", steady_simulation(2)},
              {"boundary_conditions",
               {flow_bc("IN", {0.0, 1.0}, {10.0, 10.0}),
                {{"bc_name", "OUT1"},
                 {"bc_type", "RESISTANCE"},
                 {"bc_values", {{"R", 100.0}, {"Pd", 0.0}}}},
                {{"bc_name", "OUT2"},
                 {"bc_type", "RESISTANCE"},
                 {"bc_values", {{"R", 300.0}, {"Pd", 0.0}}}}}},
              {"vessels",
               {vessel(0, "trunk", {{"R_poiseuille", 100.0}}, {{"inlet", "IN"}}),
                vessel(1, "left", {{"R_poiseuille", 100.0}}, {{"outlet", "OUT1"}}),
                vessel(2, "right", {{"R_poiseuille", 300.0}}, {{"outlet", "OUT2"}})}},
              {"junctions",
               {{{"junction_name", "J0"},
                 {"junction_type", "NORMAL_JUNCTION"},
                 {"inlet_vessels", {0}},
                 {"outlet_vessels", {1, 2}}}}}};
  const auto by_id = run_imported(config, SvZeroDUnits::Cgs);
  ASSERT_EQ(by_id.result.status, SimulationStatus::Completed) << by_id.result.message;
  const double error = std::max(
      {std::abs(last(by_id.result, "left.flow_in") / (7.5 * kM3PerMl) - 1.0),
       std::abs(last(by_id.result, "right.flow_in") / (2.5 * kM3PerMl) - 1.0),
       std::abs(last(by_id.result, "left.pressure_in") / (1500.0 * kPaPerDynPerCm2) - 1.0)});
  record_verification(kCase, error);
  EXPECT_LT(error, kCase.tolerance);

  // The same junction given by block names yields the same connections.
  auto& junction = config["junctions"][0];
  junction.erase("inlet_vessels");
  junction.erase("outlet_vessels");
  junction["inlet_blocks"] = {"trunk"};
  junction["outlet_blocks"] = {"left", "right"};
  const auto by_name = import_svzerod(config, SvZeroDUnits::Cgs, "inline.json");
  EXPECT_EQ(by_name.at("connections"), by_id.spec.at("connections"));
}

TEST(SvZeroDImport, PulsatileRcrMatchesTheSameModelWrittenInPtwinFormat) {
  const VerificationCase kCase{
      .id = "zerod.svzerod_import.rcr_equivalence",
      .source =
          "the same network written directly in ptwin.zerod/1 with SI values converted by "
          "hand (1 dyn.s/cm5 = 1e5 Pa.s/m3, 1 cm5/dyn = 1e-5 m3/Pa)",
      .quantity = "every output channel over the last of 4 cycles",
      .norm = "max relative error, relative to each channel's largest magnitude",
      .tolerance = 1e-10,
      .tolerance_reason =
          "identical discrete equations; only the last digits of the converted "
          "parameters differ, amplified by Newton at 1e-12"};
  std::vector<double> times, flows;
  for (int i = 0; i <= 40; ++i) {
    times.push_back(i / 40.0);
    flows.push_back(2.2 + 2.5 * std::sin(2.0 * std::numbers::pi * i / 40.0));
  }
  flows.back() = flows.front();
  const json config{{"simulation_parameters",
                     {{"number_of_cardiac_cycles", 4},
                      {"number_of_time_pts_per_cardiac_cycle", 201},
                      {"steady_initial", false}}},
                    {"boundary_conditions",
                     {flow_bc("INFLOW", times, flows),
                      {{"bc_name", "OUT"},
                       {"bc_type", "RCR"},
                       {"bc_values", {{"Rp", 1000.0}, {"C", 1e-4}, {"Rd", 1000.0}, {"Pd", 0.0}}}}}},
                    {"vessels",
                     {vessel(0, "V0", {{"R_poiseuille", 100.0}, {"C", 1e-5}, {"L", 2.0}},
                             {{"inlet", "INFLOW"}, {"outlet", "OUT"}})}}};
  const auto imported = run_imported(config, SvZeroDUnits::Cgs);
  ASSERT_EQ(imported.result.status, SimulationStatus::Completed) << imported.result.message;

  const json direct_spec{
      {"format", "ptwin.zerod/1"},
      {"heart_period", "1 s"},
      {"blocks",
       {{{"name", "V0"},
         {"type", "blood_vessel"},
         {"parameters",
          {{"resistance", "1e7 Pa.s/m3"},
           {"capacitance", "1e-10 m3/Pa"},
           {"inductance", "2e5 Pa.s2/m3"}}}},
        {{"name", "INFLOW"},
         {"type", "prescribed_flow"},
         {"parameters",
          {{"flow",
            {{"kind", "table"},
             {"time_unit", "s"},
             {"unit", "mL/s"},
             {"times", times},
             {"values", flows}}}}}},
        {{"name", "OUT"},
         {"type", "rcr_windkessel"},
         {"parameters",
          {{"proximal_resistance", "1e8 Pa.s/m3"},
           {"capacitance", "1e-9 m3/Pa"},
           {"distal_resistance", "1e8 Pa.s/m3"}}}}}},
      {"connections",  // json::array: a braced list of string pairs would read as an object
       json::array({json::array({"INFLOW", "V0"}), json::array({"V0", "OUT"})})}};
  auto direct_model = build_model(direct_spec, "direct.json");
  auto settings = read_simulation_settings(imported.spec.at("simulation"), {}, "simulation");
  settings.integrator = testing::tight_newton_settings();
  const auto direct = simulate(*direct_model, settings);
  ASSERT_EQ(direct.channels.size(), imported.result.channels.size());
  double error = 0.0;
  for (std::size_t c = 0; c < direct.channels.size(); ++c) {
    const auto& expected = direct.values[c];
    const auto& actual = imported.result.series(direct.channels[c].name);
    ASSERT_EQ(actual.size(), expected.size()) << direct.channels[c].name;
    double scale = 1e-300;
    for (const double v : expected) scale = std::max(scale, std::abs(v));
    for (std::size_t k = 0; k < expected.size(); ++k) {
      error = std::max(error, std::abs(actual[k] - expected[k]) / scale);
    }
  }
  record_verification(kCase, error);
  EXPECT_LT(error, kCase.tolerance);
}

// A left ventricle with two valves and two CRL vessels in a closed loop, in mm[Hg]/mL units.
json closed_loop_config() {
  const json crl_values{{"R_poiseuille", 1.0}, {"C", 1.5}, {"L", 0.005}};
  return {
      {"simulation_parameters",
       {{"number_of_cardiac_cycles", 3},
        {"number_of_time_pts_per_cardiac_cycle", 401},
        {"cardiac_period", 0.8},
        {"steady_initial", false}}},
      {"boundary_conditions", json::array()},
      {"vessels",
       {{{"vessel_id", 0},
         {"vessel_name", "ART"},
         {"zero_d_element_type", "BloodVesselCRL"},
         {"zero_d_element_values", crl_values}},
        {{"vessel_id", 1},
         {"vessel_name", "VEN"},
         {"zero_d_element_type", "BloodVesselCRL"},
         {"zero_d_element_values", {{"R_poiseuille", 0.05}, {"C", 20.0}}}}}},
      {"junctions",
       {{{"junction_name", "J0"},
         {"junction_type", "NORMAL_JUNCTION"},
         {"inlet_blocks", {"ART"}},
         {"outlet_blocks", {"VEN"}}}}},
      {"valves",
       {{{"type", "PiecewiseValve"},
         {"name", "AV"},
         {"params",
          {{"Rmin", 0.01}, {"Rmax", 1e4}, {"upstream_block", "LV"}, {"downstream_block", "ART"}}}},
        {{"type", "ValveTanh"},
         {"name", "MV"},
         {"params",
          {{"Rmin", 0.01},
           {"Rmax", 1e4},
           {"Steepness", 10.0},
           {"upstream_block", "VEN"},
           {"downstream_block", "LV"}}}}}},
      {"chambers",
       {{{"type", "LinearElastanceChamber"},
         {"name", "LV"},
         {"values", {{"Emax", 2.5}, {"Epass", 0.08}, {"Vrest", 10.0}}},
         {"activation_function",
          {{"type", "piecewise_cosine"},
           {"contract_start", 0.05},
           {"contract_duration", 0.25},
           {"relax_start", 0.35},
           {"relax_duration", 0.2}}}}}},
      {"initial_condition", {{"Vc:LV", 120.0}, {"pressure_all", 10.0}}}};
}

TEST(SvZeroDImport, ClosedLoopWithChamberAndValvesRunsAndConservesVolume) {
  const VerificationCase kCase{
      .id = "zerod.svzerod_import.closed_loop_volume",
      .source =
          "mass conservation of a closed loop: V_LV + C_art P_art + C_ven P_ven is constant "
          "(generalized-alpha conserves linear invariants exactly)",
      .quantity = "total stored volume over 3 beats",
      .norm = "max relative drift",
      .tolerance = 1e-8,
      .tolerance_reason =
          "Newton stops at ~1e-12 relative per step; 1200 steps accumulate at "
          "most ~1e-9"};
  const auto run = run_imported(closed_loop_config(), SvZeroDUnits::MmHg);
  ASSERT_EQ(run.result.status, SimulationStatus::Completed) << run.result.message;
  for (const auto& block : run.spec.at("blocks")) {
    if (block.at("name") != "LV") continue;
    EXPECT_EQ(block.at("parameters").at("activation").at("relax_start"), "0.35 s");
  }
  const double c_art_m3_per_pa = 1.5 * kM3PerMl / units::kPaPerMmHg;
  const double c_ven_m3_per_pa = 20.0 * kM3PerMl / units::kPaPerMmHg;
  const auto& volume = run.result.series("LV.volume");
  const auto& p_art = run.result.series("ART.pressure_in");
  const auto& p_ven = run.result.series("VEN.pressure_in");
  const double initial_m3 =
      120.0 * kM3PerMl + (c_art_m3_per_pa + c_ven_m3_per_pa) * 10.0 * units::kPaPerMmHg;
  double drift = 0.0;
  for (std::size_t k = 0; k < volume.size(); ++k) {
    const double total_m3 = volume[k] + c_art_m3_per_pa * p_art[k] + c_ven_m3_per_pa * p_ven[k];
    drift = std::max(drift, std::abs(total_m3 / initial_m3 - 1.0));
  }
  record_verification(kCase, drift);
  EXPECT_LT(drift, kCase.tolerance);
  // The ventricle ejects: aortic flow is positive during systole.
  const auto& aortic_flow = run.result.series("AV.flow_in");
  EXPECT_GT(*std::max_element(aortic_flow.begin(), aortic_flow.end()), 1.0 * kM3PerMl);
}

// Runs `call`, expects an InputError, and returns its message.
template <typename Call>
std::string input_error_of(Call call) {
  try {
    call();
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected an InputError";
  return {};
}

TEST(SvZeroDImport, UnsupportedVesselTypeIsRejectedNamingItsPath) {
  auto config = closed_loop_config();
  config["vessels"][1]["zero_d_element_type"] = "ChamberSphere";
  const auto message =
      input_error_of([&] { (void)import_svzerod(config, SvZeroDUnits::MmHg, "heart.json"); });
  EXPECT_NE(message.find("heart.json: vessels[1].zero_d_element_type"), std::string::npos)
      << message;
  EXPECT_NE(message.find("'ChamberSphere'"), std::string::npos) << message;
  EXPECT_NE(message.find("not supported"), std::string::npos) << message;
}

TEST(SvZeroDImport, ClosedLoopHeartBlockIsRejectedNamingItsPath) {
  auto config = closed_loop_config();
  config["closed_loop_blocks"] = {{{"closed_loop_type", "ClosedLoopHeartAndPulmonary"}}};
  const auto message =
      input_error_of([&] { (void)import_svzerod(config, SvZeroDUnits::MmHg, "heart.json"); });
  EXPECT_NE(message.find("closed_loop_blocks[0]"), std::string::npos) << message;
  EXPECT_NE(message.find("ClosedLoopHeartAndPulmonary"), std::string::npos) << message;
}

TEST(SvZeroDImport, UnknownParameterIsRejectedNamingItsPath) {
  auto config = closed_loop_config();
  config["valves"][0]["params"]["Rmn"] = 0.01;
  const auto message =
      input_error_of([&] { (void)import_svzerod(config, SvZeroDUnits::MmHg, "heart.json"); });
  EXPECT_NE(message.find("valves[0].params.Rmn"), std::string::npos) << message;
}

TEST(SvZeroDImport, DisagreeingPeriodsAreRejectedNamingBoth) {
  json config{{"simulation_parameters",
               {{"number_of_cardiac_cycles", 1},
                {"number_of_time_pts_per_cardiac_cycle", 11},
                {"cardiac_period", 0.8}}},
              {"boundary_conditions",
               {flow_bc("IN", {0.0, 0.5, 1.0}, {1.0, 2.0, 1.0}),
                {{"bc_name", "OUT"},
                 {"bc_type", "RESISTANCE"},
                 {"bc_values", {{"R", 100.0}, {"Pd", 0.0}}}}}},
              {"vessels",
               {vessel(0, "V0", {{"R_poiseuille", 1.0}}, {{"inlet", "IN"}, {"outlet", "OUT"}})}}};
  const auto message =
      input_error_of([&] { (void)import_svzerod(config, SvZeroDUnits::Cgs, "tree.json"); });
  EXPECT_NE(message.find("boundary_conditions[0].bc_values.t"), std::string::npos) << message;
  EXPECT_NE(message.find("simulation_parameters.cardiac_period"), std::string::npos) << message;
}

TEST(SvZeroDImport, InitialConditionOfAnAbsentVariableIsRejectedNamingIt) {
  auto config = closed_loop_config();
  config["initial_condition"]["flow:ART:VEN"] = 1.0;  // ART feeds J0, not VEN
  const auto message =
      input_error_of([&] { (void)import_svzerod(config, SvZeroDUnits::MmHg, "heart.json"); });
  EXPECT_NE(message.find("initial_condition.flow:ART:VEN"), std::string::npos) << message;
}

TEST(SvZeroDImport, UnknownUnitSystemIsRejected) {
  const auto message = input_error_of([] { (void)parse_svzerod_units("mks"); });
  EXPECT_NE(message.find("'mks'"), std::string::npos) << message;
}

}  // namespace
}  // namespace ptwin::physics::zerod
