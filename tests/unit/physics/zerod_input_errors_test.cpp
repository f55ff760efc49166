// SPDX-License-Identifier: Apache-2.0
// What a user sees when a 0D model is wrong or cannot be solved: the exception type or the
// result status, and a message that names where (block index, name, field) and what (value).

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/zerod/model_builder.hpp"
#include "ptwin/physics/zerod/simulation.hpp"

namespace ptwin::physics::zerod {
namespace {

/// Succeeds when `text` contains every one of `parts`; otherwise names the missing ones.
::testing::AssertionResult contains_all(std::string_view text,
                                        std::initializer_list<std::string_view> parts) {
  std::string missing;
  for (const auto part : parts) {
    if (text.find(part) == std::string_view::npos) missing += fmt::format(" '{}'", part);
  }
  if (missing.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "message \"" << text << "\" lacks" << missing;
}

nlohmann::json model_with(std::vector<nlohmann::json> blocks,
                          const std::vector<std::pair<std::string, std::string>>& connections) {
  auto connection_list = nlohmann::json::array();
  for (const auto& [from, to] : connections)
    connection_list.push_back({{"from", from}, {"to", to}});
  return {{"format", "ptwin.zerod/1"},
          {"name", "errors"},
          {"blocks", std::move(blocks)},
          {"connections", std::move(connection_list)}};
}

nlohmann::json inflow() {
  return {{"name", "inflow"}, {"type", "prescribed_flow"}, {"parameters", {{"flow", "5 mL/s"}}}};
}

nlohmann::json outlet() {
  return {{"name", "outlet"},
          {"type", "resistance_boundary"},
          {"parameters", {{"resistance", "1 mm[Hg].s/mL"}}}};
}

/// Runs build_model and returns the InputError it throws; fails the test if it throws none.
InputError build_error(const nlohmann::json& spec) {
  try {
    (void)build_model(spec, "model.json");
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << "build_model accepted an invalid model";
  return InputError(ErrorCode::BadInput, "", "", "");
}

TEST(ZerodModelBuilder, UnknownBlockTypeNamesBlockIndexNameAndType) {
  const auto error = build_error(model_with(
      {inflow(),
       {{"name", "aorta"}, {"type", "blood_vesel"}, {"parameters", {{"resistance", "1 Pa.s/m3"}}}},
       outlet()},
      {{"inflow", "aorta"}, {"aorta", "outlet"}}));
  EXPECT_EQ(error.code(), ErrorCode::UnknownBlockType);
  EXPECT_TRUE(contains_all(error.what(), {"model.json", "blocks[1]", "aorta", "'blood_vesel'",
                                          "did you mean 'blood_vessel'"}));
}

TEST(ZerodModelBuilder, MissingParameterNamesTheField) {
  const auto error = build_error(model_with({inflow(),
                                             {{"name", "aorta"},
                                              {"type", "blood_vessel"},
                                              {"parameters", {{"capacitance", "1 mL/mm[Hg]"}}}},
                                             outlet()},
                                            {{"inflow", "aorta"}, {"aorta", "outlet"}}));
  EXPECT_EQ(error.code(), ErrorCode::MissingField);
  EXPECT_TRUE(contains_all(error.where(), {"blocks[1] (aorta).parameters.resistance"}));
  EXPECT_TRUE(contains_all(error.what(), {"is required"}));
}

TEST(ZerodModelBuilder, NegativeCapacitanceNamesTheFieldAndValue) {
  const auto error = build_error(model_with(
      {inflow(),
       {{"name", "aorta"},
        {"type", "blood_vessel"},
        {"parameters", {{"resistance", "0.1 mm[Hg].s/mL"}, {"capacitance", "-1.5 mL/mm[Hg]"}}}},
       outlet()},
      {{"inflow", "aorta"}, {"aorta", "outlet"}}));
  EXPECT_EQ(error.code(), ErrorCode::BadInput);
  EXPECT_TRUE(contains_all(error.where(), {"blocks[1] (aorta).parameters.capacitance"}));
  EXPECT_TRUE(contains_all(error.what(), {"-1.5 mL/mm[Hg]", "must not be negative"}));
}

TEST(ZerodModelBuilder, ConnectionToUnknownBlockNamesConnectionAndBlock) {
  const auto error = build_error(model_with(
      {inflow(),
       {{"name", "aorta"}, {"type", "resistance"}, {"parameters", {{"resistance", "1 Pa.s/m3"}}}},
       outlet()},
      {{"inflow", "aorta"}, {"aorta", "outlett"}}));
  EXPECT_EQ(error.code(), ErrorCode::ModelTopology);
  EXPECT_TRUE(
      contains_all(error.what(), {"connections[1]", "'outlett'", "is not the name of a block"}));
}

// Zero flow until t = 0.5 s (every step is solved by the predictor), then 100 mL/s through a
// stenosis. With one Newton iteration and no step halving, the first step after the jump must
// fail: simulate() reports Diverged instead of throwing and keeps the half cycle it computed.
TEST(ZerodSimulation, NewtonFailureReturnsDivergedWithContextAndPartialOutput) {
  const nlohmann::json flow{{"kind", "table"},
                            {"unit", "mL/s"},
                            {"time_unit", "s"},
                            {"periodic", false},
                            {"times", {0.0, 0.5, 0.5001, 1.0}},
                            {"values", {0.0, 0.0, 100.0, 100.0}}};
  auto model = build_model(
      model_with(
          {{{"name", "inflow"}, {"type", "prescribed_flow"}, {"parameters", {{"flow", flow}}}},
           {{"name", "stenosis"},
            {"type", "blood_vessel"},
            {"parameters",
             {{"resistance", "0.05 mm[Hg].s/mL"}, {"stenosis_coefficient", "0.01 mm[Hg].s2/mL2"}}}},
           outlet()},
          {{"inflow", "stenosis"}, {"stenosis", "outlet"}}),
      "model.json");
  SimulationSettings settings;
  settings.period_s = 1.0;
  settings.steps_per_cycle = 100;
  settings.max_cycles = 1;
  settings.integrator.max_newton_iterations = 1;
  settings.integrator.max_step_halvings = 0;

  const auto result = simulate(*model, settings);

  EXPECT_EQ(result.status, SimulationStatus::Diverged);
  EXPECT_TRUE(contains_all(result.message, {"t = 0.51 s", "block '", "largest scaled residual",
                                            "no convergence in 1 Newton iterations"}));
  ASSERT_FALSE(result.times_s.empty());
  EXPECT_DOUBLE_EQ(result.times_s.back(), 0.5);
  EXPECT_EQ(result.times_s.size(), 51U);
  for (const auto& channel : result.values) EXPECT_EQ(channel.size(), result.times_s.size());
}

TEST(ZerodModelBuilder, ConnectionErrorsNameTheFile) {
  const auto error = build_error(model_with({inflow(), outlet()}, {{"inflow", "nowhere"}}));
  EXPECT_TRUE(contains_all(error.where(), {"model.json", "connections[0]"}));
}

TEST(ZerodModelBuilder, APeriodicSignalThatDoesNotDivideTheHeartPeriodIsRefused) {
  const nlohmann::json flow{{"kind", "table"},   {"unit", "mL/s"},          {"time_unit", "s"},
                            {"periodic", true},  {"times", {0.0, 0.5, 1.0}}, {"values", {1, 5, 1}}};
  auto spec = model_with(
      {{{"name", "inflow"}, {"type", "prescribed_flow"}, {"parameters", {{"flow", flow}}}}, outlet()},
      {{"inflow", "outlet"}});
  spec["heart_period"] = "0.8 s";
  const auto error = build_error(spec);
  EXPECT_TRUE(contains_all(error.what(), {"inflow", "period 1 s", "heart_period of 0.8 s"}));
  spec["heart_period"] = "2 s";  // two signal periods per beat is fine
  EXPECT_NO_THROW((void)build_model(spec, "model.json"));
}

TEST(ZerodModelBuilder, InitiallyOpenIsABoolean) {
  auto valve = [](nlohmann::json initially_open) {
    return model_with({inflow(),
                       {{"name", "valve"},
                        {"type", "valve_event"},
                        {"parameters",
                         {{"min_resistance", "0.01 mm[Hg].s/mL"}, {"initially_open", initially_open}}}},
                       outlet()},
                      {{"inflow", "valve"}, {"valve", "outlet"}});
  };
  EXPECT_NO_THROW((void)build_model(valve(true), "model.json"));
  const auto error = build_error(valve("yes"));
  EXPECT_TRUE(contains_all(error.what(), {"initially_open", "\"yes\"", "true or false"}));
}

TEST(ZerodSimulationSettings, BadValuesNameTheirKey) {
  const auto error_of = [](const nlohmann::json& json) -> std::string {
    try {
      (void)read_simulation_settings(json, {}, "model.json: simulation");
    } catch (const InputError& error) {
      return error.what();
    }
    return "accepted";
  };
  EXPECT_TRUE(contains_all(error_of({{"steady_state_tolerance", -1}}),
                           {"simulation.steady_state_tolerance", "-1"}));
  EXPECT_TRUE(contains_all(error_of({{"spectral_radius", 1.5}}), {"simulation.spectral_radius"}));
  EXPECT_TRUE(contains_all(error_of({{"output_blocks", "aorta"}}),
                           {"simulation.output_blocks", "list of block names"}));
  EXPECT_TRUE(contains_all(error_of({{"linear_solver", 3}}), {"simulation.linear_solver"}));
  EXPECT_TRUE(contains_all(error_of({{"linear_solver", "umfpack"}}),
                           {"simulation.linear_solver", "umfpack"}));
}

TEST(ZerodSimulation, AJunctionReportsEveryBranch) {
  auto spec = model_with({inflow(),
                          {{"name", "split"}, {"type", "junction"}},
                          {{"name", "left"}, {"type", "resistance_boundary"},
                           {"parameters", {{"resistance", "1 mm[Hg].s/mL"}}}},
                          {{"name", "right"}, {"type", "resistance_boundary"},
                           {"parameters", {{"resistance", "3 mm[Hg].s/mL"}}}}},
                         {{"inflow", "split"}, {"split", "left"}, {"split", "right"}});
  spec["heart_period"] = "1 s";
  auto model = build_model(spec, "model.json");
  SimulationSettings settings;
  settings.steps_per_cycle = 10;
  settings.max_cycles = 2;
  const auto result = simulate(*model, settings);
  ASSERT_EQ(result.status, SimulationStatus::Completed) << result.message;
  const double left = result.series("split.flow_out:left").back();
  const double right = result.series("split.flow_out:right").back();
  EXPECT_NEAR(left / right, 3.0, 1e-9);
  EXPECT_NEAR((left + right) / result.series("split.flow_in").back(), 1.0, 1e-9);
}

}  // namespace
}  // namespace ptwin::physics::zerod
