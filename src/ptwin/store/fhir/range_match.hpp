// SPDX-License-Identifier: Apache-2.0
#pragma once
// What each prefix of a number, date or quantity search compares (R5 search.html#prefix).
// Both the SQL the backends run and the reference predicate range_matches() are generated from
// MatchBounds, so the two cannot drift apart; the integration tests check the backends against
// the predicate on random data.

#include <cstdint>

#include "ptwin/core/time.hpp"
#include "ptwin/store/fhir/search_query.hpp"

namespace ptwin::store::fhir {

/// The bounds one search value contributes, all closed. With a target range [t_low, t_high]:
///   eq: low <= t_low && t_high <= high         (the search range contains the target)
///   ne: !eq
///   gt: t_high > order_high    lt: t_low < order_low
///   ge: t_high >= order_low    le: t_low <= order_high
///   sa: t_low > order_high     eb: t_high < order_low
///   ap: t_low <= approx_high && t_high >= approx_low   (the ranges overlap)
/// For a date the order bounds are its range ("gt2024-05" is after May). For a number they
/// are the value itself: the page says gt/lt/ge/le/sa/eb ignore the implicit precision.
template <typename T>
struct MatchBounds {
  T low{};
  T high{};
  T order_low{};
  T order_high{};
  T approx_low{};
  T approx_high{};
  friend bool operator==(const MatchBounds&, const MatchBounds&) = default;
};

/// Date bounds in nanoseconds since the epoch. `ap` widens the range by 10 % of the gap
/// between `now` and the middle of the searched range (the page's recommendation), saturating
/// at the representable ends.
[[nodiscard]] MatchBounds<std::int64_t> date_match_bounds(const DateValue& value,
                                                          time::Instant now);

/// Number (and quantity) bounds. `ap` widens the implicit range by 10 % of |value|.
[[nodiscard]] MatchBounds<double> number_match_bounds(const NumberValue& value);

/// The reference predicate: does a target range [target_low, target_high] match?
template <typename T>
[[nodiscard]] bool range_matches(Prefix prefix, const MatchBounds<T>& bounds, T target_low,
                                 T target_high) {
  switch (prefix) {
    case Prefix::Eq:
      return bounds.low <= target_low && target_high <= bounds.high;
    case Prefix::Ne:
      return !(bounds.low <= target_low && target_high <= bounds.high);
    case Prefix::Gt:
      return target_high > bounds.order_high;
    case Prefix::Lt:
      return target_low < bounds.order_low;
    case Prefix::Ge:
      return target_high >= bounds.order_low;
    case Prefix::Le:
      return target_low <= bounds.order_high;
    case Prefix::Sa:
      return target_low > bounds.order_high;
    case Prefix::Eb:
      return target_high < bounds.order_low;
    case Prefix::Ap:
      return target_low <= bounds.approx_high && target_high >= bounds.approx_low;
  }
  return false;
}

}  // namespace ptwin::store::fhir
