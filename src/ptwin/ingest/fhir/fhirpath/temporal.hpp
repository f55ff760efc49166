// SPDX-License-Identifier: Apache-2.0
#pragma once
// FHIRPath System.Date, System.DateTime and System.Time with partial precision
// (FHIRPath N1 §"Date, DateTime and Time"): `@2014` is a date known to the year only, and
// comparing it with `@2014-05-06` gives no answer (empty) rather than a guess. Seconds and
// milliseconds count as one precision for comparison (`@T10:30:00 = @T10:30:00.0`). A DateTime
// keeps the offset it was written with; arithmetic works on the local fields and keeps that
// offset, comparison normalises both sides to UTC first.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ptwin/ingest/fhir/fhirpath/decimal.hpp"

namespace ptwin::ingest::fhir::fhirpath {

enum class TemporalKind { Date, DateTime, Time };
enum class TemporalPrecision { Year, Month, Day, Hour, Minute, Second, Millisecond };

/// The calendar duration units of FHIRPath (`year`, `month`, ... `millisecond`), also reached
/// from the definite UCUM codes 'wk', 'd', 'h', 'min', 's' and 'ms'.
enum class CalendarUnit { Year, Month, Week, Day, Hour, Minute, Second, Millisecond };

struct Temporal {
  TemporalKind kind = TemporalKind::Date;
  TemporalPrecision precision = TemporalPrecision::Day;
  int year = 1;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int millisecond = 0;
  /// Local time minus UTC, DateTime only; nullopt when the value was written without one.
  std::optional<int> offset_minutes;

  /// `YYYY[-MM[-DD]]`.
  [[nodiscard]] static std::optional<Temporal> parse_date(std::string_view text);
  /// `YYYY[-MM[-DD]][T[hh[:mm[:ss[.f+]]]]][Z|(+|-)hh:mm]` as in FHIR dateTime/instant and in
  /// FHIRPath DateTime literals (after the '@'); the offset needs an hour. Fractions beyond
  /// milliseconds are truncated.
  [[nodiscard]] static std::optional<Temporal> parse_date_time(std::string_view text);
  /// `hh[:mm[:ss[.f+]]]` (after "@T" in a literal; FHIR time has no offset).
  [[nodiscard]] static std::optional<Temporal> parse_time(std::string_view text);
  /// `instant` as the local date-time at `offset` (for now(), today() and timeOfDay()).
  [[nodiscard]] static Temporal from_instant(
      std::chrono::sys_time<std::chrono::nanoseconds> instant, std::chrono::minutes offset,
      TemporalKind kind);

  /// The FHIR text form, without the '@' of a literal: "2014-05", "2014-05-06T10:30:00.000+02:00",
  /// "10:30". A DateTime known only to the day or less prints as its date.
  [[nodiscard]] std::string to_string() const;
  /// FHIRPath precision(): digits of the value (Date/DateTime 4, 6, 8, 10, 12, 14, 17; Time 2,
  /// 4, 6, 9).
  [[nodiscard]] int precision_digits() const;
};

/// -1, 0, +1, or nullopt when the answer depends on digits that one side does not have (or on
/// the offset of a value written without one).
[[nodiscard]] std::optional<int> compare(const Temporal& left, const Temporal& right);
/// FHIRPath `=`: nullopt when compare() has no answer.
[[nodiscard]] std::optional<bool> equal(const Temporal& left, const Temporal& right);
/// FHIRPath `~`: values of different precision are not equivalent.
[[nodiscard]] bool equivalent(const Temporal& left, const Temporal& right);

/// `value + amount unit` (amount may be negative). Above seconds the fraction of `amount` is
/// dropped, as the specification requires; a result finer than `value`'s precision is cut back
/// to it. nullopt when the unit does not apply (a day added to a Time) or the result leaves
/// years 1..9999.
[[nodiscard]] std::optional<Temporal> add(const Temporal& value, const Decimal& amount,
                                          CalendarUnit unit);

/// FHIRPath lowBoundary()/highBoundary(): the earliest/latest value that `value` may stand
/// for, at `precision_digits` (see Temporal::precision_digits). A DateTime without an offset is
/// taken at +14:00 (low) or -12:00 (high). nullopt for a precision that the kind does not have.
[[nodiscard]] std::optional<Temporal> low_boundary(const Temporal& value, int precision_digits);
[[nodiscard]] std::optional<Temporal> high_boundary(const Temporal& value, int precision_digits);

}  // namespace ptwin::ingest::fhir::fhirpath
