// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/decimal_range.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::store::fhir {
namespace {

constexpr std::size_t kMaxSignificantDigits = 64;
constexpr std::size_t kMaxExponentDigits = 4;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// value = (negative ? -1 : 1) * digits * 10^last_digit_exponent, digits without leading zeros.
struct Decimal {
  bool is_negative = false;
  std::string digits;
  long last_digit_exponent = 0;
};

[[noreturn]] void fail(std::string_view text, std::string_view where, const std::string& rule) {
  throw InputError(ErrorCode::BadInput, std::string(where), printable_value(text), rule);
}

std::size_t take_digits(std::string_view text, std::size_t& position) {
  const std::size_t start = position;
  while (position < text.size() && is_digit(text[position])) ++position;
  return position - start;
}

long read_exponent(std::string_view text, std::size_t& position, std::string_view where) {
  bool is_negative = false;
  if (position < text.size() && (text[position] == '+' || text[position] == '-')) {
    is_negative = text[position] == '-';
    ++position;
  }
  const std::size_t start = position;
  const std::size_t count = take_digits(text, position);
  if (count == 0 || count > kMaxExponentDigits) {
    fail(text, where,
         fmt::format("needs an exponent of 1 to {} digits after 'e'", kMaxExponentDigits));
  }
  const long magnitude = std::stol(std::string(text.substr(start, count)));
  return is_negative ? -magnitude : magnitude;
}

Decimal parse(std::string_view text, std::string_view where) {
  Decimal decimal;
  std::size_t position = 0;
  if (position < text.size() && (text[position] == '+' || text[position] == '-')) {
    decimal.is_negative = text[position] == '-';
    ++position;
  }
  const std::size_t integer_start = position;
  const std::size_t integer_count = take_digits(text, position);
  std::string mantissa(text.substr(integer_start, integer_count));
  std::size_t fraction_count = 0;
  if (position < text.size() && text[position] == '.') {
    ++position;
    const std::size_t fraction_start = position;
    fraction_count = take_digits(text, position);
    if (fraction_count == 0) fail(text, where, "needs digits after the decimal point");
    mantissa += text.substr(fraction_start, fraction_count);
  }
  if (integer_count == 0) fail(text, where, "needs a digit before any decimal point");
  long exponent = 0;
  if (position < text.size() && (text[position] == 'e' || text[position] == 'E')) {
    ++position;
    exponent = read_exponent(text, position, where);
  }
  if (position != text.size()) {
    fail(text, where,
         fmt::format("is not a decimal: unexpected character at position {}", position + 1));
  }
  const std::size_t first_nonzero = mantissa.find_first_not_of('0');
  decimal.digits = first_nonzero == std::string::npos ? "0" : mantissa.substr(first_nonzero);
  if (decimal.digits.size() > kMaxSignificantDigits) {
    fail(text, where, fmt::format("has more than {} significant digits", kMaxSignificantDigits));
  }
  decimal.last_digit_exponent = exponent - static_cast<long>(fraction_count);
  return decimal;
}

// The decimal digit string of a positive integer minus one.
std::string minus_one(std::string digits) {
  for (std::size_t i = digits.size(); i-- > 0;) {
    if (digits[i] != '0') {
      --digits[i];
      break;
    }
    digits[i] = '9';
  }
  const std::size_t first_nonzero = digits.find_first_not_of('0');
  return first_nonzero == std::string::npos ? "0" : digits.substr(first_nonzero);
}

// The double nearest to (negative ? -1 : 1) * digits * 10^exponent, rounded once.
double to_double(bool is_negative, const std::string& digits, long exponent, std::string_view text,
                 std::string_view where) {
  const std::string scientific = fmt::format("{}{}e{}", is_negative ? "-" : "", digits, exponent);
  double result = 0.0;
  const auto [end, error] =
      std::from_chars(scientific.data(), scientific.data() + scientific.size(), result);
  if (error != std::errc() || end != scientific.data() + scientific.size() ||
      !std::isfinite(result)) {
    fail(text, where, "is outside the range of a double");
  }
  return result;
}

}  // namespace

DecimalRange decimal_range(std::string_view text, std::string_view where) {
  const Decimal decimal = parse(text, where);
  const long exponent = decimal.last_digit_exponent;
  DecimalRange range;
  range.value = to_double(decimal.is_negative, decimal.digits, exponent, text, where);
  // |value| -+ 0.5 * 10^exponent = (10 * digits -+ 5) * 10^(exponent - 1), whose digit strings
  // are "<digits - 1>5" and "<digits>5": exact decimal arithmetic, one rounding per bound.
  double high_exclusive = 0.0;
  if (decimal.digits == "0") {
    range.low = to_double(true, "5", exponent - 1, text, where);
    high_exclusive = to_double(false, "5", exponent - 1, text, where);
  } else {
    const std::string inner = minus_one(decimal.digits) + "5";  // |value| - half a unit
    const std::string outer = decimal.digits + "5";             // |value| + half a unit
    const bool negative = decimal.is_negative;
    range.low = to_double(negative, negative ? outer : inner, exponent - 1, text, where);
    high_exclusive = to_double(negative, negative ? inner : outer, exponent - 1, text, where);
  }
  range.high = std::nextafter(high_exclusive, -std::numeric_limits<double>::infinity());
  return range;
}

}  // namespace ptwin::store::fhir
