// SPDX-License-Identifier: Apache-2.0
#pragma once
// SI values as FHIR Quantity in the display units clinicians read (STYLE.md §5: SI inside,
// converted at the clinical edge), with UCUM codes.

#include <nlohmann/json.hpp>

namespace ptwin::clinical::fhir {

/// {"value": mmHg, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"}, 1 decimal.
[[nodiscard]] nlohmann::json pressure_mmhg(double pa);
/// L/min ("L/min"), 2 decimals.
[[nodiscard]] nlohmann::json flow_l_per_min(double m3_per_s);
/// dyn.s.cm-5 (the bedside unit of vascular resistance), whole numbers.
[[nodiscard]] nlohmann::json resistance_dyn_s_per_cm5(double pa_s_per_m3);
/// `value` rounded to `decimals` places (what FHIR outputs carry: no false precision).
[[nodiscard]] double rounded(double value, int decimals);

}  // namespace ptwin::clinical::fhir
