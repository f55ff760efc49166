// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/risk/what_if_forecast.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::twin::risk {
namespace {

using Index = HaemodynamicTrendModel::StateIndex;
constexpr double kZ95 = 1.6448536269514722;  // two-sided 90 % interval

ForecastQuantiles log_normal_quantiles(double ln_mean, double ln_sd, double shift) {
  return {std::exp(ln_mean - kZ95 * ln_sd) + shift, std::exp(ln_mean) + shift,
          std::exp(ln_mean + kZ95 * ln_sd) + shift};
}

void check_leads(std::chrono::seconds horizon, std::chrono::seconds step,
                 std::span<const std::chrono::seconds> leads) {
  if (horizon.count() <= 0 || horizon % step != std::chrono::seconds(0)) {
    throw InputError(ErrorCode::BadInput, "horizon", fmt::format("{} s", horizon.count()),
                     fmt::format("must be a positive multiple of the forecast step ({} s)",
                                 step.count()));
  }
  for (std::size_t i = 0; i < leads.size(); ++i) {
    if (leads[i].count() <= 0 || leads[i] > horizon || leads[i] % step != std::chrono::seconds(0)) {
      throw InputError(ErrorCode::BadInput, fmt::format("leads[{}]", i),
                       fmt::format("{} s", leads[i].count()),
                       fmt::format("must be a positive multiple of the forecast step ({} s) "
                                   "within the horizon ({} s)",
                                   step.count(), horizon.count()));
    }
  }
}

}  // namespace

WhatIfForecast forecast_what_if(const HypotensionRiskTwin& twin,
                                const HaemodynamicIntervention& intervention,
                                std::chrono::seconds horizon,
                                std::span<const std::chrono::seconds> leads) {
  const HypotensionRiskSettings& settings = twin.settings();
  const std::chrono::seconds step = settings.forecast_step;
  check_leads(horizon, step, leads);
  const auto steps = static_cast<std::size_t>(horizon / step);
  const double dt = static_cast<double>(step.count());
  std::vector<units::Duration> times;
  times.reserve(steps + 1);
  for (std::size_t k = 0; k <= steps; ++k) {
    times.push_back(units::Duration::from_si(dt * static_cast<double>(k)));
  }
  const InterventionEffects effects = intervention_effects(intervention, times);

  const HaemodynamicTrendModel model(settings.model);
  Eigen::Matrix4d transition;
  for (int j = 0; j < 4; ++j) transition.col(j) = model.propagate_fixed(Eigen::Vector4d::Unit(j), dt);
  const Eigen::Matrix4d noise = model.process_noise(dt);
  Eigen::Vector4d mean = twin.estimate().mean;
  Eigen::Matrix4d covariance = twin.estimate().covariance;
  const Eigen::Vector4d pressure_row(1.0, 0.0, 1.0, 0.0);  // ln SVR + ln CO
  const double cvp = settings.model.central_venous_pressure_pa;
  const double ln_threshold = std::log(settings.hypotension_threshold_pa - cvp);
  const auto first_step = static_cast<std::size_t>(
      std::ceil(static_cast<double>(settings.minimum_duration.count()) / dt));
  const double s_drug = effects.drug_effect_relative_sd;
  const double s_fluid = effects.fluid_gain_relative_sd;
  const boost::math::normal_distribution<double> standard_normal;

  WhatIfForecast forecast;
  forecast.time = twin.time();
  forecast.horizon = horizon;
  std::size_t next_lead = 0;
  for (std::size_t k = 1; k <= steps; ++k) {
    mean = transition * mean;
    covariance = transition * covariance * transition.transpose() + noise;
    const double ln_p = pressure_row.dot(mean);
    const double var_p = std::max(pressure_row.dot(covariance * pressure_row), 0.0);
    const double ln_co = mean[Index::kLnCardiacOutput];
    const double var_co = std::max(covariance(Index::kLnCardiacOutput, Index::kLnCardiacOutput), 0.0);
    const double a_drug = effects.drug_ln_resistance[k] + effects.drug_ln_cardiac_output[k];
    const double a_co = effects.drug_ln_cardiac_output[k];
    const double f = effects.fluid_ln_cardiac_output[k];
    const double fluid_var = s_fluid * s_fluid * f * f;
    const double ln_p_with = ln_p + a_drug + f;
    const double sd_p_with = std::sqrt(var_p + s_drug * s_drug * a_drug * a_drug + fluid_var);
    const double ln_co_with = ln_co + a_co + f;
    const double sd_co_with = std::sqrt(var_co + s_drug * s_drug * a_co * a_co + fluid_var);
    const double sd_p = std::sqrt(var_p);
    if (k >= first_step) {
      if (sd_p > 0.0) {
        forecast.without_intervention.probability =
            std::max(forecast.without_intervention.probability,
                     boost::math::cdf(standard_normal, (ln_threshold - ln_p) / sd_p));
      }
      if (sd_p_with > 0.0) {
        forecast.with_intervention.probability =
            std::max(forecast.with_intervention.probability,
                     boost::math::cdf(standard_normal, (ln_threshold - ln_p_with) / sd_p_with));
      }
    }
    while (next_lead < leads.size() && leads[next_lead] == step * static_cast<long>(k)) {
      ForecastAtLead plain;
      plain.lead = leads[next_lead];
      plain.mean_arterial_pressure_pa = log_normal_quantiles(ln_p, sd_p, cvp);
      plain.cardiac_output_m3_per_s = log_normal_quantiles(ln_co, std::sqrt(var_co), 0.0);
      ForecastAtLead treated;
      treated.lead = leads[next_lead];
      treated.mean_arterial_pressure_pa = log_normal_quantiles(ln_p_with, sd_p_with, cvp);
      treated.cardiac_output_m3_per_s = log_normal_quantiles(ln_co_with, sd_co_with, 0.0);
      treated.resistance_multiplier = std::exp(effects.drug_ln_resistance[k]);
      treated.cardiac_output_multiplier = std::exp(a_co + f);
      forecast.without_intervention.points.push_back(plain);
      forecast.with_intervention.points.push_back(treated);
      ++next_lead;
    }
  }
  if (next_lead != leads.size()) {
    throw InputError(ErrorCode::BadInput, fmt::format("leads[{}]", next_lead),
                     fmt::format("{} s", leads[next_lead].count()),
                     "leads must be given in increasing order");
  }
  return forecast;
}

}  // namespace ptwin::twin::risk
