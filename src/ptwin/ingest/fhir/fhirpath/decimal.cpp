// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/fhirpath/decimal.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <system_error>

namespace ptwin::ingest::fhir::fhirpath {
namespace {

using Mantissa = Decimal::Mantissa;

// 38 decimal digits always fit in a signed 128-bit integer (its maximum is about 1.7e38).
constexpr int kMaxDigits = 38;

Mantissa power_of_ten(int exponent) {
  Mantissa result = 1;
  for (int i = 0; i < exponent; ++i) result *= 10;
  return result;
}

bool multiply_checked(Mantissa a, Mantissa b, Mantissa& out) {
  return !__builtin_mul_overflow(a, b, &out);
}

bool add_checked(Mantissa a, Mantissa b, Mantissa& out) {
  return !__builtin_add_overflow(a, b, &out);
}

// mantissa × 10^shift, or false on overflow.
bool scale_up(Mantissa mantissa, int shift, Mantissa& out) {
  if (shift > kMaxDigits) return mantissa == 0 ? (out = 0, true) : false;
  return multiply_checked(mantissa, power_of_ten(shift), out);
}

Mantissa magnitude(Mantissa value) { return value < 0 ? -value : value; }

}  // namespace

Decimal Decimal::from_integer(std::int64_t value) { return Decimal(value, 0); }

std::optional<Decimal> Decimal::parse(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  const auto point = text.find('.');
  const std::string_view integer_part = text.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  const auto all_digits = [](std::string_view part) {
    return std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (integer_part.empty() || !all_digits(integer_part) || !all_digits(fraction))
    return std::nullopt;
  if (point != std::string_view::npos && fraction.empty()) return std::nullopt;

  Mantissa mantissa = 0;
  int significant = 0;
  for (const char c : integer_part) {
    if (significant > 0 || c != '0') ++significant;
    if (significant > kMaxDigits) return std::nullopt;
    mantissa = mantissa * 10 + (c - '0');
  }
  int scale = 0;
  bool round_up = false;
  for (std::size_t i = 0; i < fraction.size(); ++i) {
    if (significant >= kMaxDigits || scale >= kMaxScale + 10) {
      round_up = fraction[i] >= '5';
      break;
    }
    if (significant > 0 || fraction[i] != '0') ++significant;
    mantissa = mantissa * 10 + (fraction[i] - '0');
    ++scale;
  }
  if (round_up) ++mantissa;
  return Decimal(negative ? -mantissa : mantissa, scale);
}

std::optional<Decimal> Decimal::from_double(double value) {
  if (!std::isfinite(value)) return std::nullopt;
  std::array<char, 400> buffer{};
  const auto [end, error] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed);
  if (error != std::errc{}) return std::nullopt;
  auto parsed =
      parse(std::string_view(buffer.data(), static_cast<std::size_t>(end - buffer.data())));
  if (!parsed) return std::nullopt;
  return parsed->scale_ > kMaxScale ? parsed->rounded(kMaxScale).normalized() : *parsed;
}

double Decimal::to_double() const {
  // Through text so that the result is the double nearest to the decimal value.
  const std::string text = to_string();
  double result = 0.0;
  std::from_chars(text.data(), text.data() + text.size(), result);
  return result;
}

std::string Decimal::to_string() const {
  std::string digits;
  Mantissa rest = magnitude(mantissa_);
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(rest % 10)));
    rest /= 10;
  } while (rest != 0);
  while (static_cast<int>(digits.size()) <= scale_) digits.push_back('0');
  std::reverse(digits.begin(), digits.end());
  const std::size_t integer_digits = digits.size() - static_cast<std::size_t>(scale_);
  std::string out;
  out.reserve(digits.size() + 2);
  if (mantissa_ < 0) out.push_back('-');
  out.append(digits, 0, integer_digits);
  if (scale_ > 0) {
    out.push_back('.');
    out.append(digits, integer_digits, std::string::npos);
  }
  return out;
}

bool Decimal::is_integral() const { return scale_ == 0 || mantissa_ % power_of_ten(scale_) == 0; }

std::optional<std::int64_t> Decimal::to_int64() const {
  if (!is_integral()) return std::nullopt;
  const Mantissa whole = mantissa_ / power_of_ten(scale_);
  if (whole > INT64_MAX || whole < INT64_MIN) return std::nullopt;
  return static_cast<std::int64_t>(whole);
}

Decimal Decimal::negated() const { return Decimal(-mantissa_, scale_); }

std::optional<Decimal> Decimal::add(const Decimal& other) const {
  const int scale = std::max(scale_, other.scale_);
  Mantissa a = 0;
  Mantissa b = 0;
  Mantissa sum = 0;
  if (!scale_up(mantissa_, scale - scale_, a) ||
      !scale_up(other.mantissa_, scale - other.scale_, b) || !add_checked(a, b, sum)) {
    return std::nullopt;
  }
  return Decimal(sum, scale);
}

