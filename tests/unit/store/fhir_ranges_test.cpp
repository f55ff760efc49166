// SPDX-License-Identifier: Apache-2.0
// The implicit ranges of FHIR decimals and dates (R5 search.html#number, #date) and the
// prefix semantics over them (#prefix), checked against the examples of the R5 search page.
#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "fhir_test_support.hpp"
#include "ptwin/store/fhir/date_range.hpp"
#include "ptwin/store/fhir/decimal_range.hpp"
#include "ptwin/store/fhir/range_match.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::store::fhir {
namespace {

using test_support::expect_input_error;
using test_support::utc;

double below(double exclusive_end) {
  return std::nextafter(exclusive_end, -std::numeric_limits<double>::infinity());
}

// --- decimals ------------------------------------------------------------------------------

TEST(DecimalRange, IntegerTextCoversHalfAUnitEitherSide) {
  // search.html#number: "100" searches [99.5 ... 100.5).
  const DecimalRange range = decimal_range("100", "test");
  EXPECT_EQ(range.value, 100.0);
  EXPECT_EQ(range.low, 99.5);
  EXPECT_EQ(range.high, below(100.5));
}

TEST(DecimalRange, TrailingZerosNarrowTheRange) {
  // search.html#number: "100.00" searches [99.995 ... 100.005).
  const DecimalRange range = decimal_range("100.00", "test");
  EXPECT_EQ(range.low, 99.995);
  EXPECT_EQ(range.high, below(100.005));
}

TEST(DecimalRange, ExponentFormCountsTheMantissaDigits) {
  // search.html#number: 100 and 1.00e2 have the same three significant digits.
  EXPECT_EQ(decimal_range("1.00e2", "test"), decimal_range("100", "test"));
  const DecimalRange one_digit = decimal_range("1e2", "test");  // one significant digit
  EXPECT_EQ(one_digit.low, 50.0);
  EXPECT_EQ(one_digit.high, below(150.0));
}

TEST(DecimalRange, BoundsAreTheDecimalBoundsRoundedOnce) {
  // 5.4 - 0.05 in binary floating point is 5.3500000000000005; the bound must be the double
  // nearest to 5.35, the same double a stored "5.35" reads as.
  const DecimalRange range = decimal_range("5.4", "test");
  EXPECT_EQ(range.low, 5.35);
  EXPECT_EQ(range.high, below(5.45));
  EXPECT_EQ(decimal_range("0.8", "test").low, 0.75);
}

TEST(DecimalRange, NegativeAndZeroValuesAreSymmetric) {
  const DecimalRange negative = decimal_range("-5", "test");
  EXPECT_EQ(negative.low, -5.5);
  EXPECT_EQ(negative.high, below(-4.5));
  const DecimalRange zero = decimal_range("0.0", "test");
  EXPECT_EQ(zero.low, -0.05);
  EXPECT_EQ(zero.high, below(0.05));
}

TEST(DecimalRange, MalformedTextIsRejectedNamingTheValue) {
  for (const char* text : {"", "1.", ".5", "abc", "1e", "--1", "1,5", "1e12345", "1 "}) {
    const InputError error = expect_input_error([&] { (void)decimal_range(text, "value-x"); });
    EXPECT_EQ(error.where(), "value-x") << text;
    EXPECT_EQ(error.value(), printable_value(text)) << text;
  }
  const InputError overflow = expect_input_error([] { (void)decimal_range("1e400", "v"); });
  EXPECT_EQ(overflow.rule(), "is outside the range of a double");
}

// --- dates ---------------------------------------------------------------------------------

TEST(FhirDateRange, YearMonthAndDayCoverTheWholePeriod) {
  // search.html#date: 2000 is [2000-01-01T00:00, 2000-12-31T23:59...], 2000-04 the month.
  EXPECT_EQ(fhir_date_range("2024", "d"),
            (InstantRange{utc("2024-01-01T00:00:00Z"), utc("2024-12-31T23:59:59.999999999Z")}));
  EXPECT_EQ(fhir_date_range("2024-02", "d"),
            (InstantRange{utc("2024-02-01T00:00:00Z"), utc("2024-02-29T23:59:59.999999999Z")}));
  EXPECT_EQ(fhir_date_range("2023-02", "d").high, utc("2023-02-28T23:59:59.999999999Z"));
  EXPECT_EQ(fhir_date_range("2013-01-10", "d"),
            (InstantRange{utc("2013-01-10T00:00:00Z"), utc("2013-01-10T23:59:59.999999999Z")}));
}

TEST(FhirDateRange, TimesCoverTheirLastDigitAndApplyTheOffset) {
  EXPECT_EQ(fhir_date_range("2024-05-01T10:00Z", "d"),
            (InstantRange{utc("2024-05-01T10:00:00Z"), utc("2024-05-01T10:00:59.999999999Z")}));
  EXPECT_EQ(fhir_date_range("2024-05-01T10:00:30+02:00", "d"),
            (InstantRange{utc("2024-05-01T08:00:30Z"), utc("2024-05-01T08:00:30.999999999Z")}));
  EXPECT_EQ(fhir_date_range("2024-05-01T10:00:30.5-01:30", "d"),
            (InstantRange{utc("2024-05-01T11:30:30.5Z"), utc("2024-05-01T11:30:30.599999999Z")}));
  const InstantRange nanosecond = fhir_date_range("2024-05-01T10:00:30.123456789Z", "d");
  EXPECT_EQ(nanosecond.low, nanosecond.high);
}

TEST(FhirDateRange, ValueWithoutOffsetIsReadAsUtc) {
  EXPECT_EQ(fhir_date_range("2024-05-01T10:00", "d"), fhir_date_range("2024-05-01T10:00Z", "d"));
}

TEST(FhirDateRange, ImpossibleOrMalformedDatesAreRejected) {
  for (const char* text : {"2024-13", "2023-02-29", "2024-05-01T24:00Z", "2024-05-01T10Z",
                           "2024-05-01T10:00:60Z", "2024-5", "24", "2024-05-01T10:00+15:00",
                           "2024-05-01T10:00:00.1234567891Z", "2024-05-01 10:00"}) {
    const InputError error = expect_input_error([&] { (void)fhir_date_range(text, "birthdate"); });
    EXPECT_EQ(error.where(), "birthdate") << text;
    EXPECT_EQ(error.value(), text);
  }
}

TEST(FhirDateRange, DatesOutsideTheNanosecondRangeAreRejectedNotClamped) {
  const InputError error = expect_input_error([] { (void)fhir_date_range("1600", "d"); });
  EXPECT_EQ(error.rule(),
            "is outside the instants the store represents (1677-09-21 to 2262-04-11)");
}

// --- prefixes on dates (the table of search.html#date) --------------------------------------

bool date_matches(std::string_view search, InstantRange target,
                  time::Instant now = utc("2024-01-01T00:00:00Z")) {
  const DateValue value = parse_date_value(search, "date");
  return range_matches(value.prefix, date_match_bounds(value, now), time::to_epoch_ns(target.low),
                       time::to_epoch_ns(target.high));
}

InstantRange point(std::string_view iso8601) { return {utc(iso8601), utc(iso8601)}; }
InstantRange day(std::string_view date) { return fhir_date_range(date, "target"); }
InstantRange onwards(std::string_view date) {
  return {fhir_date_range(date, "target").low, time::Instant::max()};
}
InstantRange until_end_of(std::string_view date) {
  return {time::Instant::min(), fhir_date_range(date, "target").high};
}

TEST(DatePrefixes, EqMatchesTargetsInsideTheSearchedDay) {
  EXPECT_TRUE(date_matches("eq2013-01-14", point("2013-01-14T00:00:00Z")));
  EXPECT_TRUE(date_matches("2013-01-14", point("2013-01-14T10:00:00Z")));
  EXPECT_FALSE(date_matches("eq2013-01-14", point("2013-01-15T00:00:00Z")));
}

TEST(DatePrefixes, NeMatchesTargetsOutsideTheSearchedDay) {
  EXPECT_TRUE(date_matches("ne2013-01-14", point("2013-01-15T00:00:00Z")));
  EXPECT_FALSE(date_matches("ne2013-01-14", point("2013-01-14T00:00:00Z")));
  EXPECT_FALSE(date_matches("ne2013-01-14", point("2013-01-14T10:00:00Z")));
}

TEST(DatePrefixes, LtAndGtMatchADayThatExtendsBeyondTheSearchedMinute) {
  EXPECT_TRUE(date_matches("lt2013-01-14T10:00Z", day("2013-01-14")));
  EXPECT_TRUE(date_matches("gt2013-01-14T10:00Z", day("2013-01-14")));
  EXPECT_FALSE(date_matches("lt2013-01-14T00:00Z", day("2013-01-14")));
}

TEST(DatePrefixes, GeAndLeMatchAnOpenPeriodThatMayIncludeTheDate) {
  EXPECT_TRUE(date_matches("ge2013-03-14", onwards("2013-01-21")));
  EXPECT_TRUE(date_matches("le2013-03-14", onwards("2013-01-21")));
  EXPECT_FALSE(date_matches("le2013-03-14", onwards("2013-03-15")));
  EXPECT_TRUE(date_matches("le2013-03-14", point("2013-03-14T23:59:00Z")));
}

TEST(DatePrefixes, SaAndEbNeedTheWholeTargetAfterOrBefore) {
  EXPECT_TRUE(date_matches("sa2013-03-14", onwards("2013-03-15")));
  EXPECT_FALSE(date_matches("sa2013-03-14", onwards("2013-01-21")));
  EXPECT_FALSE(date_matches("sa2013-03-14", until_end_of("2013-01-21")));
  EXPECT_FALSE(date_matches("eb2013-03-14", onwards("2013-03-15")));
  EXPECT_FALSE(date_matches("eb2013-03-14", onwards("2013-01-21")));
  EXPECT_TRUE(date_matches("eb2013-03-14", until_end_of("2013-01-21")));
}

TEST(DatePrefixes, ApWidensByATenthOfTheGapToNow) {
  // The page's example, read in mid-2013: 14-Mar 2013 is included, 21-Jan 2013 and
  // 15-Jun 2015 are not (the gap to now is ~79 days, so the range widens by ~8 days).
  const time::Instant mid_2013 = utc("2013-06-01T00:00:00Z");
  EXPECT_TRUE(date_matches("ap2013-03-14", point("2013-03-14T12:00:00Z"), mid_2013));
  EXPECT_FALSE(date_matches("ap2013-03-14", point("2013-01-21T00:00:00Z"), mid_2013));
  EXPECT_FALSE(date_matches("ap2013-03-14", point("2015-06-15T00:00:00Z"), mid_2013));
  // Read in 2024 the gap is ~10.8 years: +-~1.08 years, so 21-Jan 2013 is near.
  EXPECT_TRUE(date_matches("ap2013-03-14", point("2013-01-21T00:00:00Z")));
}

// --- prefixes on numbers (search.html#number) ------------------------------------------------

bool number_matches(std::string_view search, double target_low, double target_high) {
  const NumberValue value = parse_number_value(search, "number");
  return range_matches(value.prefix, number_match_bounds(value), target_low, target_high);
}
bool number_matches(std::string_view search, double target) {
  return number_matches(search, target, target);
}

TEST(NumberPrefixes, EqUsesTheImplicitHalfOpenRange) {
  EXPECT_TRUE(number_matches("100", 99.5));
  EXPECT_TRUE(number_matches("100", 100.49));
  EXPECT_FALSE(number_matches("100", 100.5));
  EXPECT_FALSE(number_matches("100.00", 100.01));
  EXPECT_TRUE(number_matches("100.00", 100.004));
}

TEST(NumberPrefixes, EqOnAStoredDecimalNeedsItsWholeRangeInside) {
  const DecimalRange stored = decimal_range("5.4", "stored");
  EXPECT_TRUE(number_matches("5.4", stored.low, stored.high));
  EXPECT_TRUE(number_matches("5", stored.low, stored.high));
  EXPECT_FALSE(number_matches("5.40", stored.low, stored.high));  // more precise than stored
}

TEST(NumberPrefixes, ComparisonsUseTheExactValue) {
  // search.html#number: lt100 "less than exactly 100", le100 "less or equal to exactly 100".
  EXPECT_TRUE(number_matches("lt100", 99.99));
  EXPECT_FALSE(number_matches("lt100", 100.0));
  EXPECT_TRUE(number_matches("le100", 100.0));
  EXPECT_TRUE(number_matches("gt100", 100.01));
  EXPECT_FALSE(number_matches("gt100", 100.0));
  EXPECT_TRUE(number_matches("ge100", 100.0));
  EXPECT_TRUE(number_matches("sa0.8", 0.81));
  EXPECT_FALSE(number_matches("sa0.8", 0.75, 0.85));
  EXPECT_TRUE(number_matches("eb0.8", 0.7, 0.79));
}

TEST(NumberPrefixes, NeIsTheComplementOfEq) {
  EXPECT_TRUE(number_matches("ne100", 100.5));
  EXPECT_FALSE(number_matches("ne100", 100.2));
}

TEST(NumberPrefixes, ApWidensByTenPercentOfTheValue) {
  EXPECT_TRUE(number_matches("ap100", 91.0));  // 99.5 - 10 = 89.5 <= 91
  EXPECT_FALSE(number_matches("ap100", 89.0));
  EXPECT_TRUE(number_matches("ap100", 110.4));
}

}  // namespace
}  // namespace ptwin::store::fhir
