// SPDX-License-Identifier: Apache-2.0
// A model's adjustable parameters: multipliers written into the model JSON with units kept, and
// errors that name the parameter.

#include <cmath>
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/twin/adjustable_parameters.hpp"

namespace ptwin::twin {
namespace {

nlohmann::json small_model() {
  return nlohmann::json::parse(R"({
    "blocks": [{"name": "aorta", "type": "blood_vessel",
                "parameters": {"resistance": "0.8 mm[Hg].s/mL", "capacitance": 1.5}}],
    "initial_conditions": {"volume:lv": "120 mL"},
    "adjustable_parameters": {
      "resistance": {"scales": ["aorta.resistance"], "bounds": [0.5, 2.0]},
      "volume": {"scales": ["initial:volume:lv", "aorta.capacitance"]},
      "broken": {"scales": ["aorta.length"]},
      "no_scales": {"bounds": [0.5, 2.0]},
      "bad_bounds": {"scales": ["aorta.resistance"], "bounds": [2.0, 3.0]}
    }})");
}

TEST(AdjustableParameters, MultipliersScaleEveryNamedValueAndKeepUnits) {
  const auto model = small_model();
  const auto parameters = read_adjustable_parameters(model, {"resistance", "volume"}, "m.json");
  ASSERT_EQ(parameters.size(), 2U);
  EXPECT_EQ(parameters[0].lower, 0.5);
  EXPECT_EQ(parameters[1].upper, 5.0);  // default bounds [0.2, 5]
  const auto scaled = with_multipliers(model, parameters, {std::log(0.7), std::log(2.0)}, "m.json");
  EXPECT_EQ(scaled["blocks"][0]["parameters"]["resistance"], "0.56 mm[Hg].s/mL");
  EXPECT_DOUBLE_EQ(scaled["blocks"][0]["parameters"]["capacitance"].get<double>(), 3.0);
  EXPECT_EQ(scaled["initial_conditions"]["volume:lv"], "240 mL");
  EXPECT_EQ(model["initial_conditions"]["volume:lv"], "120 mL") << "the input is not modified";
}

std::string where_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const InputError& error) {
    return error.where() + " = " + error.value();
  }
  return "accepted";
}

TEST(AdjustableParameters, ErrorsNameTheParameter) {
  const auto model = small_model();
  EXPECT_EQ(where_of([&] { (void)read_adjustable_parameters(model, {"unknown"}, "m.json"); }),
            "personalisation.parameters = unknown");
  EXPECT_EQ(where_of([&] {
              (void)read_adjustable_parameters(model, {"resistance", "resistance"}, "m.json");
            }),
            "personalisation.parameters = resistance");
  EXPECT_EQ(where_of([&] { (void)read_adjustable_parameters(model, {"no_scales"}, "m.json"); }),
            "m.json: adjustable_parameters.no_scales.scales = ");
  EXPECT_EQ(where_of([&] { (void)read_adjustable_parameters(model, {"bad_bounds"}, "m.json"); }),
            "m.json: adjustable_parameters.bad_bounds.bounds = [2.0,3.0]");
  const auto broken = read_adjustable_parameters(model, {"broken"}, "m.json");
  EXPECT_EQ(where_of([&] { (void)with_multipliers(model, broken, {0.1}, "m.json"); }),
            "m.json: adjustable_parameters ... scales 'aorta.length' = length");
}

}  // namespace
}  // namespace ptwin::twin
