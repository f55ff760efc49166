// SPDX-License-Identifier: Apache-2.0
// Timestamp parsing: ISO 8601 / RFC 3339 / FHIR, DICOM DT, DA + TM and (0008,0201), and the
// round trip through format_iso8601. Expected instants are exact epoch nanosecond counts.
#include "ptwin/core/time.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>

#include "ptwin/core/error.hpp"

namespace ptwin::time {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr std::int64_t kNoonMay1st2024Ns = 1'714'564'800'000'000'000;  // 2024-05-01T12:00:00Z

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

// The error of parse_iso8601(text) without an assumed offset; a failure if none.
std::optional<InputError> iso_error(const std::string& text) {
  return input_error_from([&text] { (void)parse_iso8601(text); });
}

TEST(ParseIso8601, ReadsUtcDesignator) {
  EXPECT_EQ(to_epoch_ns(parse_iso8601("2024-05-01T12:00:00Z")), kNoonMay1st2024Ns);
}

TEST(ParseIso8601, AppliesOffsetsInEveryAcceptedSpelling) {
  for (const char* text : {"2024-05-01T14:00:00+02:00", "2024-05-01T06:30:00-0530",
                           "2024-05-01T17:00:00+05", "2024-05-01T12:00:00-00:00"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(to_epoch_ns(parse_iso8601(text)), kNoonMay1st2024Ns);
  }
}

TEST(ParseIso8601, AcceptsRfc3339LowercaseAndSpaceSeparatorAndMinutePrecision) {
  for (const char* text : {"2024-05-01t12:00:00z", "2024-05-01 12:00:00Z", "2024-05-01T12:00Z"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(to_epoch_ns(parse_iso8601(text)), kNoonMay1st2024Ns);
  }
}

TEST(ParseIso8601, KeepsFractionalSecondsToTheNanosecond) {
  EXPECT_EQ(to_epoch_ns(parse_iso8601("2024-05-01T12:00:00.123456789Z")),
            kNoonMay1st2024Ns + 123'456'789);
  EXPECT_EQ(to_epoch_ns(parse_iso8601("2024-05-01T12:00:00.1Z")), kNoonMay1st2024Ns + 100'000'000);
  EXPECT_EQ(to_epoch_ns(parse_iso8601("2024-05-01T12:00:00,5Z")), kNoonMay1st2024Ns + 500'000'000);
}

TEST(ParseIso8601, RejectsMissingOffsetAsAmbiguousNamingTheValue) {
  const auto error = iso_error("2024-05-01T12:00:00");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::AmbiguousTime);
  EXPECT_TRUE(contains(error->what(), "'2024-05-01T12:00:00' has no UTC offset"));
}

TEST(ParseIso8601, AppliesAssumedOffsetOnlyToValuesWithoutOne) {
  EXPECT_EQ(to_epoch_ns(parse_iso8601("2024-05-01T14:00:00", minutes{120})), kNoonMay1st2024Ns);
  EXPECT_EQ(to_epoch_ns(parse_iso8601("2024-05-01T12:00:00Z", minutes{120})), kNoonMay1st2024Ns);
}

TEST(ParseIso8601, RejectsDateOnlyValuesEvenWithAnAssumedOffset) {
  for (const char* text : {"2024-05-01", "2024-05", "2024"}) {
    SCOPED_TRACE(text);
    const auto error = input_error_from([text] { (void)parse_iso8601(text, minutes{0}); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code(), ErrorCode::AmbiguousTime);
    EXPECT_TRUE(contains(error->what(), "is a date without a time of day"));
  }
}

TEST(ParseIso8601, RejectsImpossibleDatesNamingTheRule) {
  const auto february = iso_error("2023-02-29T00:00:00Z");
  ASSERT_TRUE(february);
  EXPECT_EQ(february->code(), ErrorCode::BadInput);
  EXPECT_TRUE(contains(february->what(),
                       "'2023-02-29T00:00:00Z' has day 29 but 2023-02 has days "
                       "01 to 28"));
  const auto month = iso_error("2024-13-01T00:00:00Z");
  ASSERT_TRUE(month);
  EXPECT_TRUE(contains(month->what(), "has month 13; months are 01 to 12"));
  EXPECT_EQ(to_epoch_ns(parse_iso8601("2024-02-29T00:00:00Z")), 1'709'164'800'000'000'000);
}

TEST(ParseIso8601, RejectsImpossibleTimesOfDay) {
  const struct {
    const char* text;
    const char* rule;
  } cases[] = {
      {"2024-05-01T25:00:00Z", "has hour 25"},
      {"2024-05-01T24:00:00Z", "midnight is 00, not 24"},
      {"2024-05-01T12:60:00Z", "has minute 60"},
      {"2024-05-01T23:59:60Z", "leap second"},
      {"2024-05-01T12:00:00+24:00", "has UTC offset +24:00"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto error = iso_error(c.text);
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code(), ErrorCode::BadInput);
    EXPECT_TRUE(contains(error->what(), c.rule));
  }
}

TEST(ParseIso8601, RejectsMalformedText) {
  for (const char* text : {"", "20240501T120000Z", "2024-05-01T12:00:00.Z",
                           "2024-05-01T12:00:00.1234567891Z", "2024-05-01T12:00:00Zjunk",
                           " 2024-05-01T12:00:00Z", "2024-5-1T12:00:00Z", "2024-05-01T12"}) {
    SCOPED_TRACE(text);
    const auto error = iso_error(text);
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code(), ErrorCode::BadInput);
  }
}

TEST(ParseIso8601, AcceptsTheEndsOfTheInstantRangeAndNothingBeyond) {
  EXPECT_EQ(to_epoch_ns(parse_iso8601("2262-04-11T23:47:16.854775807Z")),
            std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(to_epoch_ns(parse_iso8601("1677-09-21T00:12:43.145224192Z")),
            std::numeric_limits<std::int64_t>::min());
  for (const char* text : {"2262-04-11T23:47:16.854775808Z", "1677-09-21T00:12:43.145224191Z",
                           "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z"}) {
    SCOPED_TRACE(text);
    const auto error = iso_error(text);
    ASSERT_TRUE(error);
    EXPECT_TRUE(contains(error->what(), "outside the range"));
  }
}

TEST(ParseIso8601, NamesTheCallersFieldInErrors) {
  const auto error = input_error_from([] {
    (void)parse_iso8601("2024-05-01T12:00:00", std::nullopt, "Observation/bp-1.effectiveDateTime");
  });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->where(), "Observation/bp-1.effectiveDateTime");
}

TEST(ParseIso8601, EscapesControlCharactersAndCutsLongValuesInErrors) {
  const auto newline = iso_error("2024-05-01T12:00:00Z\n");
  ASSERT_TRUE(newline);
  EXPECT_EQ(newline->value(), "2024-05-01T12:00:00Z\\x0a");
  const auto long_value = iso_error("2024-05-01T12:00:00Z" + std::string(100, '0'));
  ASSERT_TRUE(long_value);
  EXPECT_EQ(long_value->value(), "2024-05-01T12:00:00Z" + std::string(44, '0') + "...(120 bytes)");
}

TEST(FormatIso8601, WritesWholeSecondsWithoutFraction) {
  EXPECT_EQ(format_iso8601(from_epoch_ns(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_iso8601(from_epoch_ns(kNoonMay1st2024Ns)), "2024-05-01T12:00:00Z");
}

TEST(FormatIso8601, WritesTheShortestExactOfThreeSixOrNineDigits) {
  EXPECT_EQ(format_iso8601(from_epoch_ns(kNoonMay1st2024Ns + 120'000'000)),
            "2024-05-01T12:00:00.120Z");
  EXPECT_EQ(format_iso8601(from_epoch_ns(kNoonMay1st2024Ns + 1'500'000)),
            "2024-05-01T12:00:00.001500Z");
  EXPECT_EQ(format_iso8601(from_epoch_ns(kNoonMay1st2024Ns + 1)), "2024-05-01T12:00:00.000000001Z");
}

TEST(FormatIso8601, WritesInstantsBeforeTheEpoch) {
  EXPECT_EQ(format_iso8601(from_epoch_ns(-1)), "1969-12-31T23:59:59.999999999Z");
}

TEST(FormatIso8601, RoundTripsThroughParse) {
  constexpr std::uint64_t kSeed = 20240501;
  SCOPED_TRACE(::testing::Message() << "seed " << kSeed);
  std::mt19937_64 generator(kSeed);
  std::uniform_int_distribution<std::int64_t> any_ns(std::numeric_limits<std::int64_t>::min(),
                                                     std::numeric_limits<std::int64_t>::max());
  for (int i = 0; i < 2000; ++i) {
    const auto instant = from_epoch_ns(i < 2 ? (i == 0 ? std::numeric_limits<std::int64_t>::min()
                                                       : std::numeric_limits<std::int64_t>::max())
                                             : any_ns(generator));
    const auto text = format_iso8601(instant);
    ASSERT_EQ(parse_iso8601(text), instant) << text;
  }
}

TEST(ParseDicomDt, ReadsOwnOffsetSuffixAndTrailingPadding) {
  EXPECT_EQ(to_epoch_ns(parse_dicom_dt("20240501120000+0000", std::nullopt)), kNoonMay1st2024Ns);
  EXPECT_EQ(to_epoch_ns(parse_dicom_dt("20240501140000.5+0200 ", std::nullopt)),
            kNoonMay1st2024Ns + 500'000'000);
}

TEST(ParseDicomDt, OwnSuffixTakesPrecedenceOverDatasetOffset) {
  EXPECT_EQ(to_epoch_ns(parse_dicom_dt("20240501120000+0000", minutes{-300})), kNoonMay1st2024Ns);
}

TEST(ParseDicomDt, UsesDatasetOffsetWhenValueHasNone) {
  EXPECT_EQ(to_epoch_ns(parse_dicom_dt("20240501070000.123456", minutes{-300})),
            kNoonMay1st2024Ns + 123'456'000);
}

TEST(ParseDicomDt, ReadsTruncatedValuesAsStartOfTheNamedPeriod) {
  EXPECT_EQ(to_epoch_ns(parse_dicom_dt("2024+0000", std::nullopt)), 1'704'067'200'000'000'000);
  EXPECT_EQ(to_epoch_ns(parse_dicom_dt("2024050112", minutes{0})), kNoonMay1st2024Ns);
}

TEST(ParseDicomDt, RejectsValueWithoutAnyOffsetAsAmbiguousNamingTheAttribute) {
  const auto error = input_error_from([] { (void)parse_dicom_dt("20240501120000", std::nullopt); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::AmbiguousTime);
  EXPECT_TRUE(contains(error->what(), "'20240501120000' has no UTC offset"));
  EXPECT_TRUE(contains(error->what(), "(0008,0201)"));
}

TEST(ParseDicomDt, RejectsMalformedOrImpossibleValues) {
  for (const char* text :
       {"2024050112000+0000", "20241301+0000", "20240230+0000", "20240501240000+0000",
        "20240501120000.1234567+0000", "202405011200.5+0000", "20240501120000+1500",
        "20240501120000+0160", " 20240501120000+0000", "20240501120000+00", "",
        "20240501120060+0000"}) {
    SCOPED_TRACE(text);
    const auto error = input_error_from([text] { (void)parse_dicom_dt(text, minutes{0}); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code(), ErrorCode::BadInput);
  }
}

TEST(ParseDicomDaTm, CombinesDateAndTimeWithDatasetOffset) {
  EXPECT_EQ(to_epoch_ns(parse_dicom_da_tm("20240501", "120000", minutes{0})), kNoonMay1st2024Ns);
  EXPECT_EQ(to_epoch_ns(parse_dicom_da_tm("20240501", "07", minutes{-300})), kNoonMay1st2024Ns);
  EXPECT_EQ(to_epoch_ns(parse_dicom_da_tm("20240501", "120000.25 ", minutes{0})),
            kNoonMay1st2024Ns + 250'000'000);
}

TEST(ParseDicomDaTm, AcceptsPreVersion3Forms) {
  EXPECT_EQ(to_epoch_ns(parse_dicom_da_tm("2024.05.01", "12:00:00.5", minutes{0})),
            kNoonMay1st2024Ns + 500'000'000);
  EXPECT_EQ(to_epoch_ns(parse_dicom_da_tm("20240501", "13:00", minutes{60})), kNoonMay1st2024Ns);
}

TEST(ParseDicomDaTm, RejectsMissingDatasetOffsetAsAmbiguousNamingBothValues) {
  const auto error =
      input_error_from([] { (void)parse_dicom_da_tm("20240501", "120000", std::nullopt); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::AmbiguousTime);
  EXPECT_TRUE(contains(error->what(), "'20240501\\120000'"));
}

TEST(ParseDicomDaTm, RejectsEmptyTimeAsAmbiguous) {
  const auto error =
      input_error_from([] { (void)parse_dicom_da_tm("20240501", "  ", minutes{0}); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::AmbiguousTime);
}

TEST(ParseDicomDaTm, RejectsMalformedOrImpossibleValues) {
  const struct {
    const char* da;
    const char* tm;
  } cases[] = {{"2024051", "120000"},    {"20240501", "2400"},   {"20240501", "12000"},
               {"20240501", "1200.5"},   {"20240431", "120000"}, {"20240501", "12:00:00.1234567"},
               {"2024-05-01", "120000"}, {"20240501", "12:0"},   {"20240501", "120000+0000"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(::testing::Message() << c.da << "\\" << c.tm);
    const auto error = input_error_from([&c] { (void)parse_dicom_da_tm(c.da, c.tm, minutes{0}); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code(), ErrorCode::BadInput);
  }
}

TEST(ParseDicomTimezoneOffset, ReadsSignedHoursAndMinutes) {
  EXPECT_EQ(parse_dicom_timezone_offset("+0100"), minutes{60});
  EXPECT_EQ(parse_dicom_timezone_offset("-0500"), minutes{-300});
  EXPECT_EQ(parse_dicom_timezone_offset(" +0530 "), minutes{330});
  EXPECT_EQ(parse_dicom_timezone_offset("-1200"), -hours{12});
  EXPECT_EQ(parse_dicom_timezone_offset("+1400"), hours{14});
}

TEST(ParseDicomTimezoneOffset, RejectsValuesOutsideTheStandardRangeOrForm) {
  for (const char* text : {"+1500", "-1201", "0100", "+01:00", "+0160", "", "+01"}) {
    SCOPED_TRACE(text);
    const auto error = input_error_from([text] { (void)parse_dicom_timezone_offset(text); });
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code(), ErrorCode::BadInput);
    EXPECT_TRUE(contains(error->what(), "(0008,0201)"));
  }
}

TEST(EpochConversion, MillisecondsBecomeExactNanoseconds) {
  EXPECT_EQ(to_epoch_ns(from_epoch_ms(1'714'564'800'123)), kNoonMay1st2024Ns + 123'000'000);
  EXPECT_EQ(to_epoch_ns(from_epoch_ms(-1)), -1'000'000);
}

TEST(EpochConversion, RejectsMillisecondsOutsideTheInstantRange) {
  const auto error =
      input_error_from([] { (void)from_epoch_ms(std::numeric_limits<std::int64_t>::max()); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::BadInput);
  EXPECT_TRUE(contains(error->what(), "epoch milliseconds: '9223372036854775807'"));
}

TEST(EpochConversion, NanosecondsRoundTrip) {
  EXPECT_EQ(to_epoch_ns(from_epoch_ns(-42)), -42);
  EXPECT_EQ(from_epoch_ns(kNoonMay1st2024Ns), parse_iso8601("2024-05-01T12:00:00Z"));
}

}  // namespace
}  // namespace ptwin::time
