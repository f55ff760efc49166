// SPDX-License-Identifier: Apache-2.0
// Over the 400-line aim: the ISO 8601 reader and the three DICOM VRs share one Reader and one
// set of range checks, which is the point of keeping them together.
#include "ptwin/core/time.hpp"

#include <fmt/format.h>

#include <limits>

#include "ptwin/core/error.hpp"

namespace ptwin::time {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
// Instant holds int64 nanoseconds: the range ends are a whole-second count plus a remainder.
constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / kNanosPerSecond;
constexpr std::int64_t kMaxNanosAtMaxSecond =
    std::numeric_limits<std::int64_t>::max() % kNanosPerSecond;
constexpr std::int64_t kMinSeconds = -kMaxSeconds - 1;
constexpr std::int64_t kMinNanosAtMinSecond = kNanosPerSecond - kMaxNanosAtMaxSecond - 1;
// RFC 3339 time-numoffset allows hours 00..23; DICOM narrows its offsets to -1200..+1400.
constexpr minutes kMaxIsoOffset = hours{23} + minutes{59};
constexpr minutes kMinDicomOffset = -hours{12};
constexpr minutes kMaxDicomOffset = hours{14};


std::string_view trim_trailing_spaces(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A left-to-right reader over one timestamp that knows how to report what is wrong with it.
class Reader {
 public:
  Reader(std::string_view text, std::string_view shown_value, std::string_view where)
      : text_(text), shown_value_(shown_value), where_(where) {}

  [[noreturn]] void fail(ErrorCode code, const std::string& rule) const {
    throw InputError(code, std::string(where_), printable_value(shown_value_), rule);
  }
  [[nodiscard]] bool at_end() const { return position_ == text_.size(); }
  [[nodiscard]] std::size_t position() const { return position_; }
  [[nodiscard]] std::string shown_next() const { return printable_value(text_.substr(position_, 1)); }
  [[nodiscard]] char peek() const { return at_end() ? '\0' : text_[position_]; }
  [[nodiscard]] std::size_t digits_ahead() const {
    std::size_t count = 0;
    while (position_ + count < text_.size() && is_digit(text_[position_ + count])) ++count;
    return count;
  }
  bool consume(char c) {
    if (peek() != c || at_end()) return false;
    ++position_;
    return true;
  }
  void expect(char c, std::string_view context) {
    if (!consume(c)) {
      fail(ErrorCode::BadInput,
           fmt::format("needs '{}' {} at position {}", c, context, position_ + 1));
    }
  }
  // Exactly `count` digits, e.g. the two of a month "MM".
  unsigned number(std::size_t count, std::string_view component) {
    if (digits_ahead() < count) {
      fail(ErrorCode::BadInput,
           fmt::format("needs a {}-digit {} at position {}", count, component, position_ + 1));
    }
    unsigned value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      value = value * 10 + static_cast<unsigned>(text_[position_++] - '0');
    }
    return value;
  }
  // 1 to `max_digits` digits of a decimal fraction of a second, as nanoseconds.
  std::int64_t fraction_ns(std::size_t max_digits, std::string_view standard) {
    const auto count = digits_ahead();
    if (count == 0) {
      fail(ErrorCode::BadInput,
           fmt::format("needs fraction digits after the decimal mark at position {}", position_));
    }
    if (count > max_digits) {
      fail(ErrorCode::BadInput,
           fmt::format("has {} fractional digits of a second; {} allows 1 to {}", count, standard,
                       max_digits));
    }
    std::int64_t nanos = number(count, "fraction");
    for (auto i = count; i < 9; ++i) nanos *= 10;
    return nanos;
  }
  void expect_end(std::string_view context) const {
    if (!at_end()) {
      fail(ErrorCode::BadInput, fmt::format("has unexpected '{}' at position {} {}", shown_next(),
                                            position_ + 1, context));
    }
  }

 private:
  std::string_view text_;
  std::string_view shown_value_;
  std::string_view where_;
  std::size_t position_ = 0;
};

// A wall-clock reading before its UTC offset is applied.
struct LocalDateTime {
  int year = 0;
  unsigned month = 1;
  unsigned day = 1;
  unsigned hour = 0;
  unsigned minute = 0;
  unsigned second = 0;
  std::int64_t nanosecond = 0;
};

void check_date(const LocalDateTime& local, const Reader& reader) {
  if (local.month < 1 || local.month > 12) {
    reader.fail(ErrorCode::BadInput,
                fmt::format("has month {:02}; months are 01 to 12", local.month));
  }
  const auto year_month = std::chrono::year{local.year} / std::chrono::month{local.month};
  const auto last_day = static_cast<unsigned>((year_month / std::chrono::last).day());
  if (local.day < 1 || local.day > last_day) {
    reader.fail(ErrorCode::BadInput, fmt::format("has day {:02} but {:04}-{:02} has days 01 to {}",
                                                 local.day, local.year, local.month, last_day));
  }
}

void check_time_of_day(const LocalDateTime& local, const Reader& reader) {
  if (local.hour > 23) {
    reader.fail(
        ErrorCode::BadInput,
        fmt::format("has hour {:02}; hours are 00 to 23 (midnight is 00, not 24)", local.hour));
  }
  if (local.minute > 59) {
    reader.fail(ErrorCode::BadInput,
                fmt::format("has minute {:02}; minutes are 00 to 59", local.minute));
  }
  if (local.second == 60) {
    reader.fail(
        ErrorCode::BadInput,
        "has second 60 (a leap second), which a UTC instant in POSIX time cannot represent");
  }
  if (local.second > 59) {
    reader.fail(ErrorCode::BadInput,
                fmt::format("has second {:02}; seconds are 00 to 59", local.second));
  }
}

void check_offset(minutes offset, minutes lowest, minutes highest, const Reader& reader) {
  if (offset < lowest || offset > highest) {
    const auto format_offset = [](minutes value) {
      const auto magnitude = value < minutes{0} ? -value : value;
      return fmt::format("{}{:02}{:02}", value < minutes{0} ? '-' : '+', magnitude.count() / 60,
                         magnitude.count() % 60);
    };
    reader.fail(ErrorCode::BadInput,
                fmt::format("has UTC offset {}; offsets are {} to {}", format_offset(offset),
                            format_offset(lowest), format_offset(highest)));
  }
}

// Applies the offset (local time minus UTC) and checks that the result fits in an Instant.
Instant to_instant(const LocalDateTime& local, minutes offset, const Reader& reader) {
  const std::chrono::year_month_day date{
      std::chrono::year{local.year}, std::chrono::month{local.month}, std::chrono::day{local.day}};
  const auto local_seconds = std::chrono::sys_days{date}.time_since_epoch() + hours{local.hour} +
                             minutes{local.minute} + seconds{local.second};
  const std::int64_t utc_seconds =
      std::chrono::duration_cast<seconds>(local_seconds - offset).count();
  const bool is_too_early = utc_seconds < kMinSeconds ||
                            (utc_seconds == kMinSeconds && local.nanosecond < kMinNanosAtMinSecond);
  const bool is_too_late = utc_seconds > kMaxSeconds ||
                           (utc_seconds == kMaxSeconds && local.nanosecond > kMaxNanosAtMaxSecond);
  if (is_too_early || is_too_late) {
    reader.fail(ErrorCode::BadInput,
                "is outside the range of a nanosecond instant "
                "(1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z)");
  }
  // At the low end seconds * 1e9 alone overflows although the sum fits: borrow one second.
  const std::int64_t nanos_since_epoch =
      utc_seconds < 0 && local.nanosecond > 0
          ? (utc_seconds + 1) * kNanosPerSecond - (kNanosPerSecond - local.nanosecond)
          : utc_seconds * kNanosPerSecond + local.nanosecond;
  return from_epoch_ns(nanos_since_epoch);
}

// "Z" or ±hh[[:]mm] at the reader's position (RFC 3339 §5.6 and ISO 8601 extended/basic).
std::optional<minutes> read_iso_offset(Reader& reader) {
  if (reader.at_end()) return std::nullopt;
  if (reader.consume('Z') || reader.consume('z')) return minutes{0};
  const char sign = reader.peek();
  if (sign != '+' && sign != '-') {
    reader.fail(ErrorCode::BadInput,
                fmt::format("has '{}' at position {} where the UTC offset (Z, +hh:mm or -hh:mm) "
                            "or the end was expected",
                            reader.shown_next(), reader.position() + 1));
  }
  reader.consume(sign);
  const auto offset_hours = reader.number(2, "offset hour (hh)");
  unsigned offset_minutes = 0;
  if (!reader.at_end()) {
    reader.consume(':');
    offset_minutes = reader.number(2, "offset minute (mm)");
  }
  if (offset_hours > 23 || offset_minutes > 59) {
    reader.fail(ErrorCode::BadInput, fmt::format("has UTC offset {}{:02}:{:02}; hours are 00 to 23 "
                                                 "and minutes 00 to 59",
                                                 sign, offset_hours, offset_minutes));
  }
  const minutes magnitude = hours{offset_hours} + minutes{offset_minutes};
  return sign == '-' ? -magnitude : magnitude;
}

[[noreturn]] void fail_date_only(const Reader& reader) {
  reader.fail(ErrorCode::AmbiguousTime,
              "is a date without a time of day; an instant needs a date, a time and a UTC offset "
              "(e.g. 2024-05-01T12:00:00Z)");
}

// YYYY[-MM[-DD]]; a value that stops before the time is rejected once its date is checked.
LocalDateTime read_iso_date(Reader& reader) {
  LocalDateTime local;
  local.year = static_cast<int>(reader.number(4, "year (YYYY)"));
  if (reader.at_end()) fail_date_only(reader);
  reader.expect('-', "after the year (YYYY-MM-DD)");
  local.month = reader.number(2, "month (MM)");
  if (reader.at_end()) {
    check_date(local, reader);
    fail_date_only(reader);
  }
  reader.expect('-', "after the month (YYYY-MM-DD)");
  local.day = reader.number(2, "day (DD)");
  check_date(local, reader);
  if (reader.at_end()) fail_date_only(reader);
  return local;
}

}  // namespace

