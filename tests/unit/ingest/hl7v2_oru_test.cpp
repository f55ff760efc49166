// SPDX-License-Identifier: Apache-2.0
// ORU^R01 → Samples: codes, units, times, patients, and each rejection naming its field.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <string>

#include "hl7v2_test_support.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/hl7v2/patient_identity.hpp"
#include "ptwin/ingest/hl7v2/reader.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

using test_support::hl7;
using test_support::kObr;
using test_support::kOruMsh;
using test_support::kPid;

// Relative accuracy of a double after one unit conversion: a few ulps.
constexpr double kConversionTolerance = 1e-12;

OruResult map(const std::string& text, const Hl7v2Settings& settings = {}) {
  const auto accepted = accept_message(text, "test.hl7", settings);
  return *map_message(accepted, settings).observations;
}

// The one rejection of a message holding `obx` as its only OBX.
RejectedSegment rejected_obx(std::string_view obx, std::string_view pid = kPid) {
  const auto result = map(hl7({kOruMsh, pid, kObr, obx}));
  EXPECT_TRUE(result.samples.empty());
  EXPECT_EQ(result.rejected.size(), 1U);
  return result.rejected.empty() ? RejectedSegment{} : result.rejected.front();
}

void expect_close(double actual, double expected) {
  EXPECT_NEAR(actual, expected, std::abs(expected) * kConversionTolerance);
}

TEST(Hl7v2Oru, MapsVitalSignsToSiSamples) {
  const auto result = map(hl7(
      {kOruMsh, kPid, kObr,
       "OBX|1|NM|8867-4^Heart rate^LN||72|/min^^UCUM|||||F|||20240501115900+0000",
       "OBX|2|NM|8480-6^Systolic^LN||120|mm[Hg]^^UCUM|||||F",
       "OBX|3|NM|8462-4^Diastolic^LN||+80.0|mm[Hg]|||||C",
       "OBX|4|NM|8478-0^Mean^LN||12.5|kPa|||||F", "OBX|5|NM|8741-1^CO^LN||5.4|L/min|||||F",
       "OBX|6|NM|10230-1^EF^LN||58|%|||||F"}));
  ASSERT_TRUE(result.rejected.empty()) << result.rejected.front().problem.reason;
  ASSERT_EQ(result.samples.size(), 6U);
  EXPECT_EQ(result.observation_count, 6U);
  const auto& heart_rate = result.samples[0];
  EXPECT_EQ(heart_rate.code, "8867-4");
  expect_close(heart_rate.value_si, 72.0 / 60.0);
  EXPECT_EQ(heart_rate.unit_of_origin, "/min");
  EXPECT_EQ(heart_rate.time, time::parse_iso8601("2024-05-01T11:59:00Z")) << "OBX-14";
  EXPECT_EQ(heart_rate.patient_id, patient_id_of("HOSP", "123456"));
  EXPECT_EQ(heart_rate.source_id, "hl7v2:MONITOR/ICU/MSG0001/OBX[1]");
  EXPECT_EQ(heart_rate.quality, SampleQuality::Good);
  const auto& systolic = result.samples[1];
  expect_close(systolic.value_si, 120.0 * units::kPaPerMmHg);
  EXPECT_EQ(systolic.time, time::parse_iso8601("2024-05-01T11:55:00Z")) << "OBR-7";
  expect_close(result.samples[2].value_si, 80.0 * units::kPaPerMmHg);
  expect_close(result.samples[3].value_si, 12500.0);
  expect_close(result.samples[4].value_si, 5.4e-3 / 60.0);
  expect_close(result.samples[5].value_si, 0.58);
}

TEST(Hl7v2Oru, ReadsMdcCodesAndUnitsAsTheirLoincAndUcum) {
  const auto result = map(hl7(
      {kOruMsh, kPid, kObr,
       "OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||60|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||F",
       "OBX|2|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC||118|266016^MDC_DIM_MMHG^MDC|||||F",
       "OBX|3|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC||76|266016^MDC_DIM_MMHG^MDC|||||F",
       "OBX|4|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC||90|mm[Hg]^mmHg^UCUM|||||F",
       "OBX|5|NM|X1^local^L^8867-4^Heart rate^LN||61|x^y^L^/min^per minute^UCUM|||||F"}));
  ASSERT_TRUE(result.rejected.empty()) << result.rejected.front().problem.reason;
  ASSERT_EQ(result.samples.size(), 5U);
  EXPECT_EQ(result.samples[0].code, "8867-4");
  EXPECT_EQ(result.samples[0].unit_of_origin, "/min");
  expect_close(result.samples[0].value_si, 1.0);
  EXPECT_EQ(result.samples[1].code, "8480-6");
  EXPECT_EQ(result.samples[1].unit_of_origin, "mm[Hg]");
  EXPECT_EQ(result.samples[2].code, "8462-4");
  EXPECT_EQ(result.samples[3].code, "8478-0");
  EXPECT_EQ(result.samples[4].code, "8867-4") << "the alternate triplet OBX-3.4-6";
  EXPECT_EQ(result.samples[4].unit_of_origin, "/min") << "the alternate triplet OBX-6.4-6";
}

