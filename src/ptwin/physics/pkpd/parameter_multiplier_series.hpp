// SPDX-License-Identifier: Apache-2.0
#pragma once
// A multiplier on one named model parameter over time: the form in which a what-if scenario
// (drugs, fluids) reaches the 0D model, whose adjustable parameters are multipliers on model
// values (twin/personalisation.hpp: "adjustable_parameters" ... "scales").

#include <string>
#include <vector>

#include "ptwin/core/units.hpp"

namespace ptwin::physics::pkpd {

struct ParameterMultiplierSeries {
  std::string parameter;  // an adjustable parameter's name, e.g. "systemic_resistance"
  std::vector<units::Duration> times;
  std::vector<double> multipliers;  // dimensionless, 1 = unchanged

  /// The multiplier at `time`: linear between samples, the first/last value outside.
  /// Throws InputError(BadInput) naming the parameter when the series is empty.
  [[nodiscard]] double at(units::Duration time) const;
};

}  // namespace ptwin::physics::pkpd