Instant parse_iso8601(std::string_view text, std::optional<minutes> assumed_offset,
                      std::string_view where) {
  Reader reader(text, text, where);
  if (text.empty()) reader.fail(ErrorCode::BadInput, "is empty; expected YYYY-MM-DDThh:mm:ssZ");
  LocalDateTime local = read_iso_date(reader);
  if (!reader.consume('T') && !reader.consume('t') && !reader.consume(' ')) {
    reader.fail(ErrorCode::BadInput,
                fmt::format("needs 'T' between the date and the time at position {}",
                            reader.position() + 1));
  }
  local.hour = reader.number(2, "hour (hh)");
  reader.expect(':', "after the hour (hh:mm)");
  local.minute = reader.number(2, "minute (mm)");
  if (reader.consume(':')) {
    local.second = reader.number(2, "second (ss)");
    if (reader.consume('.') || reader.consume(',')) {
      local.nanosecond = reader.fraction_ns(9, "ptwin (nanosecond resolution)");
    }
  }
  check_time_of_day(local, reader);
  const auto own_offset = read_iso_offset(reader);
  reader.expect_end("after the UTC offset");
  if (own_offset) return to_instant(local, *own_offset, reader);
  if (!assumed_offset) {
    reader.fail(ErrorCode::AmbiguousTime,
                "has no UTC offset (Z or +hh:mm) and no offset is configured for its source, so "
                "the instant it names is unknown");
  }
  check_offset(*assumed_offset, -kMaxIsoOffset, kMaxIsoOffset, reader);
  return to_instant(local, *assumed_offset, reader);
}