TEST(Hl7v2Oru, RejectsEachBadObxNamingTheFieldAndValue) {
  struct Case {
    std::string obx;
    std::string fragment;
    ErrorCode code;
    std::size_t field;
  };
  const std::vector<Case> cases{
      {"OBX|1|NM|8480-6^^LN||120|mmHgg|||||F",
       "OBX[1]-6: 'mmHgg' is not a unit ptwin can read", ErrorCode::UnknownUnit, 6},
      {"OBX|1|NM|8867-4^^LN||72|mm[Hg]|||||F", "OBX[1]-6: 'mm[Hg]' has dimension",
       ErrorCode::UnitMismatch, 6},
      {"OBX|1|NM|8480-6^^LN||120||||||F", "OBX[1]-6: '' a measurement needs its unit",
       ErrorCode::MissingField, 6},
      {"OBX|1|NM|8480-6^^LN||120|mmHg^^ISO+|||||F", "OBX[1]-6: 'mmHg^^ISO+' names no unit",
       ErrorCode::UnknownUnit, 6},
      {"OBX|1|NM|8480-6^^LN||120|mm[Hg]|||||P", "OBX[1]-11: 'P' only final (F) or corrected",
       ErrorCode::BadInput, 11},
      {"OBX|1|NM|8480-6^^LN||120|mm[Hg]", "OBX[1]-11: '' is required", ErrorCode::MissingField,
       11},
      {"OBX|1|NM|8310-5^Body temperature^LN||37|Cel|||||F",
       "OBX[1]-3: '8310-5^Body temperature^LN' is not an observation ptwin reads",
       ErrorCode::BadInput, 3},
      {"OBX|1|NM|8480-6^^SCT||120|mm[Hg]|||||F", "OBX[1]-3: '8480-6^^SCT' is not an observation",
       ErrorCode::BadInput, 3},
      {"OBX|1|ST|8480-6^^LN||high|mm[Hg]|||||F", "OBX[1]-2: 'ST' must be NM",
       ErrorCode::BadInput, 2},
      {"OBX|1|NM|8480-6^^LN||1e2|mm[Hg]|||||F", "OBX[1]-5: '1e2' is not an HL7 NM number",
       ErrorCode::BadInput, 5},
      {"OBX|1|NM|8480-6^^LN||120~121|mm[Hg]|||||F", "OBX[1]-5: '120~121' holds several values",
       ErrorCode::BadInput, 5},
      {"OBX|1|NM|8480-6^^LN|||mm[Hg]|||||F", "OBX[1]-5: '' is required", ErrorCode::MissingField,
       5},
      {"OBX|1|NM|8480-6^^LN||120|mm[Hg]|||||F|||20240501120000",
       "OBX[1]-14: '20240501120000' has no UTC offset", ErrorCode::AmbiguousTime, 14},
      {"OBX|1|NM|8480-6^^LN||12\\X\\0|mm[Hg]|||||F", "OBX[1]-5: '12\\X\\0'",
       ErrorCode::BadInput, 5},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.obx);
    const auto rejected = rejected_obx(c.obx);
    EXPECT_EQ(rejected.label, "OBX[1]");
    EXPECT_EQ(rejected.raw_bytes, c.obx);
    EXPECT_NE(rejected.problem.reason.find("hl7v2:MONITOR/ICU message MSG0001: " + c.fragment),
              std::string::npos)
        << rejected.problem.reason;
    EXPECT_EQ(rejected.problem.code, c.code);
    EXPECT_EQ(rejected.problem.location, (ErrorLocation{"OBX", 1, c.field}));
  }
}

TEST(Hl7v2Oru, KeepsTheGoodObxBesideABadOne) {
  const auto result = map(hl7({kOruMsh, kPid, kObr, "OBX|1|NM|8867-4^^LN||72|/min|||||F",
                               "OBX|2|NM|8480-6^^LN||120|mmHgg|||||F",
                               "OBX|3|NM|8462-4^^LN||80|mm[Hg]|||||F"}));
  ASSERT_EQ(result.samples.size(), 2U);
  ASSERT_EQ(result.rejected.size(), 1U);
  EXPECT_EQ(result.rejected[0].label, "OBX[2]");
  EXPECT_EQ(result.samples[1].source_id, "hl7v2:MONITOR/ICU/MSG0001/OBX[3]");
}

