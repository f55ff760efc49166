// SPDX-License-Identifier: Apache-2.0
#pragma once
// FHIRPath System.Decimal: an exact base-10 number with its scale (digits after the point), so
// that `1.10 = 1.1`, `0.1 + 0.2 = 0.3` and `1.58700.precision() = 5` hold as the specification
// requires (FHIRPath N1 §"Decimal"). The value is mantissa × 10^-scale with a 128-bit mantissa,
// which holds 38 significant digits; the specification asks for at least 28 digits of range and
// 8 of scale. Operations that cannot be represented return nullopt; the evaluator turns that
// into an empty result, as for division by zero.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ptwin::ingest::fhir::fhirpath {

class Decimal {
 public:
  // GCC and clang both provide a 128-bit integer; __extension__ keeps -Wpedantic quiet.
  __extension__ typedef __int128 Mantissa;

  /// Digits after the point that an operation keeps at most (division, conversions).
  static constexpr int kMaxScale = 28;

  constexpr Decimal() = default;

  [[nodiscard]] static Decimal from_integer(std::int64_t value);
  /// `[+-]?digits[.digits]`, nothing else (no exponent, no spaces). Digits beyond what 38
  /// significant digits hold are rounded away; nullopt when the text is not a decimal or its
  /// integer part does not fit.
  [[nodiscard]] static std::optional<Decimal> parse(std::string_view text);
  /// The shortest decimal that reads back as `value`; nullopt for NaN, infinities and values
  /// whose integer part does not fit.
  [[nodiscard]] static std::optional<Decimal> from_double(double value);

  [[nodiscard]] double to_double() const;
  /// Plain notation keeping the scale: "1.0", "-0.50000000", "12".
  [[nodiscard]] std::string to_string() const;
  [[nodiscard]] int scale() const noexcept { return scale_; }
  [[nodiscard]] bool is_zero() const noexcept { return mantissa_ == 0; }
  [[nodiscard]] bool is_negative() const noexcept { return mantissa_ < 0; }
  /// True when there are no non-zero digits after the point.
  [[nodiscard]] bool is_integral() const;
  /// The value when it is integral and fits; nullopt otherwise.
  [[nodiscard]] std::optional<std::int64_t> to_int64() const;

  [[nodiscard]] Decimal negated() const;
  [[nodiscard]] Decimal abs() const { return is_negative() ? negated() : *this; }
  [[nodiscard]] std::optional<Decimal> add(const Decimal& other) const;
  [[nodiscard]] std::optional<Decimal> subtract(const Decimal& other) const;
  [[nodiscard]] std::optional<Decimal> multiply(const Decimal& other) const;
  /// Quotient rounded half away from zero to at most kMaxScale digits, trailing zeros removed;
  /// nullopt when `divisor` is zero or the quotient does not fit.
  [[nodiscard]] std::optional<Decimal> divide(const Decimal& divisor) const;

  /// -1, 0 or +1; the scales may differ (1.10 compares equal to 1.1).
  [[nodiscard]] int compare(const Decimal& other) const;

  /// Rounded half away from zero to `digits` after the point (digits >= 0); the scale of the
  /// result is exactly `digits` when that is not more than the current scale.
  [[nodiscard]] Decimal rounded(int digits) const;
  /// Toward zero, toward -infinity and toward +infinity, to `digits` after the point.
  [[nodiscard]] Decimal truncated(int digits) const;
  [[nodiscard]] Decimal floored(int digits) const;
  [[nodiscard]] Decimal ceiled(int digits) const;
  /// The same value written with exactly `scale` digits after the point (rounding half away
  /// from zero when digits are dropped); nullopt when padding would overflow.
  [[nodiscard]] std::optional<Decimal> with_scale(int scale) const;
  /// Trailing zeros after the point removed ("1.500" -> "1.5").
  [[nodiscard]] Decimal normalized() const;

 private:
  constexpr Decimal(Mantissa mantissa, int scale) : mantissa_(mantissa), scale_(scale) {}
  enum class Rounding { HalfAwayFromZero, TowardZero, Floor, Ceiling };
  [[nodiscard]] Decimal reduced_to(int digits, Rounding rounding) const;

  Mantissa mantissa_ = 0;
  int scale_ = 0;
};

}  // namespace ptwin::ingest::fhir::fhirpath
