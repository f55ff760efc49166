// SPDX-License-Identifier: Apache-2.0
// Unit expressions read from data (UCUM codes and the common spellings found in the wild) and
// conversions to SI. Expected factors are exact products of the defining constants, compared to
// 4 ulp (EXPECT_DOUBLE_EQ): a wrong atom or exponent is off by orders of magnitude.
#include "ptwin/core/units.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "ptwin/core/error.hpp"

namespace ptwin::units {
namespace {

template <typename F>
std::optional<InputError> input_error_from(F&& call) {
  try {
    call();
  } catch (const InputError& error) {
    return error;
  }
  return std::nullopt;
}

::testing::AssertionResult contains(const std::string& text, const std::string& needle) {
  if (text.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << needle << "'";
}

void expect_unit(const char* expression, Dimension dimension, double to_si) {
  SCOPED_TRACE(expression);
  const auto parsed = parse_unit(expression);
  EXPECT_EQ(parsed.dimension, dimension) << to_string(parsed.dimension);
  EXPECT_DOUBLE_EQ(parsed.to_si, to_si);
}

TEST(ParseUnit, ReadsPressureUnitsInUcumAndCommonSpelling) {
  expect_unit("mm[Hg]", kPressureDim, 133.322387415);
  expect_unit("mmHg", kPressureDim, 133.322387415);
  expect_unit("cm[H2O]", kPressureDim, 98.0665);
  expect_unit("kPa", kPressureDim, 1000.0);
}

TEST(ParseUnit, ReadsFlowUnits) {
  expect_unit("mL/s", kVolumeFlowDim, 1e-6);
  expect_unit("L/min", kVolumeFlowDim, 1e-3 / 60.0);
}

TEST(ParseUnit, ReadsRatesWrittenAsPerMinuteWithOrWithoutAnnotation) {
  expect_unit("/min", kFrequencyDim, 1.0 / 60.0);
  expect_unit("{beats}/min", kFrequencyDim, 1.0 / 60.0);
  expect_unit("bpm", kFrequencyDim, 1.0 / 60.0);
}

TEST(ParseUnit, ReadsCgsResistanceInEveryExponentNotation) {
  // 1 dyn.s/cm5 = 1e-5 N.s / 1e-10 m5 = 1e5 Pa.s/m3.
  expect_unit("dyn.s/cm5", kFlowResistanceDim, 1e5);
  expect_unit("dyn.s.cm-5", kFlowResistanceDim, 1e5);
  expect_unit("dyn.s/cm^5", kFlowResistanceDim, 1e5);
}

TEST(ParseUnit, ReadsComplianceAndPercent) {
  expect_unit("mL/mm[Hg]", kComplianceDim, 1e-6 / 133.322387415);
  expect_unit("%", kDimensionless, 0.01);
}

TEST(ParseUnit, RejectsUnknownAtomNamingExpressionAndAtom) {
  const auto error = input_error_from([] { (void)parse_unit("mm[Hgg]"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::UnknownUnit);
  EXPECT_EQ(error->value(), "mm[Hgg]");
  EXPECT_TRUE(contains(error->what(), "unknown atom 'mm[Hgg]'"));
}

TEST(ParseUnit, RejectsCaretWithoutExponent) {
  const auto error = input_error_from([] { (void)parse_unit("cm^"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::UnknownUnit);
  EXPECT_TRUE(contains(error->what(), "bad exponent in 'cm^'"));
}

TEST(ParseUnit, RejectsExponentsThatWouldOverflowTheDimension) {
  const auto error = input_error_from([] { (void)parse_unit("Pa2147483647"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::UnknownUnit);
  EXPECT_TRUE(contains(error->what(), "beyond"));
}

TEST(ParseUnit, RejectsFactorsOutsideDoubleRange) {
  // (1e-12)^9 four times is 1e-432, below the smallest double.
  const auto error = input_error_from([] { (void)parse_unit("pm9.pm9.pm9.pm9"); });
  ASSERT_TRUE(error);
  EXPECT_TRUE(contains(error->what(), "outside double range"));
}

TEST(ParseUnit, RejectsEmptyAndDanglingSeparators) {
  for (const char* expression : {"", "/", "mL/", "mL..s", "{beats"}) {
    SCOPED_TRACE(expression);
    const auto error = input_error_from([expression] { (void)parse_unit(expression); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code(), ErrorCode::UnknownUnit);
  }
}

TEST(ToSi, ConvertsMillimetresOfMercuryToPascal) {
  EXPECT_DOUBLE_EQ(to_si(120.0, "mm[Hg]", kPressureDim, "systolic"), 15998.6864898);
}

TEST(ToSi, UnknownUnitErrorNamesFieldAndUnit) {
  const auto error = input_error_from(
      [] { (void)to_si(120.0, "mmHgg", kPressureDim, "Observation/bp-1.valueQuantity"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::UnknownUnit);
  EXPECT_EQ(error->where(), "Observation/bp-1.valueQuantity");
  EXPECT_TRUE(contains(error->what(), "Observation/bp-1.valueQuantity: 'mmHgg'"));
}

TEST(ToSi, DimensionMismatchErrorNamesFieldUnitAndBothDimensions) {
  const auto error = input_error_from(
      [] { (void)to_si(5.0, "mL/s", kPressureDim, "Observation/bp-1.valueQuantity"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::UnitMismatch);
  EXPECT_TRUE(contains(error->what(), "Observation/bp-1.valueQuantity: 'mL/s'"));
  EXPECT_TRUE(contains(error->what(), "has dimension L^3 T^-1 but the field needs M L^-1 T^-2"));
}

TEST(ToSi, RejectsNonFiniteValueNamingTheField) {
  const auto error = input_error_from([] {
    (void)to_si(std::numeric_limits<double>::quiet_NaN(), "mm[Hg]", kPressureDim, "diastolic");
  });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::BadInput);
  EXPECT_TRUE(contains(error->what(), "diastolic: 'nan' is not a finite number"));
}

TEST(ToSi, RejectsValuesThatOverflowInSi) {
  const auto error =
      input_error_from([] { (void)to_si(1e308, "dyn.s/cm5", kFlowResistanceDim, "R"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::BadInput);
  EXPECT_TRUE(contains(error->what(), "too large"));
}

TEST(Convert, ConvertsMillimetresOfMercuryToKilopascal) {
  EXPECT_DOUBLE_EQ(convert(120.0, "mm[Hg]", "kPa"), 15.9986864898);
}

TEST(Convert, ConvertsWoodUnitsBetweenCgsAndMmHgPerMlPerSecond) {
  // 1 mm[Hg].s/mL = 133.322387415e6 Pa.s/m3 = 1333.22387415 dyn.s/cm5.
  EXPECT_DOUBLE_EQ(convert(1.0, "mm[Hg].s/mL", "dyn.s/cm5"), 1333.22387415);
}

TEST(QuantityFrom, RoundTripsThroughSiToTheDisplayUnit) {
  const auto pressure = quantity_from<Pressure>(120.0, "mm[Hg]", "systolic");
  EXPECT_DOUBLE_EQ(pressure.si(), 15998.6864898);
  EXPECT_DOUBLE_EQ(pressure.in(mmHg), 120.0);
  const auto flow = quantity_from<VolumeFlow>(5.0, "L/min", "cardiac output");
  EXPECT_DOUBLE_EQ(flow.in(mL_per_s), 5000.0 / 60.0);
}

TEST(DimensionToString, SpellsOutExponents) {
  EXPECT_EQ(to_string(kFlowResistanceDim), "M L^-4 T^-1");
  EXPECT_EQ(to_string(kDimensionless), "dimensionless");
}

}  // namespace
}  // namespace ptwin::units
