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

// The forecast marginals of ln(MAP - CVP) and ln CO at one time.
struct LogMarginals {
  double ln_pressure_mean = 0.0;
  double ln_pressure_sd = 0.0;
  double ln_cardiac_output_mean = 0.0;
  double ln_cardiac_output_sd = 0.0;
};

LogMarginals marginals(const Eigen::Vector4d& mean, const Eigen::Matrix4d& covariance) {
  const Eigen::Vector4d pressure_row(1.0, 0.0, 1.0, 0.0);  // ln SVR + ln CO
  const auto co = Index::kLnCardiacOutput;
  return {pressure_row.dot(mean),
          std::sqrt(std::max(pressure_row.dot(covariance * pressure_row), 0.0)), mean[co],
          std::sqrt(std::max(covariance(co, co), 0.0))};
}

// The intervention's log-offsets at grid index k, with the variance of the response factors
// (what_if_forecast.hpp: c_d and c_f independent of the state).
LogMarginals shifted(const LogMarginals& plain, const InterventionEffects& e, std::size_t k) {
  const double drug_on_pressure = e.drug_ln_resistance[k] + e.drug_ln_cardiac_output[k];
  const double drug_on_co = e.drug_ln_cardiac_output[k];
  const double fluid = e.fluid_ln_cardiac_output[k];
  const double drug_var = e.drug_effect_relative_sd * e.drug_effect_relative_sd;
  const double fluid_var = e.fluid_gain_relative_sd * e.fluid_gain_relative_sd * fluid * fluid;
  const auto sd = [](double plain_sd, double added_var) {
    return std::sqrt(plain_sd * plain_sd + added_var);
  };
  return {plain.ln_pressure_mean + drug_on_pressure + fluid,
          sd(plain.ln_pressure_sd, drug_var * drug_on_pressure * drug_on_pressure + fluid_var),
          plain.ln_cardiac_output_mean + drug_on_co + fluid,
          sd(plain.ln_cardiac_output_sd, drug_var * drug_on_co * drug_on_co + fluid_var)};
}

double probability_below(double ln_threshold, const LogMarginals& m) {
  if (!(m.ln_pressure_sd > 0.0)) return 0.0;
  const boost::math::normal_distribution<double> standard_normal;
  return boost::math::cdf(standard_normal, (ln_threshold - m.ln_pressure_mean) / m.ln_pressure_sd);
}

ForecastAtLead at_lead(std::chrono::seconds lead, const LogMarginals& m, double cvp) {
  ForecastAtLead point;
  point.lead = lead;
  point.mean_arterial_pressure_pa = log_normal_quantiles(m.ln_pressure_mean, m.ln_pressure_sd, cvp);
  point.cardiac_output_m3_per_s =
      log_normal_quantiles(m.ln_cardiac_output_mean, m.ln_cardiac_output_sd, 0.0);
  return point;
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
  const double cvp = settings.model.central_venous_pressure_pa;
  const double ln_threshold = std::log(settings.hypotension_threshold_pa - cvp);
  // The run must fit inside the horizon: its end is at least minimum_duration after now.
  const auto first_step = static_cast<std::size_t>(
      std::ceil(static_cast<double>(settings.minimum_duration.count()) / dt));

  WhatIfForecast forecast;
  forecast.time = twin.time();
  forecast.horizon = horizon;
  std::size_t next_lead = 0;
  for (std::size_t k = 1; k <= steps; ++k) {
    mean = transition * mean;
    covariance = transition * covariance * transition.transpose() + noise;
    const LogMarginals plain = marginals(mean, covariance);
    const LogMarginals treated = shifted(plain, effects, k);
    if (k >= first_step) {
      auto& without = forecast.without_intervention.probability;
      auto& with = forecast.with_intervention.probability;
      without = std::max(without, probability_below(ln_threshold, plain));
      with = std::max(with, probability_below(ln_threshold, treated));
    }
    while (next_lead < leads.size() && leads[next_lead] == step * static_cast<long>(k)) {
      forecast.without_intervention.points.push_back(at_lead(leads[next_lead], plain, cvp));
      ForecastAtLead point = at_lead(leads[next_lead], treated, cvp);
      point.resistance_multiplier = std::exp(effects.drug_ln_resistance[k]);
      point.cardiac_output_multiplier =
          std::exp(effects.drug_ln_cardiac_output[k] + effects.fluid_ln_cardiac_output[k]);
      forecast.with_intervention.points.push_back(point);
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
