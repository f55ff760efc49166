// SPDX-License-Identifier: Apache-2.0
#pragma once
// FHIRPath System.Quantity: a decimal value with a UCUM unit or a calendar-duration keyword
// (FHIRPath N1 §"Quantity"). Comparison converts through ucum::canonical, so quantities in
// commensurable units compare by value (`4.0 'g' = 4000.0 'mg'`); quantities in units that are
// not commensurable, or not covered by the UCUM table, compare only when written in the same
// unit.

#include <optional>
#include <string>
#include <string_view>

#include "ptwin/ingest/fhir/fhirpath/decimal.hpp"

namespace ptwin::ingest::fhir::fhirpath {

struct Quantity {
  Decimal value;
  /// UCUM code (`mg`, `[lb_av]`, `1`) or calendar keyword (`week`, `days`).
  std::string unit = "1";

  /// FHIRPath text form: a keyword unit bare (`1 week`), a UCUM unit quoted (`1 'wk'`).
  [[nodiscard]] std::string to_string() const;
};

/// Whether the units of `a` and `b` can be converted into each other.
[[nodiscard]] bool comparable(const Quantity& a, const Quantity& b);
/// -1, 0, +1; nullopt when the units are not comparable.
[[nodiscard]] std::optional<int> compare(const Quantity& a, const Quantity& b);
/// FHIRPath `=`: nullopt when the units are not comparable.
[[nodiscard]] std::optional<bool> equal(const Quantity& a, const Quantity& b);
/// FHIRPath `~`: equal after rounding to the scale of the less precise value; false when the
/// units are not comparable.
[[nodiscard]] bool equivalent(const Quantity& a, const Quantity& b);

/// `value` in `unit`; nullopt when the units are not comparable.
[[nodiscard]] std::optional<Quantity> convert(const Quantity& value, std::string_view unit);
/// Sum and difference in the unit of `a`; nullopt when the units are not comparable.
[[nodiscard]] std::optional<Quantity> add(const Quantity& a, const Quantity& b);
[[nodiscard]] std::optional<Quantity> subtract(const Quantity& a, const Quantity& b);
/// Product and quotient with the units combined (`g.m`, `g/m`; `1` when they cancel); nullopt
/// for calendar years and months, which have no UCUM equivalent, or on overflow and /0.
[[nodiscard]] std::optional<Quantity> multiply(const Quantity& a, const Quantity& b);
[[nodiscard]] std::optional<Quantity> divide(const Quantity& a, const Quantity& b);

}  // namespace ptwin::ingest::fhir::fhirpath
