// SPDX-License-Identifier: Apache-2.0
#pragma once
// The baseline that critics of cleared hypotension predictors point to: the probability of
// hypotension within the horizon from the current mean arterial pressure alone, a logistic
// regression on MAP (in mmHg, for a readable slope) fitted on training patients. Enevoldsen &
// Vistisen 2022 (Anesthesiology 137:283) showed that much of a cleared index's reported
// discrimination is reproduced by current MAP, because the evaluation samples were selected with
// MAP already low; any twin risk is therefore reported beside this baseline.

#include <span>

#include "ptwin/uq/logistic_regression.hpp"

namespace ptwin::twin::risk {

class CurrentMapBaseline {
 public:
  /// `training`: x = MAP in Pa at the prediction time, outcome = hypotension within the horizon.
  [[nodiscard]] static CurrentMapBaseline fit(std::span<const uq::LabelledValue> training);

  [[nodiscard]] double probability(double mean_arterial_pressure_pa) const;
  [[nodiscard]] const uq::LogisticFit& logistic() const noexcept { return fit_; }  // x in mmHg

 private:
  explicit CurrentMapBaseline(uq::LogisticFit fit) : fit_(fit) {}
  uq::LogisticFit fit_;
};

}  // namespace ptwin::twin::risk
