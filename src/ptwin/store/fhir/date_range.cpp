// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/date_range.hpp"

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::store::fhir {
namespace {

using std::chrono::sys_days;

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
constexpr int kMaxFractionDigits = 9;
constexpr int kMaxOffsetHours = 14;  // FHIR/ISO 8601 offsets in use span -12:00..+14:00

enum class Precision { Year, Month, Day, Minute, Second, Fraction };

struct Parsed {
  int year = 0;
  unsigned month = 1;
  unsigned day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::int64_t fraction_ns = 0;
  int fraction_digits = 0;
  int offset_minutes = 0;  // local time minus UTC
  Precision precision = Precision::Year;
};

class Reader {
 public:
  Reader(std::string_view text, std::string_view where) : text_(text), where_(where) {}

  [[noreturn]] void fail(const std::string& rule) const {
    throw InputError(ErrorCode::BadInput, std::string(where_), printable_value(text_), rule);
  }
  [[nodiscard]] bool at_end() const { return position_ == text_.size(); }
  bool consume(char c) {
    if (at_end() || text_[position_] != c) return false;
    ++position_;
    return true;
  }
  int digits(int count, std::string_view component) {
    int value = 0;
    for (int i = 0; i < count; ++i) {
      if (at_end() || text_[position_] < '0' || text_[position_] > '9') {
        fail(fmt::format("needs a {}-digit {} at position {}", count, component, position_ + 1));
      }
      value = value * 10 + (text_[position_++] - '0');
    }
    return value;
  }
  // 1..9 fraction digits, as nanoseconds.
  std::int64_t fraction(int& digit_count) {
    std::int64_t nanos = 0;
    digit_count = 0;
    while (!at_end() && text_[position_] >= '0' && text_[position_] <= '9') {
      if (++digit_count > kMaxFractionDigits) fail("has more than 9 fraction digits");
      nanos = nanos * 10 + (text_[position_++] - '0');
    }
    if (digit_count == 0) fail("needs digits after the decimal point of the seconds");
    for (int i = digit_count; i < kMaxFractionDigits; ++i) nanos *= 10;
    return nanos;
  }

 private:
  std::string_view text_;
  std::string_view where_;
  std::size_t position_ = 0;
};

void read_offset(Reader& reader, Parsed& parsed) {
  if (reader.at_end() || reader.consume('Z')) return;
  int sign = 0;
  if (reader.consume('+'))
    sign = 1;
  else if (reader.consume('-'))
    sign = -1;
  else
    reader.fail("needs 'Z', '+hh:mm' or '-hh:mm' after the time");
  const int hours = reader.digits(2, "offset hour");
  if (!reader.consume(':')) reader.fail("needs ':' between the offset's hours and minutes");
  const int minutes = reader.digits(2, "offset minute");
  if (hours > kMaxOffsetHours || minutes > 59) reader.fail("has an offset beyond +-14:00");
  parsed.offset_minutes = sign * (hours * 60 + minutes);
}

void read_time(Reader& reader, Parsed& parsed) {
  parsed.hour = reader.digits(2, "hour");
  if (!reader.consume(':')) reader.fail("needs ':' and minutes after the hour");
  parsed.minute = reader.digits(2, "minute");
  parsed.precision = Precision::Minute;
  if (reader.consume(':')) {
    parsed.second = reader.digits(2, "second");
    parsed.precision = Precision::Second;
    if (reader.consume('.')) {
      parsed.fraction_ns = reader.fraction(parsed.fraction_digits);
      parsed.precision = Precision::Fraction;
    }
  }
  if (parsed.hour > 23 || parsed.minute > 59 || parsed.second > 59) {
    reader.fail("has an hour, minute or second out of range (00-23, 00-59, 00-59)");
  }
  read_offset(reader, parsed);
}

Parsed parse(std::string_view text, std::string_view where) {
  Reader reader(text, where);
  Parsed parsed;
  parsed.year = reader.digits(4, "year");
  if (reader.consume('-')) {
    parsed.month = static_cast<unsigned>(reader.digits(2, "month"));
    parsed.precision = Precision::Month;
    if (reader.consume('-')) {
      parsed.day = static_cast<unsigned>(reader.digits(2, "day"));
      parsed.precision = Precision::Day;
      if (reader.consume('T')) read_time(reader, parsed);
    }
  }
  if (!reader.at_end()) reader.fail("has unexpected characters after the date");
  const std::chrono::year_month_day date{std::chrono::year{parsed.year},
                                         std::chrono::month{parsed.month},
                                         std::chrono::day{parsed.day}};
  if (!date.ok()) reader.fail("is not a calendar date");
  return parsed;
}

// Seconds since the epoch of the period's start (local time minus the offset) and of the
// start of the next period of the same precision.
struct PeriodSeconds {
  std::int64_t start = 0;
  std::int64_t next_start = 0;
};

std::int64_t epoch_seconds(std::chrono::year_month_day date, int hour, int minute, int second) {
  const auto day_count = sys_days{date}.time_since_epoch().count();
  return static_cast<std::int64_t>(day_count) * 86'400 + hour * 3'600 + minute * 60 + second;
}

PeriodSeconds period_seconds(const Parsed& p) {
  using std::chrono::month;
  using std::chrono::year;
  const std::chrono::year_month_day date{year{p.year}, month{p.month}, std::chrono::day{p.day}};
  const std::int64_t offset = static_cast<std::int64_t>(p.offset_minutes) * 60;
  const std::int64_t start = epoch_seconds(date, p.hour, p.minute, p.second) - offset;
  switch (p.precision) {
    case Precision::Year:
      return {start, epoch_seconds(year{p.year + 1} / 1 / 1, 0, 0, 0)};
    case Precision::Month: {
      const auto next = (year{p.year} / month{p.month} / 1) + std::chrono::months{1};
      return {start, epoch_seconds(std::chrono::year_month_day{next}, 0, 0, 0)};
    }
    case Precision::Day:
      return {start, start + 86'400};
    case Precision::Minute:
      return {start, start + 60};
    case Precision::Second:
    case Precision::Fraction:
      return {start, start + 1};
  }
  return {start, start + 1};
}

}  // namespace

InstantRange fhir_date_range(std::string_view text, std::string_view where) {
  const Parsed parsed = parse(text, where);
  const PeriodSeconds period = period_seconds(parsed);
  // The representable range of int64 nanoseconds, in whole seconds (a little narrower than
  // the exact ends, which no FHIR date needs).
  constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / kNanosPerSecond;
  if (period.start <= -kMaxSeconds || period.next_start >= kMaxSeconds) {
    throw InputError(ErrorCode::BadInput, std::string(where), printable_value(text),
                     "is outside the instants the store represents (1677-09-21 to 2262-04-11)");
  }
  std::int64_t low_ns = period.start * kNanosPerSecond;
  std::int64_t next_ns = period.next_start * kNanosPerSecond;
  if (parsed.precision == Precision::Fraction) {
    std::int64_t unit_ns = 1;
    for (int i = parsed.fraction_digits; i < kMaxFractionDigits; ++i) unit_ns *= 10;
    low_ns += parsed.fraction_ns;
    next_ns = low_ns + unit_ns;
  }
  return InstantRange{.low = time::from_epoch_ns(low_ns), .high = time::from_epoch_ns(next_ns - 1)};
}

}  // namespace ptwin::store::fhir
