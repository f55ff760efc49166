// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/risk/hypotension_risk_twin.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::twin::risk {
namespace {

using estimation::GaussianEstimate;
using Index = HaemodynamicTrendModel::StateIndex;

void check(const HypotensionRiskSettings& s) {
  const auto bad = [](const char* field, double value, const char* rule) {
    throw InputError(ErrorCode::BadInput, fmt::format("hypotension risk settings: {}", field),
                     fmt::format("{}", value), rule);
  };
  if (!(s.prior_cardiac_output_m3_per_s > 0.0)) bad("prior_cardiac_output_m3_per_s", s.prior_cardiac_output_m3_per_s, "must be positive");
  if (!(s.prior_ln_cardiac_output_sd > 0.0)) bad("prior_ln_cardiac_output_sd", s.prior_ln_cardiac_output_sd, "must be positive");
  if (s.forecast_step.count() < 1) bad("forecast_step", static_cast<double>(s.forecast_step.count()), "must be at least 1 s");
  if (!(s.hypotension_threshold_pa > 0.0)) bad("hypotension_threshold_pa", s.hypotension_threshold_pa, "must be positive");
  if (s.minimum_duration.count() < 0) bad("minimum_duration", static_cast<double>(s.minimum_duration.count()), "must be >= 0");
  if (s.filter == StateFilter::Enkf && (s.ensemble_size < 10 || s.ensemble_size > 100000)) {
    bad("ensemble_size", s.ensemble_size, "must be 10..100000 for the EnKF");
  }
  for (std::size_t i = 0; i < s.recalibrations.size(); ++i) {
    const auto& r = s.recalibrations[i];
    const std::string where = fmt::format("hypotension risk settings: recalibrations[{}]", i);
    if (r.horizon.count() <= 0) {
      throw InputError(ErrorCode::BadInput, where + ".horizon",
                       fmt::format("{} s", r.horizon.count()), "must be positive");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (s.recalibrations[j].horizon == r.horizon) {
        throw InputError(ErrorCode::BadInput, where + ".horizon",
                         fmt::format("{} s", r.horizon.count()),
                         fmt::format("repeats recalibrations[{}]'s; one map per horizon", j));
      }
    }
    r.map.validate(where + ".map");
  }
}

GaussianEstimate initial_estimate(const HypotensionRiskSettings& s, double map_pa,
                                  std::optional<double> co) {
  check(s);
  const double cvp = s.model.central_venous_pressure_pa;
  if (!(map_pa > cvp) || !std::isfinite(map_pa)) {
    throw InputError(ErrorCode::BadInput, "first mean arterial pressure", fmt::format("{} Pa", map_pa),
                     "must be finite and above the central venous pressure of the model");
  }
  if (co && !(*co > 0.0 && std::isfinite(*co))) {
    throw InputError(ErrorCode::BadInput, "first cardiac output", fmt::format("{} m3/s", *co),
                     "must be a positive finite number");
  }
  const double ln_co = std::log(co ? *co : s.prior_cardiac_output_m3_per_s);
  const double ln_co_sd = co ? s.model.cardiac_output_relative_noise : s.prior_ln_cardiac_output_sd;
  // ln SVR = ln(MAP - CVP) - ln CO + e: the product is known from MAP, the split is not.
  const double relation_sd = s.model.map_noise_pa / (map_pa - cvp);
  GaussianEstimate e;
  e.mean = Eigen::VectorXd::Zero(4);
  e.mean[Index::kLnResistance] = std::log(map_pa - cvp) - ln_co;
  e.mean[Index::kLnCardiacOutput] = ln_co;
  e.covariance = Eigen::MatrixXd::Zero(4, 4);
  const double co_var = ln_co_sd * ln_co_sd;
  e.covariance(Index::kLnCardiacOutput, Index::kLnCardiacOutput) = co_var;
  e.covariance(Index::kLnResistance, Index::kLnResistance) = co_var + relation_sd * relation_sd;
  e.covariance(Index::kLnResistance, Index::kLnCardiacOutput) = -co_var;
  e.covariance(Index::kLnCardiacOutput, Index::kLnResistance) = -co_var;
  const double rate_var = s.model.rate_stationary_sd_per_s * s.model.rate_stationary_sd_per_s;
  e.covariance(Index::kResistanceRate, Index::kResistanceRate) = rate_var;
  e.covariance(Index::kCardiacOutputRate, Index::kCardiacOutputRate) = rate_var;
  return e;
}

estimation::UnscentedSettings filter_settings(const HypotensionRiskSettings& s) {
  estimation::UnscentedSettings u;
  u.gate.probability = s.gate_probability;
  return u;
}

}  // namespace

HypotensionRiskTwin::Filter HypotensionRiskTwin::make_filter(
    const HypotensionRiskSettings& settings, const HaemodynamicTrendModel& model,
    const GaussianEstimate& initial) {
  if (settings.filter == StateFilter::Enkf) {
    estimation::EnsembleSettings e;
    e.members = settings.ensemble_size;
    e.seed = settings.ensemble_seed;
    e.gate.probability = settings.gate_probability;
    return Filter(std::in_place_type<estimation::EnsembleKalmanFilter>, model, initial, e);
  }
  return Filter(std::in_place_type<estimation::UnscentedKalmanFilter>, model, initial,
                filter_settings(settings));
}