TEST(Hl7v2Oru, TakesTheTimeFromObr7AndNeedsOneOfTheTwo) {
  const auto without_obr =
      map(hl7({kOruMsh, kPid, "OBX|1|NM|8480-6^^LN||120|mm[Hg]|||||F"})).rejected;
  ASSERT_EQ(without_obr.size(), 1U);
  EXPECT_NE(without_obr[0].problem.reason.find("OBX[1]-14: '' a measurement needs its time"),
            std::string::npos);
  const auto bad_obr = map(hl7({kOruMsh, kPid, "OBR|1|||x|||2024050112",
                                "OBX|1|NM|8480-6^^LN||120|mm[Hg]|||||F"}))
                           .rejected;
  ASSERT_EQ(bad_obr.size(), 1U);
  EXPECT_NE(bad_obr[0].problem.reason.find("OBR[1]-7: '2024050112'"), std::string::npos);
  EXPECT_EQ(bad_obr[0].problem.location, (ErrorLocation{"OBR", 1, 7}));
}

TEST(Hl7v2Oru, AppliesTheSourcesConfiguredZoneToObservationTimes) {
  Hl7v2Settings settings;
  settings.zone_offsets["MONITOR/ICU"] = std::chrono::minutes{-300};
  const auto result =
      map(hl7({kOruMsh, kPid, "OBX|1|NM|8480-6^^LN||120|mm[Hg]|||||F|||202405010700"}), settings);
  ASSERT_EQ(result.samples.size(), 1U);
  EXPECT_EQ(result.samples[0].time, time::parse_iso8601("2024-05-01T12:00:00Z"));
}

TEST(Hl7v2Oru, RejectsResultsWithoutAUsablePatient) {
  const auto orphan = map(hl7({kOruMsh, "OBX|1|NM|8480-6^^LN||120|mm[Hg]|||||F"})).rejected;
  ASSERT_EQ(orphan.size(), 1U);
  EXPECT_NE(orphan[0].problem.reason.find("OBX[1]: '' follows no PID"), std::string::npos);
  const auto no_authority =
      map(hl7({kOruMsh, "PID|1||123456^^^^MR", kObr, "OBX|1|NM|8480-6^^LN||120|mm[Hg]|||||F",
               "OBX|2|NM|8462-4^^LN||80|mm[Hg]|||||F"}))
          .rejected;
  ASSERT_EQ(no_authority.size(), 2U) << "each result of that patient";
  EXPECT_NE(no_authority[1].problem.reason.find("PID[1]-3: '123456^^^^MR' holds no identifier "
                                                "with an assigning authority"),
            std::string::npos)
      << no_authority[1].problem.reason;
  EXPECT_EQ(no_authority[1].label, "OBX[2]");
  EXPECT_EQ(no_authority[1].problem.location, (ErrorLocation{"PID", 1, 3}));
}

TEST(Hl7v2Oru, SeparatesPatientsOfOneMessage) {
  const auto result = map(hl7({kOruMsh, kPid, kObr, "OBX|1|NM|8867-4^^LN||72|/min|||||F",
                               "PID|2||999^^^HOSP&1.2.3&ISO^PI~777^^^OTHER^MR", kObr,
                               "OBX|2|NM|8867-4^^LN||90|/min|||||F"}));
  ASSERT_EQ(result.samples.size(), 2U);
  EXPECT_EQ(result.samples[0].patient_id, patient_id_of("HOSP", "123456"));
  EXPECT_EQ(result.samples[1].patient_id, patient_id_of("OTHER", "777")) << "MR preferred";
  EXPECT_NE(result.samples[0].patient_id, result.samples[1].patient_id);
  EXPECT_EQ(result.samples[0].patient_id.size(), 38U);
}

TEST(Hl7v2Oru, ReadsNmNumbers) {
  EXPECT_EQ(parse_nm("120", "x"), 120.0);
  EXPECT_EQ(parse_nm("-0.5", "x"), -0.5);
  EXPECT_EQ(parse_nm("+.5", "x"), 0.5);
  EXPECT_EQ(parse_nm("5.", "x"), 5.0);
  for (const auto* bad : {"", "-", ".", "1.2.3", "1e5", "0x10", " 1", "1 ", "inf", "nan",
                          "--1"}) {
    EXPECT_THROW((void)parse_nm(bad, "x"), InputError) << bad;
  }
  EXPECT_THROW((void)parse_nm(std::string(400, '9'), "x"), InputError);
}

}  // namespace
}  // namespace ptwin::ingest::hl7v2
