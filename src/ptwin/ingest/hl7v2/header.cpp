// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/header.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/hl7v2/dtm.hpp"
#include "ptwin/ingest/hl7v2/hl7v2_error.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

constexpr std::array<std::string_view, 12> kVersions{"2.3",   "2.3.1", "2.4",   "2.5",
                                                     "2.5.1", "2.6",   "2.7",   "2.7.1",
                                                     "2.8",   "2.8.1", "2.8.2", "2.9"};

struct ReadableType {
  std::string_view code;
  std::string_view trigger;
};
constexpr std::array<ReadableType, 4> kReadableTypes{
    ReadableType{"ORU", "R01"}, ReadableType{"ADT", "A01"}, ReadableType{"ADT", "A03"},
    ReadableType{"ADT", "A08"}};

// HD (hierarchic designator): the namespace id, else the universal id.
std::string read_hd(const Segment& msh, std::size_t field) {
  auto text = msh.value(field, 1, 1);
  return text.empty() ? msh.value(field, 1, 2) : text;
}

std::string required(const Segment& msh, std::size_t field, std::size_t component,
                     std::string_view what) {
  auto text = msh.value(field, 1, component);
  if (text.empty()) {
    throw Hl7v2Error(ErrorCode::MissingField, ConditionCode::RequiredFieldMissing,
                     msh.where(field, 1, component > 1 ? component : 0), "",
                     fmt::format("is required ({})", what));
  }
  return text;
}

void check_type(const Segment& msh, const MessageType& type) {
  const bool is_known_code = std::any_of(kReadableTypes.begin(), kReadableTypes.end(),
                                         [&](const auto& t) { return t.code == type.code; });
  if (!is_known_code) {
    throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::UnsupportedMessageType, msh.where(9),
                     printable_value(type.code),
                     "is a message type ptwin does not read (ORU^R01, ADT^A01, ADT^A03, "
                     "ADT^A08)");
  }
  const bool is_known =
      std::any_of(kReadableTypes.begin(), kReadableTypes.end(), [&](const auto& t) {
        return t.code == type.code && t.trigger == type.trigger;
      });
  if (!is_known) {
    throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::UnsupportedEventCode, msh.where(9, 1, 2),
                     printable_value(type.trigger),
                     fmt::format("is a trigger event ptwin does not read for {} (ORU^R01, "
                                 "ADT^A01, ADT^A03, ADT^A08)",
                                 printable_value(type.code)));
  }
}

}  // namespace

std::string MessageHeader::source_key() const {
  return fmt::format("{}/{}", sending_application, sending_facility);
}

std::string MessageHeader::source() const {
  return fmt::format("hl7v2:{}", printable_value(source_key()));
}

bool is_supported_version(std::string_view version) {
  return std::find(kVersions.begin(), kVersions.end(), version) != kVersions.end();
}

MessageHeader read_header(const Message& message, const Hl7v2Settings& settings) {
  const auto& msh = message.segments().front();
  MessageHeader header;
  header.charset = message.charset();
  header.sending_application = read_hd(msh, 3);
  header.sending_facility = read_hd(msh, 4);
  header.receiving_application = read_hd(msh, 5);
  header.receiving_facility = read_hd(msh, 6);
  header.type.code = required(msh, 9, 1, "the message code, e.g. ORU");
  header.type.trigger = required(msh, 9, 2, "the trigger event, e.g. R01");
  header.type.structure = msh.value(9, 1, 3);
  header.control_id = required(msh, 10, 1, "the message control id the ACK echoes");
  header.version = required(msh, 12, 1, "the HL7 version, e.g. 2.5.1");
  if (!is_supported_version(header.version)) {
    throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::UnsupportedVersionId, msh.where(12),
                     printable_value(header.version),
                     "is an HL7 version ptwin does not read (2.3 to 2.9)");
  }
  header.processing_id = required(msh, 11, 1, "P, T or D");
  const auto& accepted = settings.processing_ids;
  if (std::find(accepted.begin(), accepted.end(), header.processing_id) == accepted.end()) {
    throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::UnsupportedProcessingId, msh.where(11),
                     printable_value(header.processing_id),
                     fmt::format("is a processing id this receiver does not take (it takes {})",
                                 fmt::join(accepted, ", ")));
  }
  check_type(msh, header.type);
  header.accept_ack_type = msh.value(15);
  header.application_ack_type = msh.value(16);
  const auto time_text = required(msh, 7, 1, "the time the message was created");
  header.time = parse_dtm(time_text, settings.zone_offset(header.source_key()), msh.where(7));
  return header;
}

}  // namespace ptwin::ingest::hl7v2
