// SPDX-License-Identifier: Apache-2.0
#pragma once
// UTC instants and the parsers that turn source timestamps into them. Everything inside the
// engine is a UTC instant with nanosecond resolution (STYLE.md §5); a timestamp whose offset
// from UTC is unknown is rejected at the boundary rather than guessed. Rules and examples:
// docs/core.md#time.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ptwin::time {

/// A point in UTC (POSIX time: no leap seconds), in nanoseconds since 1970-01-01T00:00:00Z.
/// Representable range: 1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z.
using Instant = std::chrono::sys_time<std::chrono::nanoseconds>;

/// Parses an ISO 8601 / RFC 3339 date-time in extended format, as used by FHIR dateTime and
/// instant: `YYYY-MM-DDThh:mm[:ss[.f{1,9}]]` followed by `Z`, `±hh:mm`, `±hhmm` or `±hh`.
/// 't', 'z' and a space instead of 'T' are accepted (RFC 3339 §5.6); ',' may separate the
/// fraction (ISO 8601). `assumed_offset` (local time minus UTC) is applied only to a value
/// that carries no offset of its own. `where` names the field in errors.
/// Throws InputError: BadInput for bad syntax, an impossible date or time (Feb 30, hour 24,
/// leap second 60) or an instant outside the representable range; AmbiguousTime for a value
/// without an offset and no `assumed_offset`, and for a date without a time of day.
[[nodiscard]] Instant parse_iso8601(
    std::string_view text, std::optional<std::chrono::minutes> assumed_offset = std::nullopt,
    std::string_view where = "ISO 8601 timestamp");

/// Formats as `YYYY-MM-DDThh:mm:ssZ` in UTC, with a fraction of exactly 3, 6 or 9 digits when
/// the instant is not a whole second (the shortest of the three that is exact), e.g.
/// "2024-05-01T12:00:00Z", "2024-05-01T12:00:00.120Z", "2024-05-01T12:00:00.000000001Z".
/// parse_iso8601(format_iso8601(t)) == t for every Instant.
[[nodiscard]] std::string format_iso8601(Instant instant);

/// Parses a DICOM DT value (PS3.5 §6.2, Table 6.2-1):
/// `YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&ZZXX]`, padded with trailing spaces at most. Omitted
/// trailing components mean "not precise to that component"; the instant returned is the start
/// of the period named. The offset is the value's own `&ZZXX` suffix if present, otherwise
/// `timezone_offset_from_utc` (the dataset's Timezone Offset From UTC (0008,0201), see
/// parse_dicom_timezone_offset).
/// Throws InputError: BadInput for bad syntax or an impossible date or time; AmbiguousTime
/// when neither offset is available.
[[nodiscard]] Instant parse_dicom_dt(std::string_view dt,
                                     std::optional<std::chrono::minutes> timezone_offset_from_utc,
                                     std::string_view where = "DICOM DT");

/// Parses a DICOM DA (`YYYYMMDD`, or the pre-3.0 `YYYY.MM.DD`) and TM
/// (`HH[MM[SS[.F{1,6}]]]`, or the pre-3.0 `HH:MM[:SS[.F{1,6}]]`) pair, e.g. Study Date
/// (0008,0020) and Study Time (0008,0030), per PS3.5 §6.2. Both may carry trailing spaces.
/// TM has no offset of its own: `timezone_offset_from_utc` (0008,0201) is required.
/// Throws InputError: BadInput for bad syntax or an impossible date or time; AmbiguousTime
/// when the offset is absent or TM is empty.
[[nodiscard]] Instant parse_dicom_da_tm(
    std::string_view da, std::string_view tm,
    std::optional<std::chrono::minutes> timezone_offset_from_utc,
    std::string_view where = "DICOM DA/TM");

/// Parses Timezone Offset From UTC (0008,0201), `&ZZXX` such as "+0100" or "-0500", in the
/// range -1200 to +1400 (PS3.5 §6.2, DT). Leading and trailing spaces are ignored (SH VR).
/// Returns local time minus UTC. Throws InputError(BadInput).
[[nodiscard]] std::chrono::minutes parse_dicom_timezone_offset(
    std::string_view text, std::string_view where = "DICOM Timezone Offset From UTC (0008,0201)");

/// Milliseconds since the Unix epoch (JavaScript, MQTT payloads) to an Instant. Every int64
/// millisecond count that fits the Instant range is exact; others throw InputError(BadInput).
[[nodiscard]] Instant from_epoch_ms(std::int64_t milliseconds_since_epoch);

/// Nanoseconds since the Unix epoch to an Instant (the storage representation). Never throws.
[[nodiscard]] constexpr Instant from_epoch_ns(std::int64_t nanoseconds_since_epoch) noexcept {
  return Instant{std::chrono::nanoseconds{nanoseconds_since_epoch}};
}

/// An Instant as nanoseconds since the Unix epoch (the storage representation). Never throws.
[[nodiscard]] constexpr std::int64_t to_epoch_ns(Instant instant) noexcept {
  return instant.time_since_epoch().count();
}

}  // namespace ptwin::time
