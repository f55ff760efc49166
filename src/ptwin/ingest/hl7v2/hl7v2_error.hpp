// SPDX-License-Identifier: Apache-2.0
#pragma once
// The error an HL7 v2 message is refused with: an InputError (where, value, rule) that also
// carries the HL7 condition code (table 0357) an acknowledgement reports in ERR-3.

#include <string>
#include <string_view>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::hl7v2 {

/// HL7 table 0357 "Message error condition codes" (v2.5.1 chapter 2, ERR-3), the subset ptwin
/// reports.
enum class ConditionCode {
  SegmentSequenceError = 100,
  RequiredFieldMissing = 101,
  DataTypeError = 102,
  TableValueNotFound = 103,
  UnsupportedMessageType = 200,
  UnsupportedEventCode = 201,
  UnsupportedProcessingId = 202,
  UnsupportedVersionId = 203,
  ApplicationInternalError = 207,
};

/// An InputError with the condition code an ACK reports for it.
class Hl7v2Error : public InputError {
 public:
  Hl7v2Error(ErrorCode code, ConditionCode condition, std::string where, std::string value,
             std::string rule);
  [[nodiscard]] ConditionCode condition() const noexcept { return condition_; }

 private:
  ConditionCode condition_;
};

/// The condition code of any InputError: the one an Hl7v2Error carries, otherwise derived from
/// its ErrorCode (MissingField → 101, UnknownUnit and UnitMismatch → 103, others → 102).
[[nodiscard]] ConditionCode condition_of(const InputError& error);

/// Bytes as they may appear in an error message when they are not known to be text in any
/// encoding: printable ASCII as is, every other byte as \xNN, cut after 64 bytes
/// (printable_value keeps bytes above 0x7F, which would make a reason that is not UTF-8).
[[nodiscard]] std::string printable_bytes(std::string_view bytes);

/// The text HL7 gives each condition code ("Required field missing", ...).
[[nodiscard]] std::string_view condition_text(ConditionCode condition);

}  // namespace ptwin::ingest::hl7v2
