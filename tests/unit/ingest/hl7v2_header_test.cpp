// SPDX-License-Identifier: Apache-2.0
// MSH read into a typed header, and the message-level refusals (ACK AR) it makes.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "hl7v2_test_support.hpp"
#include "ptwin/ingest/hl7v2/header.hpp"
#include "ptwin/ingest/hl7v2/hl7v2_error.hpp"
#include "ptwin/ingest/hl7v2/reader.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

using test_support::hl7;

MessageHeader header_of(std::string_view msh, const Hl7v2Settings& settings = {}) {
  return read_header(Message::parse(hl7({msh}), "test.hl7"), settings);
}

Hl7v2Error header_error(std::string_view msh, const Hl7v2Settings& settings = {}) {
  try {
    (void)header_of(msh, settings);
  } catch (const Hl7v2Error& error) {
    return error;
  }
  ADD_FAILURE() << "accepted " << msh;
  return Hl7v2Error(ErrorCode::Internal, ConditionCode::ApplicationInternalError, "", "", "");
}

TEST(Hl7v2Header, ReadsTheTypedFields) {
  const auto header = header_of(
      "MSH|^~\\&|MONITOR^1.2.3^ISO|ICU|PTWIN|HOSP|20240501140000+0200||ORU^R01^ORU_R01|"
      "MSG0001|P|2.5.1^DEU|||AL|NE||UNICODE UTF-8");
  EXPECT_EQ(header.sending_application, "MONITOR");
  EXPECT_EQ(header.sending_facility, "ICU");
  EXPECT_EQ(header.receiving_application, "PTWIN");
  EXPECT_EQ(header.receiving_facility, "HOSP");
  EXPECT_EQ(header.time, time::parse_iso8601("2024-05-01T12:00:00Z"));
  EXPECT_EQ(header.type, (MessageType{"ORU", "R01", "ORU_R01"}));
  EXPECT_EQ(header.control_id, "MSG0001");
  EXPECT_EQ(header.processing_id, "P");
  EXPECT_EQ(header.version, "2.5.1");
  EXPECT_EQ(header.accept_ack_type, "AL");
  EXPECT_EQ(header.application_ack_type, "NE");
  EXPECT_EQ(header.charset, Charset::Utf8);
  EXPECT_EQ(header.source(), "hl7v2:MONITOR/ICU");
  EXPECT_EQ(header_of("MSH|^~\\&|^1.2.3^ISO||||202405011200+0000||ADT^A08|X|P|2.3").source(),
            "hl7v2:1.2.3/");
}

TEST(Hl7v2Header, UsesTheSourcesConfiguredOffsetForMsh7) {
  constexpr std::string_view kLocal =
      "MSH|^~\\&|MONITOR|ICU|||20240501140000||ORU^R01|1|P|2.5.1";
  try {
    (void)header_of(kLocal);
    ADD_FAILURE() << "accepted a local time without a configured offset";
  } catch (const InputError& error) {
    EXPECT_EQ(error.code(), ErrorCode::AmbiguousTime);
    EXPECT_EQ(error.where(), "test.hl7: MSH-7");
  }
  Hl7v2Settings settings;
  settings.zone_offsets["MONITOR/ICU"] = std::chrono::minutes{120};
  EXPECT_EQ(header_of(kLocal, settings).time, time::parse_iso8601("2024-05-01T12:00:00Z"));
  settings.zone_offsets = {{"MONITOR/OR", std::chrono::minutes{120}}};
  EXPECT_THROW((void)header_of(kLocal, settings), InputError) << "another source's offset";
}

TEST(Hl7v2Header, RefusesUnsupportedTypesVersionsAndProcessingIds) {
  const auto type = header_error("MSH|^~\\&|A|B|||20240501120000+0000||ORM^O01|1|P|2.5.1");
  EXPECT_EQ(type.condition(), ConditionCode::UnsupportedMessageType);
  EXPECT_EQ(type.where(), "test.hl7: MSH-9");
  EXPECT_EQ(type.value(), "ORM");
  const auto trigger = header_error("MSH|^~\\&|A|B|||20240501120000+0000||ADT^A04|1|P|2.5.1");
  EXPECT_EQ(trigger.condition(), ConditionCode::UnsupportedEventCode);
  EXPECT_EQ(trigger.where(), "test.hl7: MSH-9.2");
  EXPECT_EQ(trigger.value(), "A04");
  const auto version = header_error("MSH|^~\\&|A|B|||20240501120000+0000||ORU^R01|1|P|2.2");
  EXPECT_EQ(version.condition(), ConditionCode::UnsupportedVersionId);
  EXPECT_EQ(version.where(), "test.hl7: MSH-12");
  const auto training = header_error("MSH|^~\\&|A|B|||20240501120000+0000||ORU^R01|1|T|2.5.1");
  EXPECT_EQ(training.condition(), ConditionCode::UnsupportedProcessingId);
  EXPECT_EQ(training.where(), "test.hl7: MSH-11");
  Hl7v2Settings settings;
  settings.processing_ids = {"P", "T"};
  EXPECT_EQ(header_of("MSH|^~\\&|A|B|||20240501120000+0000||ORU^R01|1|T|2.5.1", settings)
                .processing_id,
            "T");
}

TEST(Hl7v2Header, RefusesMissingRequiredFieldsNamingThem) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"MSH|^~\\&|A|B|||20240501120000+0000||^R01|1|P|2.5.1", "MSH-9"},
      {"MSH|^~\\&|A|B|||20240501120000+0000||ORU|1|P|2.5.1", "MSH-9.2"},
      {"MSH|^~\\&|A|B|||20240501120000+0000||ORU^R01||P|2.5.1", "MSH-10"},
      {"MSH|^~\\&|A|B|||20240501120000+0000||ORU^R01|1|P", "MSH-12"},
      {"MSH|^~\\&|A|B|||20240501120000+0000||ORU^R01|1||2.5.1", "MSH-11"},
      {"MSH|^~\\&|A|B|||||ORU^R01|1|P|2.5.1", "MSH-7"}};
  for (const auto& [msh, field] : cases) {
    const auto error = header_error(msh);
    EXPECT_EQ(error.code(), ErrorCode::MissingField) << msh;
    EXPECT_EQ(error.condition(), ConditionCode::RequiredFieldMissing);
    EXPECT_EQ(error.where(), "test.hl7: " + field);
  }
}

TEST(Hl7v2Header, AcceptMessageNamesTheSenderInLaterErrors) {
  const auto accepted = accept_message(test_support::good_oru(), "peer", {});
  EXPECT_EQ(accepted.message.source(), "hl7v2:MONITOR/ICU message MSG0001");
  EXPECT_EQ(accepted.message.find("OBX")->where(6),
            "hl7v2:MONITOR/ICU message MSG0001: OBX[1]-6");
}

TEST(Hl7v2Settings, RefusesOffsetsBeyondFourteenHours) {
  Hl7v2Settings settings;
  settings.zone_offsets["A/B"] = std::chrono::minutes{15 * 60};
  try {
    validate(settings);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "hl7v2.zone_offsets[A/B]");
  }
  settings.zone_offsets["A/B"] = std::chrono::minutes{-14 * 60};
  EXPECT_NO_THROW(validate(settings));
  settings.processing_ids.clear();
  EXPECT_THROW(validate(settings), InputError);
}

}  // namespace
}  // namespace ptwin::ingest::hl7v2
