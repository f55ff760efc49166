// SPDX-License-Identifier: Apache-2.0
// NEWS2 inputs: SI in, charted values out, errors that name the field and the value.
#include "ptwin/clinical/news2/news2_score.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "ptwin/core/error.hpp"

namespace {

using namespace ptwin::clinical::news2;
namespace units = ptwin::units;

Observations normal() {
  Observations o;
  o.respiration_rate = units::Frequency::from_si(16.0 / 60.0);
  o.spo2 = 0.97 * units::one;
  o.inspired_gas = InspiredGas::Air;
  o.systolic_pressure = 120.0 * units::mmHg;
  o.pulse_rate = 1.2 * units::hz;  // 72 /min
  o.consciousness = Consciousness::Alert;
  o.temperature_celsius = 37.0;
  return o;
}

void expect_error(const Observations& o, ptwin::ErrorCode code, const std::string& where,
                  const std::string& value) {
  try {
    (void)score(o);
    FAIL() << "accepted; expected an error about " << where;
  } catch (const ptwin::InputError& error) {
    EXPECT_EQ(error.code(), code);
    EXPECT_EQ(error.where(), where);
    EXPECT_EQ(error.value(), value);
  }
}

TEST(News2Inputs, SiValuesAreChartedInChartUnits) {
  const auto s = score(normal());
  EXPECT_EQ(s.charted.respiration_rate_per_min, 16);
  EXPECT_EQ(s.charted.spo2_percent, 97);
  EXPECT_EQ(s.charted.systolic_pressure_mmhg, 120);
  EXPECT_EQ(s.charted.pulse_per_min, 72);
  EXPECT_DOUBLE_EQ(s.charted.temperature_celsius, 37.0);
  EXPECT_EQ(s.aggregate, 0);
}

TEST(News2Inputs, ValuesAreRoundedToTheChartResolutionBeforeScoring) {
  auto o = normal();
  o.pulse_rate = 90.4 * units::bpm;  // charted 90: scores 0
  EXPECT_EQ(score(o).sub_scores.pulse_rate, 0);
  o.pulse_rate = 90.6 * units::bpm;  // charted 91: scores 1
  EXPECT_EQ(score(o).charted.pulse_per_min, 91);
  EXPECT_EQ(score(o).sub_scores.pulse_rate, 1);
  o = normal();
  o.temperature_celsius = 38.04;  // charted 38.0: 0
  EXPECT_EQ(score(o).sub_scores.temperature, 0);
  o.temperature_celsius = 38.06;  // charted 38.1: 1
  EXPECT_EQ(score(o).sub_scores.temperature, 1);
}

TEST(News2Inputs, MissingParametersAreNamed) {
  auto o = normal();
  o.respiration_rate.reset();
  expect_error(o, ptwin::ErrorCode::MissingField, "NEWS2 observations: respiration_rate", "(absent)");
  o = normal();
  o.spo2.reset();
  expect_error(o, ptwin::ErrorCode::MissingField, "NEWS2 observations: spo2", "(absent)");
  o = normal();
  o.inspired_gas.reset();
  expect_error(o, ptwin::ErrorCode::MissingField, "NEWS2 observations: inspired_gas", "(absent)");
  o = normal();
  o.systolic_pressure.reset();
  expect_error(o, ptwin::ErrorCode::MissingField, "NEWS2 observations: systolic_pressure",
               "(absent)");
  o = normal();
  o.pulse_rate.reset();
  expect_error(o, ptwin::ErrorCode::MissingField, "NEWS2 observations: pulse_rate", "(absent)");
  o = normal();
  o.consciousness.reset();
  expect_error(o, ptwin::ErrorCode::MissingField, "NEWS2 observations: consciousness", "(absent)");
  o = normal();
  o.temperature_celsius.reset();
  expect_error(o, ptwin::ErrorCode::MissingField, "NEWS2 observations: temperature_celsius",
               "(absent)");
}

TEST(News2Inputs, OutOfRangeAndNonFiniteValuesAreNamedWithTheirValue) {
  auto o = normal();
  o.spo2 = 97.0 * units::one;  // 97 given where 0.97 was meant
  expect_error(o, ptwin::ErrorCode::BadInput, "NEWS2 observations: spo2", "9700 %");
  o = normal();
  o.temperature_celsius = 310.15;  // kelvin given where degC was meant
  expect_error(o, ptwin::ErrorCode::BadInput, "NEWS2 observations: temperature_celsius",
               "310.15 Cel");
  o = normal();
  o.systolic_pressure = units::Pressure::from_si(std::nan(""));
  expect_error(o, ptwin::ErrorCode::BadInput, "NEWS2 observations: systolic_pressure",
               "nan mm[Hg]");
  o = normal();
  o.respiration_rate = -1.0 * units::bpm;
  expect_error(o, ptwin::ErrorCode::BadInput, "NEWS2 observations: respiration_rate", "-1 /min");
  o = normal();
  o.pulse_rate = 301.0 * units::bpm;
  expect_error(o, ptwin::ErrorCode::BadInput, "NEWS2 observations: pulse_rate", "301 /min");
}

}  // namespace
