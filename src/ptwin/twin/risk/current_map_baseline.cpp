// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/risk/current_map_baseline.hpp"

#include <vector>

#include "ptwin/core/units.hpp"

namespace ptwin::twin::risk {

CurrentMapBaseline CurrentMapBaseline::fit(std::span<const uq::LabelledValue> training) {
  std::vector<uq::LabelledValue> in_mmhg(training.begin(), training.end());
  for (auto& v : in_mmhg) v.x /= units::kPaPerMmHg;
  return CurrentMapBaseline(uq::fit_logistic_regression(in_mmhg));
}

double CurrentMapBaseline::probability(double mean_arterial_pressure_pa) const {
  return fit_.probability(mean_arterial_pressure_pa / units::kPaPerMmHg);
}

}  // namespace ptwin::twin::risk
