// SPDX-License-Identifier: Apache-2.0
#pragma once
// The implicit range of a decimal (FHIR R5 search.html#number): a number is as precise as its
// significant digits, so "100" means [99.5, 100.5) and "100.00" means [99.995, 100.005).

#include <string_view>

namespace ptwin::store::fhir {

/// `value` as written, and the closed range [low, high] standing for the half-open range
/// value ± half a unit of the last significant digit: `high` is the largest double below the
/// exclusive end, so that a target exactly on that end does not match.
/// The bounds are computed in decimal and rounded once, so "5.4" gives low == 5.35 exactly as
/// written (no binary cancellation error at the boundary).
/// Examples: "100" → [99.5, 100.5), "1.00e2" → [99.5, 100.5), "0.8" → [0.75, 0.85),
/// "-5" → [-5.5, -4.5), "1e2" → [50, 150). The R5 page's example gives 1e2 as [95, 105), which
/// contradicts its own rule (one significant digit); the rule is what is implemented.
struct DecimalRange {
  double value = 0.0;
  double low = 0.0;
  double high = 0.0;
  friend bool operator==(const DecimalRange&, const DecimalRange&) = default;
};

/// Parses `[-+]digits[.digits][(e|E)[-+]digits]`. Throws InputError(BadInput) at `where` on
/// other syntax, on more than 64 significant digits, and when the value or a bound is not a
/// finite double.
[[nodiscard]] DecimalRange decimal_range(std::string_view text, std::string_view where);

}  // namespace ptwin::store::fhir
