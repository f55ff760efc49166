// SPDX-License-Identifier: Apache-2.0
#pragma once
// One reason a message or a segment was not accepted, in the two forms it is reported in: the
// text kept with the quarantined bytes, and the location and condition code of an ACK's ERR
// segment.

#include <cstddef>
#include <string>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/hl7v2/hl7v2_error.hpp"

namespace ptwin::ingest::hl7v2 {

/// ERR-2 (ERL): where in the message the problem is; an empty segment id names none.
struct ErrorLocation {
  std::string segment_id;
  std::size_t sequence = 0;  // 1-based among segments with that id
  std::size_t field = 0;     // 0: the segment as a whole
  friend bool operator==(const ErrorLocation&, const ErrorLocation&) = default;
};

struct Problem {
  std::string reason;  // InputError::what(): field path, offending value, rule, [error-code]
  ErrorCode code = ErrorCode::BadInput;
  ConditionCode condition = ConditionCode::DataTypeError;
  ErrorLocation location;
};

/// The location an error's `where` names when it ends in a field path written by
/// Segment::where or Segment::path ("...: OBX[3]-6", "...: MSH-9.2", "...: PID[1]"); empty
/// otherwise.
[[nodiscard]] ErrorLocation location_of(std::string_view where);

/// The problem an InputError describes, located where its `where` says.
[[nodiscard]] Problem problem_of(const InputError& error);

}  // namespace ptwin::ingest::hl7v2
