// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/pkpd/parameter_multiplier_series.hpp"

#include <algorithm>
#include <iterator>

#include "ptwin/core/error.hpp"

namespace ptwin::physics::pkpd {

double ParameterMultiplierSeries::at(units::Duration time) const {
  if (times.empty() || times.size() != multipliers.size()) {
    throw InputError(ErrorCode::BadInput, "parameter_multipliers." + parameter, "",
                     "the series has no samples (or times and multipliers differ in length)");
  }
  if (time <= times.front()) return multipliers.front();
  if (time >= times.back()) return multipliers.back();
  const auto after = std::upper_bound(times.begin(), times.end(), time);
  const auto i = static_cast<std::size_t>(std::distance(times.begin(), after));
  const double t0 = times[i - 1].si();
  const double t1 = times[i].si();
  if (t1 == t0) return multipliers[i];
  const double weight = (time.si() - t0) / (t1 - t0);
  return multipliers[i - 1] + weight * (multipliers[i] - multipliers[i - 1]);
}

}  // namespace ptwin::physics::pkpd
