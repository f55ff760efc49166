// SPDX-License-Identifier: Apache-2.0
#pragma once
// HL7 v2 time stamps (DTM, and the first component of the older TS): 
// YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ] (v2.5.1 chapter 2A, DTM). The standard says a
// value without +/-ZZZZ is in the sender's local time, which the receiver cannot know: ptwin
// never guesses it (not from the machine, not from MSH-7) and needs the source's offset
// configured instead (Hl7v2Settings::zone_offsets).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "ptwin/core/time.hpp"

namespace ptwin::ingest::hl7v2 {

/// Reads a DTM that names an instant: at least YYYYMMDDHHMM, seconds and a fraction of 1 to 4
/// digits optional, then the value's own offset +/-HHMM, or else `assumed_offset` (local time
/// minus UTC, the source's configured zone). `where` names the field in errors.
/// Throws InputError: BadInput for bad syntax, an impossible date or time (checked by
/// time::parse_iso8601) or an offset that is not 4 digits; AmbiguousTime for a value less
/// precise than the minute, or without an offset when none is configured.
[[nodiscard]] time::Instant parse_dtm(std::string_view text,
                                      std::optional<std::chrono::minutes> assumed_offset,
                                      std::string_view where);

/// Reads the date part of a DTM as a FHIR date: "YYYY", "YYYY-MM" or "YYYY-MM-DD" (a birth
/// date is a calendar date; its time and offset, if any, are dropped). Throws
/// InputError(BadInput) naming `where` for bad syntax or an impossible date.
[[nodiscard]] std::string dtm_to_fhir_date(std::string_view text, std::string_view where);

/// Writes `instant` as a DTM in UTC to the second: "YYYYMMDDHHMMSS+0000".
[[nodiscard]] std::string format_dtm(time::Instant instant);

}  // namespace ptwin::ingest::hl7v2
