// SPDX-License-Identifier: Apache-2.0
#pragma once
// The part of UCUM (https://ucum.org/ucum) that FHIRPath Quantity comparison needs: a unit
// expression is reduced to a factor and exponents of the base units, so that `4 'g' = 4000 'mg'`
// and `7 days = 1 'wk'`. Covered: the seven UCUM base units plus mol, the SI prefixes, the
// common derived units (L, Pa, N, J, W, Hz, eq, kat, U, bar, mm[Hg], cm[H2O]), the definite
// time units (min, h, d, wk, mo, a), the customary units [in_i], [ft_i], [yd_i], [mi_i],
// [lb_av], [oz_av], [gr] and US volumes, '.', '/', integer exponents, parentheses, `10*n`
// factors and {annotations}. Special (non-ratio) units such as Cel and arbitrary units such as
// [IU] are not reduced: they compare only with the same unit written the same way.
//
// The FHIRPath calendar keywords (`week`, `days`, ...) reduce to the UCUM definite units for
// weeks and below; `year` and `month` reduce to a separate calendar-month dimension, because a
// calendar year is not 365.25 d (FHIRPath N1 §"Quantity": `1 year = 1 'a'` is empty).

#include <array>
#include <optional>
#include <string_view>

#include "ptwin/ingest/fhir/fhirpath/decimal.hpp"
#include "ptwin/ingest/fhir/fhirpath/temporal.hpp"

namespace ptwin::ingest::fhir::fhirpath::ucum {

/// Exponents of m, g, s, rad, K, C, cd, mol and the calendar month, in that order.
inline constexpr std::size_t kBaseCount = 9;
using Exponents = std::array<int, kBaseCount>;

/// value [unit] = value × factor [base units ^ exponents].
struct CanonicalUnit {
  Decimal factor = Decimal::from_integer(1);
  Exponents exponents{};
};

/// Reduces a UCUM code or a FHIRPath calendar keyword; nullopt when it is not one that this
/// table covers (see the file comment).
[[nodiscard]] std::optional<CanonicalUnit> canonical(std::string_view unit);

/// `year`/`years` ... `millisecond`/`milliseconds`; nullopt for anything else.
[[nodiscard]] std::optional<CalendarUnit> calendar_keyword(std::string_view unit);

/// The calendar unit a Date/DateTime/Time arithmetic operand stands for: a calendar keyword,
/// or the UCUM definite units 'wk', 'd', 'h', 'min', 's', 'ms'. UCUM 'a' and 'mo' are not
/// calendar units (they are mean lengths) and give nullopt, as any other unit does.
[[nodiscard]] std::optional<CalendarUnit> duration_unit(std::string_view unit);

}  // namespace ptwin::ingest::fhir::fhirpath::ucum
