// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/hl7v2_error.hpp"

#include <utility>

#include <fmt/format.h>

namespace ptwin::ingest::hl7v2 {

Hl7v2Error::Hl7v2Error(ErrorCode code, ConditionCode condition, std::string where,
                       std::string value, std::string rule)
    : InputError(code, std::move(where), std::move(value), std::move(rule)),
      condition_(condition) {}

ConditionCode condition_of(const InputError& error) {
  if (const auto* hl7 = dynamic_cast<const Hl7v2Error*>(&error)) return hl7->condition();
  switch (error.code()) {
    case ErrorCode::MissingField:
      return ConditionCode::RequiredFieldMissing;
    case ErrorCode::UnknownUnit:
    case ErrorCode::UnitMismatch:
      return ConditionCode::TableValueNotFound;
    default:
      return ConditionCode::DataTypeError;
  }
}

std::string printable_bytes(std::string_view bytes) {
  constexpr std::size_t kMaxShownLength = 64;
  std::string out;
  for (const char c : bytes.substr(0, kMaxShownLength)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out.push_back(c);
    }
  }
  if (bytes.size() > kMaxShownLength) out += fmt::format("...({} bytes)", bytes.size());
  return out;
}

std::string_view condition_text(ConditionCode condition) {
  switch (condition) {
    case ConditionCode::SegmentSequenceError:
      return "Segment sequence error";
    case ConditionCode::RequiredFieldMissing:
      return "Required field missing";
    case ConditionCode::DataTypeError:
      return "Data type error";
    case ConditionCode::TableValueNotFound:
      return "Table value not found";
    case ConditionCode::UnsupportedMessageType:
      return "Unsupported message type";
    case ConditionCode::UnsupportedEventCode:
      return "Unsupported event code";
    case ConditionCode::UnsupportedProcessingId:
      return "Unsupported processing id";
    case ConditionCode::UnsupportedVersionId:
      return "Unsupported version id";
    case ConditionCode::ApplicationInternalError:
      return "Application internal error";
  }
  return "Application internal error";
}

}  // namespace ptwin::ingest::hl7v2
