// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/pkpd/scenario.hpp"

#include <fmt/format.h>

#include <map>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/pkpd/detail/positive_parameter.hpp"

namespace ptwin::physics::pkpd {

ParameterMultiplierSeries fluid_parameter_multipliers(const FluidVolumeEffect& fluid,
                                                      std::span<const units::Duration> times) {
  if (fluid.parameter.empty()) {
    throw InputError(ErrorCode::MissingField, "fluids.parameter", "",
                     "name the volume parameter the fluid scales, e.g. stressed_volume");
  }
  detail::require_positive(fluid.reference_volume.si(), "m3",
                           fmt::format("fluids.{}.reference_volume", fluid.parameter));
  ParameterMultiplierSeries series{fluid.parameter, {times.begin(), times.end()}, {}};
  series.multipliers.reserve(times.size());
  for (const auto time : times) {
    const double given_m3 = fluid_given_by(fluid.boluses, time).si();
    series.multipliers.push_back((fluid.reference_volume.si() + given_m3) /
                                 fluid.reference_volume.si());
  }
  return series;
}

std::vector<ParameterMultiplierSeries> scenario_parameter_multipliers(
    const Scenario& scenario, std::span<const units::Duration> times, units::Duration max_step) {
  std::map<std::string, ParameterMultiplierSeries> by_parameter;
  const auto combine = [&](ParameterMultiplierSeries series) {
    const auto [at, is_new] = by_parameter.try_emplace(series.parameter, series);
    if (is_new) return;
    for (std::size_t i = 0; i < series.multipliers.size(); ++i) {
      at->second.multipliers[i] *= series.multipliers[i];
    }
  };
  for (const auto& drug : scenario.drugs) {
    combine(drug_parameter_multipliers(drug.model, drug.schedule, times, max_step));
  }
  for (const auto& fluid : scenario.fluids) combine(fluid_parameter_multipliers(fluid, times));
  std::vector<ParameterMultiplierSeries> result;
  result.reserve(by_parameter.size());
  for (auto& [name, series] : by_parameter) result.push_back(std::move(series));
  return result;
}

}  // namespace ptwin::physics::pkpd
