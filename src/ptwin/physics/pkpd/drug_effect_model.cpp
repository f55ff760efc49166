// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/pkpd/drug_effect_model.hpp"

#include <fmt/format.h>

#include <cmath>

#include "ptwin/core/error.hpp"

namespace ptwin::physics::pkpd {

ConcentrationProfile drug_concentrations(const DrugEffectModel& model,
                                         const DosingSchedule& schedule,
                                         std::span<const units::Duration> times,
                                         units::Duration max_step) {
  const double ke0_per_s = model.ke0.si();
  if (!(ke0_per_s > 0.0) || !std::isfinite(ke0_per_s)) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.ke0", model.drug),
                     fmt::format("{} 1/s", ke0_per_s), "must be finite and greater than zero");
  }
  const ProfileSettings settings{.ke0 = model.ke0, .max_step = max_step};
  return std::visit(
      [&](const auto& pk) { return simulate_profile(pk, schedule, times, settings); },
      model.pharmacokinetics);
}

ParameterMultiplierSeries drug_parameter_multipliers(const DrugEffectModel& model,
                                                     const DosingSchedule& schedule,
                                                     std::span<const units::Duration> times,
                                                     units::Duration max_step) {
  if (model.parameter.empty()) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}.parameter", model.drug), "",
                     "name the adjustable parameter the drug scales, e.g. systemic_resistance");
  }
  if (!(model.effect.emax > -1.0)) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.sigmoid_emax.emax", model.drug),
                     fmt::format("{}", model.effect.emax),
                     "must be greater than -1 so that the multiplier 1 + E stays positive");
  }
  const SigmoidEmax effect(model.effect);
  const ConcentrationProfile profile = drug_concentrations(model, schedule, times, max_step);
  ParameterMultiplierSeries series{model.parameter, profile.times, {}};
  series.multipliers.reserve(profile.effect_site.size());
  for (const auto ce : profile.effect_site) series.multipliers.push_back(1.0 + effect.effect(ce));
  return series;
}

}  // namespace ptwin::physics::pkpd