std::string format_iso8601(Instant instant) {
  // Split with integer floor division: chrono's floor<days> converts back to nanoseconds, which
  // overflows for instants within a day of the range ends.
  const auto floor_divide = [](std::int64_t value, std::int64_t divisor) {
    const std::int64_t quotient = value / divisor;
    return value % divisor < 0 ? quotient - 1 : quotient;
  };
  const std::int64_t count = to_epoch_ns(instant);
  const std::int64_t epoch_seconds = floor_divide(count, kNanosPerSecond);
  const std::int64_t remainder = count % kNanosPerSecond;
  const std::int64_t nanos = remainder < 0 ? remainder + kNanosPerSecond : remainder;
  const std::int64_t epoch_days = floor_divide(epoch_seconds, 86'400);
  const std::int64_t second_of_day = epoch_seconds - epoch_days * 86'400;
  const std::chrono::year_month_day date{std::chrono::sys_days{days{epoch_days}}};
  std::string out =
      fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
  if (nanos == 0) {
    out += 'Z';
  } else if (nanos % 1'000'000 == 0) {
    out += fmt::format(".{:03}Z", nanos / 1'000'000);
  } else if (nanos % 1'000 == 0) {
    out += fmt::format(".{:06}Z", nanos / 1'000);
  } else {
    out += fmt::format(".{:09}Z", nanos);
  }
  return out;
}

namespace {

// &ZZXX at the reader's position: sign, two hour and two minute digits, in -1200..+1400
// (PS3.5 §6.2, DT).
minutes read_dicom_offset(Reader& reader) {
  const char sign = reader.peek();
  if (!reader.consume('+') && !reader.consume('-')) {
    reader.fail(ErrorCode::BadInput,
                fmt::format("needs a UTC offset &ZZXX such as +0100 or -0500 at position {} "
                            "(PS3.5 §6.2)",
                            reader.position() + 1));
  }
  const auto offset_hours = reader.number(2, "offset hour (ZZ)");
  const auto offset_minutes = reader.number(2, "offset minute (XX)");
  if (offset_minutes > 59) {
    reader.fail(ErrorCode::BadInput,
                fmt::format("has offset minute {:02}; minutes are 00 to 59", offset_minutes));
  }
  const minutes magnitude = hours{offset_hours} + minutes{offset_minutes};
  const minutes offset = sign == '-' ? -magnitude : magnitude;
  check_offset(offset, kMinDicomOffset, kMaxDicomOffset, reader);
  return offset;
}

// .F{1,6} after a complete HHMMSS (PS3.5 §6.2: "The FFFFFF component may contain from 1 to 6
// digits"; it is the last component, so it needs the seconds before it).
void read_dicom_fraction(Reader& reader, bool has_seconds, LocalDateTime& local) {
  if (reader.peek() != '.') return;
  if (!has_seconds) {
    reader.fail(ErrorCode::BadInput,
                fmt::format("has a fraction at position {} before the seconds are complete; "
                            "only a value with seconds (SS) may carry .FFFFFF (PS3.5 §6.2)",
                            reader.position() + 1));
  }
  reader.consume('.');
  local.nanosecond = reader.fraction_ns(6, "DICOM (PS3.5 §6.2)");
}

// The offset to use for a value without its own: the dataset's (0008,0201), or none.
minutes dataset_offset(std::optional<minutes> timezone_offset_from_utc, const Reader& reader) {
  if (!timezone_offset_from_utc) {
    reader.fail(ErrorCode::AmbiguousTime,
                "has no UTC offset (&ZZXX) and the dataset has no Timezone Offset From UTC "
                "(0008,0201); PS3.5 §6.2 then makes it the creator's local time, which is unknown");
  }
  check_offset(*timezone_offset_from_utc, kMinDicomOffset, kMaxDicomOffset, reader);
  return *timezone_offset_from_utc;
}

// TM: HHMMSS.FFFFFF with trailing components optional, or the pre-3.0 HH:MM:SS.frac that
// PS3.5 §6.2 recommended readers keep accepting.
void read_dicom_time(Reader& reader, LocalDateTime& local) {
  const auto digits = reader.digits_ahead();
  local.hour = reader.number(2, "hour (HH)");
  bool has_seconds = false;
  if (reader.consume(':')) {
    local.minute = reader.number(2, "minute (MM)");
    if (reader.consume(':')) {
      local.second = reader.number(2, "second (SS)");
      has_seconds = true;
    }
  } else {
    if (digits != 2 && digits != 4 && digits != 6) {
      reader.fail(ErrorCode::BadInput,
                  fmt::format("has {} digits; TM is HH, HHMM or HHMMSS, optionally followed by "
                              ".FFFFFF (PS3.5 §6.2)",
                              digits));
    }
    if (digits >= 4) local.minute = reader.number(2, "minute (MM)");
    if (digits >= 6) local.second = reader.number(2, "second (SS)");
    has_seconds = digits == 6;
  }
  read_dicom_fraction(reader, has_seconds, local);
  check_time_of_day(local, reader);
}

}  // namespace

minutes parse_dicom_timezone_offset(std::string_view text, std::string_view where) {
  // SH VR (PS3.5 §6.2): leading and trailing spaces are not significant.
  std::string_view body = trim_trailing_spaces(text);
  while (!body.empty() && body.front() == ' ') body.remove_prefix(1);
  Reader reader(body, text, where);
  const auto offset = read_dicom_offset(reader);
  reader.expect_end("after &ZZXX");
  return offset;
}

Instant parse_dicom_dt(std::string_view dt, std::optional<minutes> timezone_offset_from_utc,
                       std::string_view where) {
  // PS3.5 §6.2: values are padded to even length with trailing spaces.
  Reader reader(trim_trailing_spaces(dt), dt, where);
  const auto digits = reader.digits_ahead();
  if (digits != 4 && digits != 6 && digits != 8 && digits != 10 && digits != 12 && digits != 14) {
    reader.fail(ErrorCode::BadInput,
                fmt::format("starts with {} digits; DT is YYYY[MM[DD[HH[MM[SS[.FFFFFF]]]]]][&ZZXX] "
                            "and only trailing components may be left out (PS3.5 §6.2)",
                            digits));
  }
  LocalDateTime local;
  local.year = static_cast<int>(reader.number(4, "year (YYYY)"));
  if (digits >= 6) local.month = reader.number(2, "month (MM)");
  if (digits >= 8) local.day = reader.number(2, "day (DD)");
  if (digits >= 10) local.hour = reader.number(2, "hour (HH)");
  if (digits >= 12) local.minute = reader.number(2, "minute (MM)");
  if (digits >= 14) local.second = reader.number(2, "second (SS)");
  read_dicom_fraction(reader, digits == 14, local);
  check_date(local, reader);
  check_time_of_day(local, reader);
  // The value's own suffix wins over the dataset's (0008,0201) (PS3.5 §6.2, DT).
  std::optional<minutes> own_offset;
  if (!reader.at_end()) own_offset = read_dicom_offset(reader);
  reader.expect_end("after the DT value (YYYYMMDDHHMMSS.FFFFFF&ZZXX)");
  const auto offset = own_offset ? *own_offset : dataset_offset(timezone_offset_from_utc, reader);
  return to_instant(local, offset, reader);
}

Instant parse_dicom_da_tm(std::string_view da, std::string_view tm,
                          std::optional<minutes> timezone_offset_from_utc, std::string_view where) {
  const auto da_body = trim_trailing_spaces(da);
  const auto tm_body = trim_trailing_spaces(tm);
  const std::string both = fmt::format("{}\\{}", da, tm);  // shown as DA\TM in messages
  LocalDateTime local;
  Reader date_reader(da_body, both, where);
  local.year = static_cast<int>(date_reader.number(4, "year (YYYY) in DA"));
  // The pre-3.0 form YYYY.MM.DD is still recommended for readers in PS3.5 §6.2.
  const bool is_legacy = date_reader.consume('.');
  local.month = date_reader.number(2, "month (MM) in DA");
  if (is_legacy) date_reader.expect('.', "between month and day in DA (YYYY.MM.DD)");
  local.day = date_reader.number(2, "day (DD) in DA");
  date_reader.expect_end("after the DA value (YYYYMMDD)");
  check_date(local, date_reader);
  Reader time_reader(tm_body, both, where);
  if (tm_body.empty()) {
    time_reader.fail(ErrorCode::AmbiguousTime,
                     "has a date (DA) but no time (TM); an instant needs a time of day");
  }
  read_dicom_time(time_reader, local);
  time_reader.expect_end("after the TM value (HHMMSS.FFFFFF)");
  return to_instant(local, dataset_offset(timezone_offset_from_utc, time_reader), time_reader);
}

Instant from_epoch_ms(std::int64_t milliseconds_since_epoch) {
  constexpr std::int64_t kNanosPerMilli = 1'000'000;
  constexpr std::int64_t kMaxMillis = std::numeric_limits<std::int64_t>::max() / kNanosPerMilli;
  constexpr std::int64_t kMinMillis = std::numeric_limits<std::int64_t>::min() / kNanosPerMilli;
  if (milliseconds_since_epoch < kMinMillis || milliseconds_since_epoch > kMaxMillis) {
    throw InputError(ErrorCode::BadInput, "epoch milliseconds",
                     fmt::format("{}", milliseconds_since_epoch),
                     fmt::format("is outside the range of a nanosecond instant ({} to {} ms)",
                                 kMinMillis, kMaxMillis));
  }
  return from_epoch_ns(milliseconds_since_epoch * kNanosPerMilli);
}

}  // namespace ptwin::time
