// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/fhir/quantities.hpp"

#include <cmath>

#include "ptwin/clinical/fhir/output_codes.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin::clinical::fhir {
namespace {

nlohmann::json quantity(double value, const char* unit, const char* code) {
  return {{"value", value}, {"unit", unit}, {"system", kUcum}, {"code", code}};
}

}  // namespace

double rounded(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

nlohmann::json pressure_mmhg(double pa) {
  return quantity(rounded(pa / units::kPaPerMmHg, 1), "mmHg", "mm[Hg]");
}

nlohmann::json flow_l_per_min(double m3_per_s) {
  return quantity(rounded(m3_per_s * 6.0e4, 2), "L/min", "L/min");
}

// 1 dyn s cm^-5 = 1e-5 N s / 1e-10 m^5 = 1e5 Pa s m^-3.
nlohmann::json resistance_dyn_s_per_cm5(double pa_s_per_m3) {
  return quantity(rounded(pa_s_per_m3 / 1.0e5, 0), "dyn.s/cm5", "dyn.s.cm-5");
}

}  // namespace ptwin::clinical::fhir
