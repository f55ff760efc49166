// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/range_match.hpp"

#include <cmath>
#include <limits>

namespace ptwin::store::fhir {
namespace {

constexpr double kApproximateFraction = 0.1;  // search.html#prefix: "recommended ... 10%"

std::int64_t saturating_add(std::int64_t a, double b) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  const double sum = static_cast<double>(a) + b;
  // 2^63 is exactly representable; anything at or beyond it saturates.
  if (sum >= 9.223372036854775807e18) return kMax;
  if (sum <= -9.223372036854775808e18) return kMin;
  return static_cast<std::int64_t>(std::llround(sum));
}

}  // namespace

MatchBounds<std::int64_t> date_match_bounds(const DateValue& value, time::Instant now) {
  const std::int64_t low = time::to_epoch_ns(value.low);
  const std::int64_t high = time::to_epoch_ns(value.high);
  // In double: the gap between two representable instants may exceed int64.
  const double middle = (static_cast<double>(low) + static_cast<double>(high)) / 2.0;
  const double gap = std::fabs(static_cast<double>(time::to_epoch_ns(now)) - middle);
  const double widening = kApproximateFraction * gap;
  return MatchBounds<std::int64_t>{.low = low,
                                   .high = high,
                                   .order_low = low,
                                   .order_high = high,
                                   .approx_low = saturating_add(low, -widening),
                                   .approx_high = saturating_add(high, widening)};
}

MatchBounds<double> number_match_bounds(const NumberValue& value) {
  const double widening = kApproximateFraction * std::fabs(value.value);
  return MatchBounds<double>{.low = value.low,
                             .high = value.high,
                             .order_low = value.value,
                             .order_high = value.value,
                             .approx_low = value.low - widening,
                             .approx_high = value.high + widening};
}

}  // namespace ptwin::store::fhir
