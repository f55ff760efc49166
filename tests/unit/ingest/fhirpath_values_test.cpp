// SPDX-License-Identifier: Apache-2.0
// The FHIRPath value types: Decimal (exact, with scale), Date/DateTime/Time with partial
// precision, and Quantity with UCUM conversion. Expected values follow FHIRPath N1 §"Literals",
// §"Comparison", §"Equality" and §"Date/Time Arithmetic".
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "ptwin/ingest/fhir/fhirpath/decimal.hpp"
#include "ptwin/ingest/fhir/fhirpath/quantity.hpp"
#include "ptwin/ingest/fhir/fhirpath/temporal.hpp"
#include "ptwin/ingest/fhir/fhirpath/ucum.hpp"

namespace ptwin::ingest::fhir::fhirpath {
namespace {

Decimal dec(const char* text) { return *Decimal::parse(text); }
Temporal date_time(const char* text) { return *Temporal::parse_date_time(text); }
Temporal date(const char* text) { return *Temporal::parse_date(text); }
Temporal time_of(const char* text) { return *Temporal::parse_time(text); }
Quantity quantity(const char* value, const char* unit) { return Quantity{dec(value), unit}; }

TEST(FhirPathDecimal, KeepsScaleInTextForm) {
  EXPECT_EQ(dec("1.0").to_string(), "1.0");
  EXPECT_EQ(dec("-0.50").to_string(), "-0.50");
  EXPECT_EQ(dec("1.58700").scale(), 5);
  EXPECT_EQ(Decimal::from_integer(-12).to_string(), "-12");
}

TEST(FhirPathDecimal, AdditionIsExact) {
  EXPECT_EQ(dec("0.1").add(dec("0.2"))->compare(dec("0.3")), 0);
  EXPECT_EQ(dec("1.8").subtract(dec("1.2"))->to_string(), "0.6");
  EXPECT_EQ(dec("1.2").multiply(dec("1.8"))->to_string(), "2.16");
}

TEST(FhirPathDecimal, ComparisonIgnoresTrailingZeros) {
  EXPECT_EQ(dec("1.10").compare(dec("1.1")), 0);
  EXPECT_EQ(dec("-2").compare(dec("1.5")), -1);
}

TEST(FhirPathDecimal, DivisionRoundsAndDivisionByZeroIsEmpty) {
  EXPECT_EQ(dec("1").divide(dec("2"))->to_string(), "0.5");
  EXPECT_EQ(dec("1.2").divide(dec("1.8"))->rounded(2).to_string(), "0.67");
  EXPECT_EQ(dec("2").divide(dec("3"))->to_string(), "0.6666666666666666666666666667");
  EXPECT_FALSE(dec("1").divide(dec("0")).has_value());
}

TEST(FhirPathDecimal, RoundingModes) {
  EXPECT_EQ(dec("2.5").rounded(0).to_string(), "3");
  EXPECT_EQ(dec("-2.5").rounded(0).to_string(), "-3");
  EXPECT_EQ(dec("-1.56").truncated(0).to_string(), "-1");
  EXPECT_EQ(dec("-2.1").floored(0).to_string(), "-3");
  EXPECT_EQ(dec("-1.1").ceiled(0).to_string(), "-1");
  EXPECT_EQ(dec("1.5").with_scale(4)->to_string(), "1.5000");
}

TEST(FhirPathDecimal, ParseRejectsWhatIsNotADecimal) {
  for (const char* text : {"", "1.", ".5", "1e3", "1.2.3", "one", "- 1", "0x10"}) {
    EXPECT_FALSE(Decimal::parse(text).has_value()) << text;
  }
  EXPECT_FALSE(Decimal::parse(std::string(40, '9')).has_value());  // does not fit 38 digits
}

TEST(FhirPathDecimal, FromDoubleIsTheShortestReadBack) {
  EXPECT_EQ(Decimal::from_double(0.1)->to_string(), "0.1");
  EXPECT_EQ(Decimal::from_double(185.0)->to_string(), "185");
  EXPECT_FALSE(Decimal::from_double(std::nan("")).has_value());
}

TEST(FhirPathTemporal, ParsesPartialPrecision) {
  EXPECT_EQ(date("2014").precision, TemporalPrecision::Year);
  EXPECT_EQ(date_time("2014-05-06T10").precision, TemporalPrecision::Hour);
  EXPECT_EQ(date_time("2014T").precision, TemporalPrecision::Year);
  EXPECT_EQ(date_time("2014-05-06T10:30:00.123+02:00").offset_minutes, 120);
  EXPECT_EQ(time_of("10:30").precision_digits(), 4);
  EXPECT_EQ(date_time("2014-01-05T10:30:00.000").precision_digits(), 17);
}

TEST(FhirPathTemporal, RejectsImpossibleValues) {
  for (const char* text : {"2014-02-30", "2014-13", "2014-05-06T24:00", "2014-05-06T10:60", "14",
                           "2014-5", "2014-05-06T10:30+15:00", "2014-05-06T10:30Z+01:00"}) {
    EXPECT_FALSE(Temporal::parse_date_time(text).has_value()) << text;
  }
  EXPECT_TRUE(Temporal::parse_date("2016-02-29").has_value());
  EXPECT_FALSE(Temporal::parse_date("2015-02-29").has_value());
  EXPECT_FALSE(Temporal::parse_time("10:30Z").has_value());
}

TEST(FhirPathTemporal, FormatsBackAsWritten) {
  EXPECT_EQ(date_time("2014-05-06T10:30:00.5+02:00").to_string(), "2014-05-06T10:30:00.500+02:00");
  EXPECT_EQ(date_time("2014-05-06T10:30:00Z").to_string(), "2014-05-06T10:30:00Z");
  EXPECT_EQ(date_time("2014-05").to_string(), "2014-05");
  EXPECT_EQ(time_of("07:05").to_string(), "07:05");
}

TEST(FhirPathTemporal, DifferentPrecisionComparesAsUnknownUnlessDecidedEarlier) {
  EXPECT_FALSE(compare(date("2018-03"), date("2018-03-01")).has_value());
  EXPECT_EQ(compare(date("2018-02"), date("2018-03-01")), -1);  // decided by the month
  EXPECT_FALSE(equal(date("2012-04-15"), date_time("2012-04-15T10:00:00")).has_value());
  EXPECT_FALSE(equivalent(date("2012-04-15"), date_time("2012-04-15T10:00:00")));
}

TEST(FhirPathTemporal, SecondsAndMillisecondsAreOnePrecision) {
  EXPECT_EQ(equal(date_time("2012-04-15T15:30:31"), date_time("2012-04-15T15:30:31.0")), true);
  EXPECT_EQ(equal(date_time("2012-04-15T15:30:31"), date_time("2012-04-15T15:30:31.1")), false);
  EXPECT_EQ(compare(time_of("10:30:00"), time_of("10:30:00.0")), 0);
  EXPECT_FALSE(compare(time_of("10:30"), time_of("10:30:00")).has_value());
}

TEST(FhirPathTemporal, OffsetsAreNormalisedBeforeComparing) {
  EXPECT_EQ(equal(date_time("2012-04-15T15:00:00+02:00"), date_time("2012-04-15T16:00:00+03:00")),
            true);
  EXPECT_EQ(
      compare(date_time("2017-11-05T01:30:00.0-04:00"), date_time("2017-11-05T01:15:00.0-05:00")),
      -1);
}

TEST(FhirPathTemporal, MissingOffsetAnswersOnlyWhenEveryOffsetAgrees) {
  // 15:00Z and 10:00 local are equal at -05:00 and not at +01:00: no answer.
  EXPECT_FALSE(
      equal(date_time("2012-04-15T15:00:00Z"), date_time("2012-04-15T10:00:00")).has_value());
  // Two days apart: unequal at any offset.
  EXPECT_EQ(equal(date_time("2012-04-15T15:00:00Z"), date_time("2012-04-17T15:00:00")), false);
}

TEST(FhirPathTemporal, CalendarArithmeticClampsAndTruncates) {
  EXPECT_EQ(add(date("2014-01-31"), dec("1"), CalendarUnit::Month)->to_string(), "2014-02-28");
  EXPECT_EQ(add(date("2016-02-29"), dec("1"), CalendarUnit::Year)->to_string(), "2017-02-28");
  EXPECT_EQ(add(date("1973-12-25"), dec("7.7"), CalendarUnit::Day)->to_string(), "1974-01-01");
  EXPECT_EQ(add(date_time("1973-12-25T00:00:00.000+10:00"), dec("0.1"), CalendarUnit::Second)
                ->to_string(),
            "1973-12-25T00:00:00.100+10:00");
  EXPECT_EQ(add(date("2014"), dec("24"), CalendarUnit::Month)->to_string(), "2016");
  EXPECT_EQ(add(time_of("23:00:00"), dec("50"), CalendarUnit::Hour)->to_string(), "01:00:00");
  EXPECT_FALSE(add(time_of("23:00:00"), dec("1"), CalendarUnit::Day).has_value());
  EXPECT_FALSE(add(date("9999-12-31"), dec("1"), CalendarUnit::Day).has_value());
}

TEST(FhirPathTemporal, BoundariesFillTheMissingDigits) {
  EXPECT_EQ(low_boundary(date("2014"), 6)->to_string(), "2014-01");
  EXPECT_EQ(high_boundary(date("2014"), 6)->to_string(), "2014-12");
  EXPECT_EQ(high_boundary(date("2016-02"), 8)->to_string(), "2016-02-29");
  EXPECT_EQ(low_boundary(date_time("2014-01-01T08"), 17)->to_string(),
            "2014-01-01T08:00:00.000+14:00");
  EXPECT_EQ(high_boundary(date_time("2014-01-01T08:05-05:00"), 17)->to_string(),
            "2014-01-01T08:05:59.999-05:00");
  EXPECT_EQ(high_boundary(time_of("10:30"), 9)->to_string(), "10:30:59.999");
  EXPECT_FALSE(low_boundary(date("2014"), 5).has_value());
}

TEST(FhirPathUcum, ReducesPrefixedAndCustomaryUnits) {
  const auto mg = ucum::canonical("mg");
  const auto pound = ucum::canonical("[lb_av]");
  ASSERT_TRUE(mg && pound);
  EXPECT_EQ(mg->exponents, pound->exponents);
  EXPECT_EQ(pound->factor.to_string(), "453.59237");
  EXPECT_EQ(ucum::canonical("mm[Hg]")->exponents, ucum::canonical("kPa")->exponents);
  EXPECT_EQ(ucum::canonical("mL/min")->exponents, ucum::canonical("L/h")->exponents);
  EXPECT_EQ(ucum::canonical("{beats}/min")->exponents, ucum::canonical("Hz")->exponents);
  EXPECT_EQ(ucum::canonical("10*3/uL")->factor.to_string(), "1000000000000");
}

TEST(FhirPathUcum, RefusesWhatItDoesNotCover) {
  for (const char* unit : {"", "[s]", "Cel", "m/", "(m", "xyz", "m{", "s-"}) {
    EXPECT_FALSE(ucum::canonical(unit).has_value()) << unit;
  }
}

TEST(FhirPathQuantity, ComparesAcrossCommensurableUnits) {
  EXPECT_EQ(equal(quantity("4.0", "g"), quantity("4000.0", "mg")), true);
  EXPECT_EQ(compare(quantity("185", "[lb_av]"), quantity("84", "kg")), -1);  // 83.91 kg
  EXPECT_EQ(compare(quantity("185", "[lb_av]"), quantity("83.9", "kg")), 1);
  EXPECT_EQ(equal(quantity("7", "days"), quantity("1", "wk")), true);
  EXPECT_EQ(equal(quantity("1", "year"), quantity("12", "months")), true);
}

TEST(FhirPathQuantity, CalendarYearIsNotTheUcumYear) {
  EXPECT_FALSE(equal(quantity("1", "year"), quantity("1", "a")).has_value());
  EXPECT_FALSE(comparable(quantity("1", "month"), quantity("1", "mo")));
}

TEST(FhirPathQuantity, IncommensurableUnitsHaveNoOrder) {
  EXPECT_FALSE(compare(quantity("1", "cm"), quantity("1", "s")).has_value());
  EXPECT_FALSE(equivalent(quantity("1", "cm"), quantity("1", "s")));
  EXPECT_EQ(equal(quantity("3", "[IU]"), quantity("3", "[IU]")), true);  // same unit as written
}

TEST(FhirPathQuantity, EquivalenceRoundsToTheLeastPrecise) {
  EXPECT_TRUE(equivalent(quantity("4", "g"), quantity("4040", "mg")));
  EXPECT_TRUE(
      equivalent(quantity("4.0", "g"), quantity("4040", "mg")));  // trailing zeros do not count
  EXPECT_FALSE(equivalent(quantity("4.1", "g"), quantity("4040", "mg")));
}

TEST(FhirPathQuantity, ArithmeticCombinesUnits) {
  EXPECT_EQ(add(quantity("1", "kg"), quantity("500", "g"))->to_string(), "1.5 'kg'");
  EXPECT_EQ(equal(*multiply(quantity("2.0", "cm"), quantity("2.0", "m")), quantity("0.040", "m2")),
            true);
  EXPECT_EQ(divide(quantity("4.0", "g"), quantity("2.0", "m"))->unit, "g/m");
  EXPECT_EQ(divide(quantity("1.0", "m"), quantity("1.0", "m"))->unit, "1");
  EXPECT_FALSE(add(quantity("1", "kg"), quantity("1", "m")).has_value());
  EXPECT_FALSE(multiply(quantity("1", "year"), quantity("1", "m")).has_value());
}

TEST(FhirPathQuantity, TextFormQuotesUcumUnitsOnly) {
  EXPECT_EQ(quantity("1", "wk").to_string(), "1 'wk'");
  EXPECT_EQ(quantity("1", "week").to_string(), "1 week");
}

}  // namespace
}  // namespace ptwin::ingest::fhir::fhirpath
