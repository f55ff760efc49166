// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/fhirpath/temporal.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

#include <fmt/format.h>

namespace ptwin::ingest::fhir::fhirpath {
namespace {

using Precision = TemporalPrecision;

constexpr std::int64_t kMsPerMinute = 60'000;
constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr int kEarliestOffsetMinutes = 14 * 60;  // +14:00 (Line Islands)
constexpr int kLatestOffsetMinutes = -12 * 60;   // -12:00 (Baker Island)

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays.at(static_cast<std::size_t>(month - 1));
}

// Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse below;
// standard era arithmetic with 400-year cycles of 146097 days).
std::int64_t days_from_civil(int year, int month, int day) {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t year_of_era = y - era * 400;
  const std::int64_t month_index = (month + 9) % 12;  // March = 0
  const std::int64_t day_of_year = (153 * month_index + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

void civil_from_days(std::int64_t days, int& year, int& month, int& day) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t day_of_era = days - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_index = (5 * day_of_year + 2) / 153;
  day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
  month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
}

// Milliseconds since 1970-01-01T00:00 of the local fields (offset not applied).
std::int64_t local_epoch_ms(const Temporal& t) {
  return days_from_civil(t.year, t.month, t.day) * kMsPerDay + t.hour * 3'600'000LL +
         t.minute * kMsPerMinute + t.second * 1000LL + t.millisecond;
}

void set_from_local_epoch_ms(Temporal& t, std::int64_t ms) {
  std::int64_t days = ms / kMsPerDay;
  std::int64_t rest = ms % kMsPerDay;
  if (rest < 0) {
    rest += kMsPerDay;
    --days;
  }
  civil_from_days(days, t.year, t.month, t.day);
  t.hour = static_cast<int>(rest / 3'600'000);
  t.minute = static_cast<int>(rest / kMsPerMinute % 60);
  t.second = static_cast<int>(rest / 1000 % 60);
  t.millisecond = static_cast<int>(rest % 1000);
}

bool in_year_range(const Temporal& t) { return t.year >= 1 && t.year <= 9999; }

// Cursor over fixed-width digit groups.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}
  [[nodiscard]] bool done() const { return position_ == text_.size(); }
  [[nodiscard]] bool peek(char c) const {
    return position_ < text_.size() && text_[position_] == c;
  }
  bool accept(char c) {
    if (!peek(c)) return false;
    ++position_;
    return true;
  }
  // Exactly `width` digits.
  std::optional<int> digits(std::size_t width) {
    if (position_ + width > text_.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < width; ++i) {
      const char c = text_[position_ + i];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    position_ += width;
    return value;
  }
  // One or more digits as milliseconds (first three digits, padded; the rest dropped).
  std::optional<int> fraction_ms() {
    int value = 0;
    std::size_t count = 0;
    while (position_ < text_.size() && text_[position_] >= '0' && text_[position_] <= '9') {
      if (count < 3) value = value * 10 + (text_[position_] - '0');
      ++count;
      ++position_;
    }
    if (count == 0) return std::nullopt;
    for (std::size_t i = count; i < 3; ++i) value *= 10;
    return value;
  }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
};

// hh[:mm[:ss[.f+]]] into `t`; false on bad syntax or range.
bool read_time_of_day(Reader& reader, Temporal& t) {
  const auto hour = reader.digits(2);
  if (!hour || *hour > 23) return false;
  t.hour = *hour;
  t.precision = Precision::Hour;
  if (!reader.accept(':')) return true;
  const auto minute = reader.digits(2);
  if (!minute || *minute > 59) return false;
  t.minute = *minute;
  t.precision = Precision::Minute;
  if (!reader.accept(':')) return true;
  const auto second = reader.digits(2);
  if (!second || *second > 59) return false;
  t.second = *second;
  t.precision = Precision::Second;
  if (!reader.accept('.')) return true;
  const auto ms = reader.fraction_ms();
  if (!ms) return false;
  t.millisecond = *ms;
  t.precision = Precision::Millisecond;
  return true;
}

// YYYY[-MM[-DD]] into `t`.
bool read_date(Reader& reader, Temporal& t) {
  const auto year = reader.digits(4);
  if (!year || *year < 1) return false;
  t.year = *year;
  t.precision = Precision::Year;
  if (!reader.accept('-')) return true;
  const auto month = reader.digits(2);
  if (!month || *month < 1 || *month > 12) return false;
  t.month = *month;
  t.precision = Precision::Month;
  if (!reader.accept('-')) return true;
  const auto day = reader.digits(2);
  if (!day || *day < 1 || *day > days_in_month(t.year, t.month)) return false;
  t.day = *day;
  t.precision = Precision::Day;
  return true;
}

bool read_offset(Reader& reader, Temporal& t) {
  if (reader.accept('Z')) {
    t.offset_minutes = 0;
    return true;
  }
  const bool negative = reader.peek('-');
  if (!reader.accept('+') && !reader.accept('-')) return true;  // no offset
  const auto hours = reader.digits(2);
  if (!hours || !reader.accept(':')) return false;
  const auto minutes = reader.digits(2);
  if (!minutes || *minutes > 59 || *hours > 14) return false;
  t.offset_minutes = (negative ? -1 : 1) * (*hours * 60 + *minutes);
  return true;
}

int precision_rank(Precision precision) {
  // Seconds and milliseconds are one precision for comparison (FHIRPath N1 §"Comparison").
  return precision == Precision::Millisecond ? static_cast<int>(Precision::Second)
                                             : static_cast<int>(precision);
}

// The components compared in order; the last one is seconds in milliseconds.
std::array<std::int64_t, 6> components(const Temporal& t) {
  return {t.year, t.month, t.day, t.hour, t.minute, t.second * 1000LL + t.millisecond};
}

Temporal to_utc(Temporal t, int offset_minutes) {
  set_from_local_epoch_ms(t, local_epoch_ms(t) - offset_minutes * kMsPerMinute);
  t.offset_minutes = 0;
  return t;
}

std::optional<int> compare_fields(const Temporal& left, const Temporal& right) {
  const auto a = components(left);
  const auto b = components(right);
  const bool times_only = left.kind == TemporalKind::Time;
  const int first = times_only ? static_cast<int>(Precision::Hour) : 0;
  const int left_rank = precision_rank(left.precision);
  const int right_rank = precision_rank(right.precision);
  const int common = std::min(left_rank, right_rank);
  for (int i = first; i <= common; ++i) {
    const auto index = static_cast<std::size_t>(i);
    if (a.at(index) != b.at(index)) return a.at(index) < b.at(index) ? -1 : 1;
  }
  if (left_rank != right_rank) return std::nullopt;
  return 0;
}

bool has_time(const Temporal& t) {
  return t.kind == TemporalKind::DateTime && t.precision >= Precision::Hour;
}

}  // namespace

std::optional<Temporal> Temporal::parse_date(std::string_view text) {
  Temporal t;
  t.kind = TemporalKind::Date;
  Reader reader(text);
  if (!read_date(reader, t) || !reader.done()) return std::nullopt;
  return t;
}

std::optional<Temporal> Temporal::parse_date_time(std::string_view text) {
  Temporal t;
  t.kind = TemporalKind::DateTime;
  Reader reader(text);
  if (!read_date(reader, t)) return std::nullopt;
  if (reader.accept('T') && !reader.done()) {
    if (t.precision != Precision::Day || !read_time_of_day(reader, t) || !read_offset(reader, t)) {
      return std::nullopt;
    }
  }
  if (!reader.done()) return std::nullopt;
  return t;
}

std::optional<Temporal> Temporal::parse_time(std::string_view text) {
  Temporal t;
  t.kind = TemporalKind::Time;
  Reader reader(text);
  if (!read_time_of_day(reader, t) || !reader.done()) return std::nullopt;
  return t;
}

Temporal Temporal::from_instant(std::chrono::sys_time<std::chrono::nanoseconds> instant,
                                std::chrono::minutes offset, TemporalKind kind) {
  Temporal t;
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(instant).time_since_epoch().count();
  set_from_local_epoch_ms(t, ms + offset.count() * kMsPerMinute);
  t.kind = kind;
  switch (kind) {
    case TemporalKind::Date:
      t.precision = Precision::Day;
      t.hour = t.minute = t.second = t.millisecond = 0;
      break;
    case TemporalKind::DateTime:
      t.precision = Precision::Millisecond;
      t.offset_minutes = static_cast<int>(offset.count());
      break;
    case TemporalKind::Time:
      t.precision = Precision::Millisecond;
      break;
  }
  return t;
}

std::string Temporal::to_string() const {
  std::string time_text = fmt::format("{:02}", hour);
  if (precision >= Precision::Minute) time_text += fmt::format(":{:02}", minute);
  if (precision >= Precision::Second) time_text += fmt::format(":{:02}", second);
  if (precision >= Precision::Millisecond) time_text += fmt::format(".{:03}", millisecond);
  if (kind == TemporalKind::Time) return time_text;

  std::string text = fmt::format("{:04}", year);
  if (precision >= Precision::Month) text += fmt::format("-{:02}", month);
  if (precision >= Precision::Day) text += fmt::format("-{:02}", day);
  if (kind == TemporalKind::Date || precision < Precision::Hour) return text;
  text += 'T';
  text += time_text;
  if (offset_minutes) {
    const int offset = *offset_minutes;
    if (offset == 0) {
      text += "Z";
    } else {
      text += fmt::format("{}{:02}:{:02}", offset < 0 ? '-' : '+', std::abs(offset) / 60,
                          std::abs(offset) % 60);
    }
  }
  return text;
}

int Temporal::precision_digits() const {
  if (kind == TemporalKind::Time) {
    constexpr std::array<int, 7> kTimeDigits{0, 0, 0, 2, 4, 6, 9};
    return kTimeDigits.at(static_cast<std::size_t>(precision));
  }
  constexpr std::array<int, 7> kDigits{4, 6, 8, 10, 12, 14, 17};
  return kDigits.at(static_cast<std::size_t>(precision));
}

std::optional<int> compare(const Temporal& left, const Temporal& right) {
  if ((left.kind == TemporalKind::Time) != (right.kind == TemporalKind::Time)) return std::nullopt;
  if (!has_time(left) || !has_time(right)) return compare_fields(left, right);
  if (left.offset_minutes && right.offset_minutes) {
    return compare_fields(to_utc(left, *left.offset_minutes), to_utc(right, *right.offset_minutes));
  }
  if (!left.offset_minutes && !right.offset_minutes) return compare_fields(left, right);
  // One side has no offset: it may be anywhere from -12:00 to +14:00. Answer only when every
  // possible offset gives the same answer.
  const auto at = [&](int assumed) {
    const Temporal a = to_utc(left, left.offset_minutes.value_or(assumed));
    const Temporal b = to_utc(right, right.offset_minutes.value_or(assumed));
    return compare_fields(a, b);
  };
  const auto earliest = at(kEarliestOffsetMinutes);
  const auto latest = at(kLatestOffsetMinutes);
  if (earliest != latest) return std::nullopt;
  return earliest;
}

std::optional<bool> equal(const Temporal& left, const Temporal& right) {
  const auto order = compare(left, right);
  if (!order) return std::nullopt;
  return *order == 0;
}

bool equivalent(const Temporal& left, const Temporal& right) {
  if (precision_rank(left.precision) != precision_rank(right.precision)) return false;
  const auto order = compare(left, right);
  return order && *order == 0;
}

std::optional<Temporal> add(const Temporal& value, const Decimal& amount, CalendarUnit unit) {
  const bool is_time = value.kind == TemporalKind::Time;
  if (is_time && unit <= CalendarUnit::Day) return std::nullopt;
  // Above seconds the fraction is ignored (FHIRPath N1 §"Date/Time Arithmetic").
  const auto whole = amount.truncated(0).to_int64();
  if (!whole) return std::nullopt;
  Temporal result = value;
  switch (unit) {
    case CalendarUnit::Year:
    case CalendarUnit::Month: {
      const std::int64_t months = result.year * 12LL + (result.month - 1) +
                                  (unit == CalendarUnit::Year ? *whole * 12 : *whole);
      if (months < 12 || months >= 10000 * 12LL) return std::nullopt;
      result.year = static_cast<int>(months / 12);
      result.month = static_cast<int>(months % 12) + 1;
      result.day = std::min(result.day, days_in_month(result.year, result.month));
      return result;
    }
    default:
      break;
  }
  std::int64_t delta_ms = 0;
  switch (unit) {
    case CalendarUnit::Week:
      delta_ms = *whole * 7 * kMsPerDay;
      break;
    case CalendarUnit::Day:
      delta_ms = *whole * kMsPerDay;
      break;
    case CalendarUnit::Hour:
      delta_ms = *whole * 3'600'000;
      break;
    case CalendarUnit::Minute:
      delta_ms = *whole * kMsPerMinute;
      break;
    case CalendarUnit::Second: {
      const auto ms = amount.multiply(Decimal::from_integer(1000));
      const auto rounded = ms ? ms->rounded(0).to_int64() : std::nullopt;
      if (!rounded) return std::nullopt;
      delta_ms = *rounded;
      break;
    }
    case CalendarUnit::Millisecond:
      delta_ms = *whole;
      break;
    default:
      break;
  }
  if (is_time) {
    const std::int64_t ms =
        ((local_epoch_ms(result) + delta_ms) % kMsPerDay + kMsPerDay) % kMsPerDay;
    set_from_local_epoch_ms(result, ms);
    result.year = value.year;
    result.month = value.month;
    result.day = value.day;
  } else {
    set_from_local_epoch_ms(result, local_epoch_ms(result) + delta_ms);
    if (!in_year_range(result)) return std::nullopt;
  }
  // Cut back to the precision of the input: fields below it return to their defaults.
  if (result.precision < Precision::Millisecond) result.millisecond = 0;
  if (result.precision < Precision::Second) result.second = 0;
  if (result.precision < Precision::Minute) result.minute = 0;
  if (result.precision < Precision::Hour) result.hour = 0;
  if (result.precision < Precision::Day) result.day = 1;
  if (result.precision < Precision::Month) result.month = 1;
  return result;
}

namespace {

std::optional<Precision> precision_from_digits(TemporalKind kind, int digits) {
  if (kind == TemporalKind::Time) {
    switch (digits) {
      case 2:
        return Precision::Hour;
      case 4:
        return Precision::Minute;
      case 6:
        return Precision::Second;
      case 9:
        return Precision::Millisecond;
      default:
        return std::nullopt;
    }
  }
  switch (digits) {
    case 4:
      return Precision::Year;
    case 6:
      return Precision::Month;
    case 8:
      return Precision::Day;
    case 10:
      return Precision::Hour;
    case 12:
      return Precision::Minute;
    case 14:
      return Precision::Second;
    case 17:
      return Precision::Millisecond;
    default:
      return std::nullopt;
  }
}

std::optional<Temporal> boundary(const Temporal& value, int digits, bool high) {
  const auto target = precision_from_digits(value.kind, digits);
  if (!target) return std::nullopt;
  if (value.kind == TemporalKind::Date && *target > Precision::Day) return std::nullopt;
  Temporal t = value;
  // An hour alone is not a FHIR time: it stands for hh:00.
  if (t.precision == Precision::Hour) t.precision = Precision::Minute;
  if (t.precision < Precision::Month) t.month = high ? 12 : 1;
  if (t.precision < Precision::Day) t.day = high ? days_in_month(t.year, t.month) : 1;
  if (t.precision < Precision::Hour) t.hour = high ? 23 : 0;
  if (t.precision < Precision::Minute) t.minute = high ? 59 : 0;
  if (t.precision < Precision::Second) t.second = high ? 59 : 0;
  if (t.precision < Precision::Millisecond) t.millisecond = high ? 999 : 0;
  t.precision = *target;
  if (t.kind == TemporalKind::DateTime && *target >= Precision::Hour && !t.offset_minutes) {
    t.offset_minutes = high ? kLatestOffsetMinutes : kEarliestOffsetMinutes;
  }
  return t;
}

}  // namespace

std::optional<Temporal> low_boundary(const Temporal& value, int precision_digits) {
  return boundary(value, precision_digits, false);
}

std::optional<Temporal> high_boundary(const Temporal& value, int precision_digits) {
  return boundary(value, precision_digits, true);
}

}  // namespace ptwin::ingest::fhir::fhirpath