std::optional<Decimal> Decimal::subtract(const Decimal& other) const {
  return add(other.negated());
}

std::optional<Decimal> Decimal::multiply(const Decimal& other) const {
  Decimal left = *this;
  Decimal right = other;
  Mantissa product = 0;
  // Drop trailing zeros first, then precision beyond kMaxScale, before giving up on overflow.
  left = left.normalized();
  right = right.normalized();
  while (!multiply_checked(left.mantissa_, right.mantissa_, product)) {
    if (left.scale_ == 0 && right.scale_ == 0) return std::nullopt;
    if (left.scale_ >= right.scale_) {
      left = left.rounded(left.scale_ - 1);
    } else {
      right = right.rounded(right.scale_ - 1);
    }
  }
  Decimal result(product, left.scale_ + right.scale_);
  return result.scale_ > kMaxScale ? result.rounded(kMaxScale) : result;
}

std::optional<Decimal> Decimal::divide(const Decimal& divisor) const {
  if (divisor.mantissa_ == 0) return std::nullopt;
  // quotient = (m1 × 10^shift / m2) × 10^-(s1 + shift - s2); aim for kMaxScale + 1 digits,
  // fewer when the shifted dividend would overflow.
  for (int target = kMaxScale + 1; target >= 0; --target) {
    const int shift = target - scale_ + divisor.scale_;
    if (shift < 0) break;
    Mantissa dividend = 0;
    if (!scale_up(mantissa_, shift, dividend)) continue;
    Mantissa quotient = dividend / divisor.mantissa_;
    const Mantissa remainder = dividend % divisor.mantissa_;
    if (magnitude(remainder) * 2 >= magnitude(divisor.mantissa_)) {
      quotient += ((dividend < 0) != (divisor.mantissa_ < 0)) ? -1 : 1;
    }
    Decimal result(quotient, target);
    if (result.scale_ > kMaxScale) result = result.rounded(kMaxScale);
    return result.normalized();
  }
  // Operands too far apart in magnitude for exact arithmetic: fall back to binary floating point.
  return from_double(to_double() / divisor.to_double());
}

int Decimal::compare(const Decimal& other) const {
  const int scale = std::max(scale_, other.scale_);
  Mantissa a = 0;
  Mantissa b = 0;
  if (scale_up(mantissa_, scale - scale_, a) &&
      scale_up(other.mantissa_, scale - other.scale_, b)) {
    return a < b ? -1 : (a > b ? 1 : 0);
  }
  // One side overflowed when aligned: it is the one with the larger magnitude.
  const double x = to_double();
  const double y = other.to_double();
  return x < y ? -1 : (x > y ? 1 : 0);
}

Decimal Decimal::reduced_to(int digits, Rounding rounding) const {
  digits = std::max(digits, 0);
  if (digits >= scale_) return *this;
  const Mantissa divisor = power_of_ten(scale_ - digits);
  Mantissa quotient = mantissa_ / divisor;  // truncated toward zero
  const Mantissa remainder = mantissa_ % divisor;
  if (remainder != 0) {
    switch (rounding) {
      case Rounding::HalfAwayFromZero:
        if (magnitude(remainder) * 2 >= divisor) quotient += mantissa_ < 0 ? -1 : 1;
        break;
      case Rounding::TowardZero:
        break;
      case Rounding::Floor:
        if (mantissa_ < 0) --quotient;
        break;
      case Rounding::Ceiling:
        if (mantissa_ > 0) ++quotient;
        break;
    }
  }
  return Decimal(quotient, digits);
}

Decimal Decimal::rounded(int digits) const {
  return reduced_to(digits, Rounding::HalfAwayFromZero);
}
Decimal Decimal::truncated(int digits) const { return reduced_to(digits, Rounding::TowardZero); }
Decimal Decimal::floored(int digits) const { return reduced_to(digits, Rounding::Floor); }
Decimal Decimal::ceiled(int digits) const { return reduced_to(digits, Rounding::Ceiling); }

std::optional<Decimal> Decimal::with_scale(int scale) const {
  if (scale <= scale_) return rounded(scale);
  Mantissa padded = 0;
  if (!scale_up(mantissa_, scale - scale_, padded)) return std::nullopt;
  return Decimal(padded, scale);
}

Decimal Decimal::normalized() const {
  Decimal result = *this;
  while (result.scale_ > 0 && result.mantissa_ % 10 == 0) {
    result.mantissa_ /= 10;
    --result.scale_;
  }
  return result;
}

}  // namespace ptwin::ingest::fhir::fhirpath