HypotensionRiskTwin::HypotensionRiskTwin(const HypotensionRiskSettings& settings,
                                         time::Instant start, double first_map_pa,
                                         std::optional<double> first_co)
    : settings_(settings),
      model_(settings.model),
      filter_(make_filter(settings, model_, initial_estimate(settings, first_map_pa, first_co))),
      time_(start) {
  refresh_estimate();
}

void HypotensionRiskTwin::refresh_estimate() {
  estimate_ = std::visit(
      [](const auto& filter) { return GaussianEstimate(filter.estimate()); }, filter_);
}

estimation::UpdateOutcome HypotensionRiskTwin::update(const estimation::Measurement& measurement) {
  auto outcome = std::visit(
      [&measurement](auto& filter) { return filter.update(measurement); }, filter_);
  refresh_estimate();
  return outcome;
}

void HypotensionRiskTwin::advance_to(time::Instant time) {
  if (time < time_) {
    throw InputError(ErrorCode::BadInput, "hypotension risk twin: measurement time",
                     time::format_iso8601(time),
                     fmt::format("is earlier than the twin's time {}; send measurements in time "
                                 "order",
                                 time::format_iso8601(time_)));
  }
  const double dt = std::chrono::duration<double>(time - time_).count();
  if (dt > 0.0) {
    std::visit([dt](auto& filter) { filter.predict(dt); }, filter_);
    refresh_estimate();
  }
  time_ = time;
}

estimation::UpdateOutcome HypotensionRiskTwin::assimilate_mean_arterial_pressure(time::Instant time,
                                                                                 double pa) {
  advance_to(time);
  estimation::Measurement m;
  m.channels = {HaemodynamicTrendModel::kMeanArterialPressure};
  m.values = Eigen::VectorXd::Constant(1, pa);
  return update(m);
}

estimation::UpdateOutcome HypotensionRiskTwin::assimilate_cardiac_output(time::Instant time,
                                                                         double m3_per_s) {
  advance_to(time);
  estimation::Measurement m;
  m.channels = {HaemodynamicTrendModel::kCardiacOutput};
  m.values = Eigen::VectorXd::Constant(1, m3_per_s);
  return update(m);
}

HypotensionForecast HypotensionRiskTwin::forecast(std::chrono::seconds horizon) const {
  if (horizon.count() <= 0) {
    throw InputError(ErrorCode::BadInput, "forecast horizon", fmt::format("{} s", horizon.count()),
                     "must be positive");
  }
  // The model is linear in its log-space state, so the forecast distribution of the state is
  // exactly Gaussian: propagate the posterior's mean and covariance (a Kalman prediction).
  // ln(MAP - CVP) = ln SVR + ln CO is a linear function of it, so MAP at any future time is
  // log-normal with known parameters.
  const double dt = static_cast<double>(settings_.forecast_step.count());
  Eigen::Matrix4d transition;
  for (int j = 0; j < 4; ++j) {
    transition.col(j) = model_.propagate_fixed(Eigen::Vector4d::Unit(j), dt);
  }
  const Eigen::Matrix4d noise = model_.process_noise(dt);
  Eigen::Vector4d mean = estimate_.mean;
  Eigen::Matrix4d covariance = estimate_.covariance;
  const Eigen::Vector4d pressure_row(1.0, 0.0, 1.0, 0.0);  // picks ln SVR + ln CO
  const double cvp = settings_.model.central_venous_pressure_pa;
  const double ln_threshold = std::log(settings_.hypotension_threshold_pa - cvp);
  const auto steps = static_cast<int>(horizon / settings_.forecast_step);
  // The run must fit inside the horizon: its end is at least minimum_duration after now.
  const int first_step = static_cast<int>(
      std::ceil(static_cast<double>(settings_.minimum_duration.count()) / dt));
  const boost::math::normal_distribution<double> standard_normal;
  double risk = 0.0;
  double ln_pressure_mean = 0.0, ln_pressure_sd = 0.0;
  for (int k = 1; k <= steps; ++k) {
    mean = transition * mean;
    covariance = transition * covariance * transition.transpose() + noise;
    ln_pressure_mean = pressure_row.dot(mean);
    ln_pressure_sd = std::sqrt(std::max(pressure_row.dot(covariance * pressure_row), 0.0));
    if (k >= first_step && ln_pressure_sd > 0.0) {
      risk = std::max(risk, boost::math::cdf(standard_normal,
                                             (ln_threshold - ln_pressure_mean) / ln_pressure_sd));
    }
  }
  constexpr double kZ95 = 1.6448536269514722;  // two-sided 90 % interval
  const double ln_co_mean = mean[Index::kLnCardiacOutput];
  const double ln_co_sd = std::sqrt(std::max(covariance(Index::kLnCardiacOutput, Index::kLnCardiacOutput), 0.0));
  HypotensionForecast f;
  f.time = time_;
  f.horizon = horizon;
  f.raw_probability = risk;
  f.probability = risk;
  for (const auto& r : settings_.recalibrations) {
    if (r.horizon != horizon) continue;
    f.probability = r.map.apply(risk);
    f.recalibration = r.map.method;
  }
  f.mean_arterial_pressure_pa = {std::exp(ln_pressure_mean - kZ95 * ln_pressure_sd) + cvp,
                                 std::exp(ln_pressure_mean) + cvp,
                                 std::exp(ln_pressure_mean + kZ95 * ln_pressure_sd) + cvp};
  f.cardiac_output_m3_per_s = {std::exp(ln_co_mean - kZ95 * ln_co_sd), std::exp(ln_co_mean),
                               std::exp(ln_co_mean + kZ95 * ln_co_sd)};
  return f;
}

}  // namespace ptwin::twin::risk
