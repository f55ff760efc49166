// SPDX-License-Identifier: Apache-2.0
// HL7 DTM time stamps to UTC instants: the value's own offset, a configured source offset,
// and the refusal to guess one (v2.5.1 chapter 2A, DTM; docs/core.md#time).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/ingest/hl7v2/dtm.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

using std::chrono::minutes;

time::Instant utc(std::string_view iso) { return time::parse_iso8601(iso); }

InputError dtm_error(std::string_view text, std::optional<minutes> offset = std::nullopt) {
  try {
    (void)parse_dtm(text, offset, "OBX[1]-14");
  } catch (const InputError& error) {
    return error;
  }
  ADD_FAILURE() << "accepted " << text;
  return InputError(ErrorCode::Internal, "", "", "");
}

TEST(Hl7v2Dtm, ReadsTheValuesOwnOffset) {
  EXPECT_EQ(parse_dtm("20240501120000+0000", std::nullopt, "x"), utc("2024-05-01T12:00:00Z"));
  EXPECT_EQ(parse_dtm("20240501140000+0200", std::nullopt, "x"), utc("2024-05-01T12:00:00Z"));
  EXPECT_EQ(parse_dtm("202405010700-0500", std::nullopt, "x"), utc("2024-05-01T12:00:00Z"));
  EXPECT_EQ(parse_dtm("20240501120000.1234+0000", std::nullopt, "x"),
            utc("2024-05-01T12:00:00.1234Z"));
  EXPECT_EQ(parse_dtm("20240501120000.5-0000", std::nullopt, "x"),
            utc("2024-05-01T12:00:00.5Z"));
}

TEST(Hl7v2Dtm, AppliesAConfiguredOffsetOnlyToValuesWithoutOne) {
  const minutes cet{60};
  EXPECT_EQ(parse_dtm("20240501130000", cet, "x"), utc("2024-05-01T12:00:00Z"));
  EXPECT_EQ(parse_dtm("20240501130000+0000", cet, "x"), utc("2024-05-01T13:00:00Z"));
}

TEST(Hl7v2Dtm, RefusesToGuessAMissingOffset) {
  const auto error = dtm_error("20240501120000");
  EXPECT_EQ(error.code(), ErrorCode::AmbiguousTime);
  EXPECT_EQ(error.where(), "OBX[1]-14");
  EXPECT_EQ(error.value(), "20240501120000");
  EXPECT_NE(std::string(error.what()).find("no zone offset is configured"), std::string::npos);
}

TEST(Hl7v2Dtm, RefusesValuesLessPreciseThanTheMinute) {
  for (const auto* text : {"2024", "202405", "20240501", "2024050112", "20240501+0000"}) {
    const auto error = dtm_error(text, minutes{0});
    EXPECT_EQ(error.code(), ErrorCode::AmbiguousTime) << text;
    EXPECT_NE(std::string(error.what()).find("not precise to the minute"), std::string::npos);
  }
}

TEST(Hl7v2Dtm, RefusesBadSyntaxAndImpossibleTimesNamingTheValueAsWritten) {
  for (const auto* text : {"2024-05-01", "20240501120", "20240501120000.12345+0000",
                           "202405011200.5+0000", "20240501120000+01", "20240501120000+01:00",
                           "2024050112000x+0000", " 20240501120000+0000"}) {
    EXPECT_EQ(dtm_error(text).code(), ErrorCode::BadInput) << text;
  }
  const auto month = dtm_error("20241301120000+0000");
  EXPECT_EQ(month.code(), ErrorCode::BadInput);
  EXPECT_EQ(month.value(), "20241301120000+0000");
  EXPECT_EQ(dtm_error("20240230120000+0000").code(), ErrorCode::BadInput);
  EXPECT_EQ(dtm_error("20240501240000+0000").code(), ErrorCode::BadInput);
  EXPECT_EQ(dtm_error("20240501120060+0000").code(), ErrorCode::BadInput);
  EXPECT_EQ(dtm_error("").code(), ErrorCode::MissingField);
}

TEST(Hl7v2Dtm, ReadsDatesForFhir) {
  EXPECT_EQ(dtm_to_fhir_date("19700101", "x"), "1970-01-01");
  EXPECT_EQ(dtm_to_fhir_date("197001011230+0100", "x"), "1970-01-01");
  EXPECT_EQ(dtm_to_fhir_date("197002", "x"), "1970-02");
  EXPECT_EQ(dtm_to_fhir_date("1970", "x"), "1970");
  EXPECT_THROW((void)dtm_to_fhir_date("19700230", "x"), InputError);
  EXPECT_THROW((void)dtm_to_fhir_date("197013", "x"), InputError);
  EXPECT_THROW((void)dtm_to_fhir_date("1970-01-01", "x"), InputError);
}

TEST(Hl7v2Dtm, FormatsUtcToTheSecond) {
  EXPECT_EQ(format_dtm(utc("2024-05-01T12:00:00.750Z")), "20240501120000+0000");
  EXPECT_EQ(parse_dtm(format_dtm(utc("1999-12-31T23:59:59Z")), std::nullopt, "x"),
            utc("1999-12-31T23:59:59Z"));
}

}  // namespace
}  // namespace ptwin::ingest::hl7v2
