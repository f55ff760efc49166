// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/risk/haemodynamic_trend_model.hpp"

#include <cmath>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::twin::risk {
namespace {

void require_positive(const char* field, double value) {
  if (!(value > 0.0) || !std::isfinite(value)) {
    throw InputError(ErrorCode::BadInput, fmt::format("haemodynamic trend settings: {}", field),
                     fmt::format("{}", value), "must be a positive finite number");
  }
}

}  // namespace

HaemodynamicTrendModel::HaemodynamicTrendModel(HaemodynamicTrendSettings settings)
    : settings_(settings) {
  if (!(settings_.central_venous_pressure_pa >= 0.0)) {
    throw InputError(ErrorCode::BadInput, "haemodynamic trend settings: central_venous_pressure_pa",
                     fmt::format("{}", settings_.central_venous_pressure_pa), "must be >= 0");
  }
  require_positive("level_noise_per_sqrt_s", settings_.level_noise_per_sqrt_s);
  require_positive("rate_stationary_sd_per_s", settings_.rate_stationary_sd_per_s);
  require_positive("rate_memory_s", settings_.rate_memory_s);
  require_positive("map_noise_pa", settings_.map_noise_pa);
  require_positive("cardiac_output_relative_noise", settings_.cardiac_output_relative_noise);
  require_positive("nominal_cardiac_output_m3_per_s", settings_.nominal_cardiac_output_m3_per_s);
}

std::vector<std::string> HaemodynamicTrendModel::state_names() const {
  return {"ln_systemic_resistance", "ln_systemic_resistance_rate_per_s", "ln_cardiac_output",
          "ln_cardiac_output_rate_per_s"};
}

std::vector<std::string> HaemodynamicTrendModel::observation_names() const {
  return {"mean_arterial_pressure_pa", "cardiac_output_m3_per_s"};
}

Eigen::Vector4d HaemodynamicTrendModel::propagate_fixed(const Eigen::Vector4d& x,
                                                        double dt_s) const {
  const double decay = std::exp(-dt_s / settings_.rate_memory_s);
  // The level integrates the decaying rate exactly: int_0^dt r e^{-t/tau} dt = r tau (1 - decay).
  const double integrated = settings_.rate_memory_s * (1.0 - decay);
  Eigen::Vector4d next;
  next[kLnResistance] = x[kLnResistance] + integrated * x[kResistanceRate];
  next[kResistanceRate] = decay * x[kResistanceRate];
  next[kLnCardiacOutput] = x[kLnCardiacOutput] + integrated * x[kCardiacOutputRate];
  next[kCardiacOutputRate] = decay * x[kCardiacOutputRate];
  return next;
}

Eigen::VectorXd HaemodynamicTrendModel::propagate(const Eigen::VectorXd& x, double dt_s) const {
  return propagate_fixed(Eigen::Vector4d(x), dt_s);
}

Eigen::MatrixXd HaemodynamicTrendModel::process_noise(double dt_s) const {
  const double decay = std::exp(-dt_s / settings_.rate_memory_s);
  const double level = settings_.level_noise_per_sqrt_s * settings_.level_noise_per_sqrt_s * dt_s;
  const double rate = settings_.rate_stationary_sd_per_s * settings_.rate_stationary_sd_per_s *
                      (1.0 - decay * decay);
  Eigen::MatrixXd q = Eigen::MatrixXd::Zero(4, 4);
  q(kLnResistance, kLnResistance) = level;
  q(kResistanceRate, kResistanceRate) = rate;
  q(kLnCardiacOutput, kLnCardiacOutput) = level;
  q(kCardiacOutputRate, kCardiacOutputRate) = rate;
  return q;
}

Eigen::VectorXd HaemodynamicTrendModel::observe(const Eigen::VectorXd& x) const {
  Eigen::VectorXd y(2);
  y[kMeanArterialPressure] = mean_arterial_pressure_pa(x);
  y[kCardiacOutput] = std::exp(x[kLnCardiacOutput]);
  return y;
}

Eigen::MatrixXd HaemodynamicTrendModel::observation_noise() const {
  Eigen::MatrixXd r = Eigen::MatrixXd::Zero(2, 2);
  r(kMeanArterialPressure, kMeanArterialPressure) = settings_.map_noise_pa * settings_.map_noise_pa;
  const double co_sd =
      settings_.cardiac_output_relative_noise * settings_.nominal_cardiac_output_m3_per_s;
  r(kCardiacOutput, kCardiacOutput) = co_sd * co_sd;
  return r;
}

}  // namespace ptwin::twin::risk
