// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/estimation/unscented_kalman_filter.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <cmath>

#include "ptwin/core/error.hpp"
#include "ptwin/twin/estimation/detail/covariance_numerics.hpp"
#include "ptwin/twin/estimation/detail/measurement_support.hpp"

namespace ptwin::twin::estimation {
namespace {

constexpr std::string_view kName = "UKF";

void validate(const StateSpaceModel& model, const GaussianEstimate& initial,
              const UnscentedSettings& settings) {
  const auto n = model.state_size();
  if (n < 1) {
    throw InputError(ErrorCode::BadInput, "ukf model", "0 states", "needs at least one state");
  }
  if (initial.mean.size() != n || initial.covariance.rows() != n ||
      initial.covariance.cols() != n) {
    throw InputError(ErrorCode::BadInput, "ukf initial estimate",
                     fmt::format("mean {}, covariance {}x{}", initial.mean.size(),
                                 initial.covariance.rows(), initial.covariance.cols()),
                     fmt::format("must match the model's {} states", n));
  }
  if (!(settings.alpha > 0.0 && settings.alpha <= 1.0)) {
    throw InputError(ErrorCode::BadInput, "ukf.alpha", fmt::format("{}", settings.alpha),
                     "must be in (0, 1]");
  }
  if (!std::isfinite(settings.beta) || !(n + settings.kappa > 0.0)) {
    throw InputError(ErrorCode::BadInput, "ukf.kappa", fmt::format("{}", settings.kappa),
                     fmt::format("n + kappa must be > 0 (n = {}) and beta finite", n));
  }
  detail::validate_gate_settings(settings.gate, "ukf");
}

}  // namespace

UnscentedKalmanFilter::UnscentedKalmanFilter(const StateSpaceModel& model, GaussianEstimate initial,
                                             UnscentedSettings settings)
    : model_(model), estimate_(std::move(initial)), settings_(settings) {
  validate(model_, estimate_, settings_);
  const double n = model_.state_size();
  const double a2 = settings_.alpha * settings_.alpha;
  const double lambda = a2 * (n + settings_.kappa) - n;
  const auto points = 2 * model_.state_size() + 1;
  mean_weights_ = Eigen::VectorXd::Constant(points, 0.5 / (n + lambda));
  covariance_weights_ = mean_weights_;
  mean_weights_(0) = lambda / (n + lambda);
  covariance_weights_(0) = mean_weights_(0) + 1.0 - a2 + settings_.beta;
  spread_ = std::sqrt(n + lambda);
  detail::require_finite(estimate_.mean, {kName, 0, "initial"}, "initial mean");
  estimate_.covariance = detail::symmetrised(estimate_.covariance);
  (void)detail::checked_cholesky(estimate_.covariance, {kName, 0, "initial"},
                                 "initial covariance P0");
}

Eigen::MatrixXd UnscentedKalmanFilter::sigma_points(std::string_view stage) const {
  const auto factor = detail::checked_cholesky(estimate_.covariance, {kName, step_, stage},
                                               "covariance P (sigma points)");
  const Eigen::MatrixXd offsets = spread_ * Eigen::MatrixXd(factor.matrixL());
  const auto n = estimate_.mean.size();
  Eigen::MatrixXd points(n, 2 * n + 1);
  points.col(0) = estimate_.mean;
  for (Eigen::Index i = 0; i < n; ++i) {
    points.col(1 + i) = estimate_.mean + offsets.col(i);
    points.col(1 + n + i) = estimate_.mean - offsets.col(i);
  }
  return points;
}

void UnscentedKalmanFilter::predict(double dt_s) {
  if (!(dt_s >= 0.0) || !std::isfinite(dt_s)) {
    throw InputError(ErrorCode::BadInput, "ukf predict dt", fmt::format("{} s", dt_s),
                     "must be a finite time step >= 0");
  }
  ++step_;
  const detail::StepContext context{kName, step_, "predict"};
  const Eigen::MatrixXd points = sigma_points("predict");
  Eigen::MatrixXd propagated(points.rows(), points.cols());
  for (Eigen::Index i = 0; i < points.cols(); ++i) {
    propagated.col(i) = model_.propagate(points.col(i), dt_s);
  }
  detail::require_finite(propagated, context, "f(sigma points)");
  const Eigen::VectorXd mean = propagated * mean_weights_;
  const Eigen::MatrixXd deviations = propagated.colwise() - mean;
  const Eigen::MatrixXd noise = model_.process_noise(dt_s);
  detail::require_finite(noise, context, "process noise Q");
  estimate_.mean = mean;
  estimate_.covariance = detail::symmetrised(
      deviations * covariance_weights_.asDiagonal() * deviations.transpose() + noise);
  (void)detail::checked_cholesky(estimate_.covariance, context, "predicted covariance P");
}

UpdateOutcome UnscentedKalmanFilter::update(const Measurement& measurement) {
  const detail::StepContext context{kName, step_, "update"};
  detail::validate_measurement(measurement, model_.observation_size(), context);
  const auto& channels = measurement.channels;
  const Eigen::MatrixXd points = sigma_points("update");
  const auto m = static_cast<Eigen::Index>(channels.size());
  Eigen::MatrixXd observed(m, points.cols());
  for (Eigen::Index i = 0; i < points.cols(); ++i) {
    observed.col(i) = detail::select_rows(model_.observe(points.col(i)), channels);
  }
  detail::require_finite(observed, context, "h(sigma points)");
  const Eigen::MatrixXd noise = detail::select_block(model_.observation_noise(), channels);
  detail::require_finite(noise, context, "observation noise R");

  UpdateOutcome outcome;
  outcome.step = step_;
  outcome.predicted_observation = observed * mean_weights_;
  const Eigen::MatrixXd state_deviations = points.colwise() - estimate_.mean;
  const Eigen::MatrixXd observation_deviations = observed.colwise() - outcome.predicted_observation;
  const Eigen::MatrixXd p_yy =
      detail::symmetrised(observation_deviations * covariance_weights_.asDiagonal() *
                          observation_deviations.transpose());
  const Eigen::MatrixXd p_xy =
      state_deviations * covariance_weights_.asDiagonal() * observation_deviations.transpose();
  outcome.innovation_covariance = detail::symmetrised(p_yy + noise);
  outcome.innovation = measurement.values - outcome.predicted_observation;
  const auto s_factor =
      detail::checked_cholesky(outcome.innovation_covariance, context, "innovation covariance S");
  detail::apply_gate(settings_.gate, s_factor, outcome);
  if (outcome.status == MeasurementStatus::Gated) return outcome;

  const Eigen::MatrixXd& prior = estimate_.covariance;
  const auto p_factor = detail::checked_cholesky(prior, context, "predicted covariance P");
  const Eigen::MatrixXd gain = s_factor.solve(p_xy.transpose()).transpose();  // K = P_xy S^-1
  const Eigen::MatrixXd h = p_factor.solve(p_xy).transpose();                 // H = P_xy^T P^-1
  const Eigen::MatrixXd linearisation_error = detail::symmetrised(p_yy - h * prior * h.transpose());
  const auto n = prior.rows();
  const Eigen::MatrixXd i_kh = Eigen::MatrixXd::Identity(n, n) - gain * h;
  Eigen::MatrixXd posterior =
      i_kh * prior * i_kh.transpose() + gain * (noise + linearisation_error) * gain.transpose();
  posterior = detail::symmetrised(posterior);
  const Eigen::VectorXd mean = estimate_.mean + gain * outcome.innovation;
  detail::require_finite(mean, context, "updated mean");
  (void)detail::checked_cholesky(posterior, context, "updated covariance P");
  estimate_.mean = mean;
  estimate_.covariance = std::move(posterior);
  return outcome;
}

}  // namespace ptwin::twin::estimation
