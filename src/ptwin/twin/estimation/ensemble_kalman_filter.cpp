// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/estimation/ensemble_kalman_filter.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <cmath>

#include "ptwin/core/error.hpp"
#include "ptwin/twin/estimation/detail/covariance_numerics.hpp"
#include "ptwin/twin/estimation/detail/measurement_support.hpp"

namespace ptwin::twin::estimation {
namespace {

constexpr std::string_view kName = "EnKF";
// Eigenvalues of a semi-definite noise covariance down to -kSemidefiniteSlack * largest are
// rounding and are taken as 0; anything more negative is an error.
constexpr double kSemidefiniteSlack = 1e-12;

void validate(const StateSpaceModel& model, const GaussianEstimate& initial,
              const EnsembleSettings& settings) {
  const auto n = model.state_size();
  if (n < 1) {
    throw InputError(ErrorCode::BadInput, "enkf model", "0 states", "needs at least one state");
  }
  if (initial.mean.size() != n || initial.covariance.rows() != n ||
      initial.covariance.cols() != n) {
    throw InputError(ErrorCode::BadInput, "enkf initial estimate",
                     fmt::format("mean {}, covariance {}x{}", initial.mean.size(),
                                 initial.covariance.rows(), initial.covariance.cols()),
                     fmt::format("must match the model's {} states", n));
  }
  if (settings.members < 2) {
    throw InputError(ErrorCode::BadInput, "enkf.members", fmt::format("{}", settings.members),
                     "must be at least 2");
  }
  if (!(settings.inflation >= 1.0) || !std::isfinite(settings.inflation)) {
    throw InputError(ErrorCode::BadInput, "enkf.inflation", fmt::format("{}", settings.inflation),
                     "must be a finite factor >= 1 (1: no inflation)");
  }
  detail::validate_gate_settings(settings.gate, "enkf");
}

}  // namespace

EnsembleKalmanFilter::EnsembleKalmanFilter(const StateSpaceModel& model,
                                           const GaussianEstimate& initial,
                                           EnsembleSettings settings)
    : model_(model), settings_(settings), generator_(settings.seed) {
  validate(model_, initial, settings_);
  detail::require_finite(initial.mean, {kName, 0, "initial"}, "initial mean");
  const auto factor = detail::checked_cholesky(detail::symmetrised(initial.covariance),
                                               {kName, 0, "initial"}, "initial covariance P0");
  std::normal_distribution<double> normal;
  Eigen::MatrixXd standard(initial.mean.size(), settings_.members);
  for (Eigen::Index j = 0; j < standard.cols(); ++j) {
    for (Eigen::Index i = 0; i < standard.rows(); ++i) standard(i, j) = normal(generator_);
  }
  ensemble_ = (Eigen::MatrixXd(factor.matrixL()) * standard).colwise() + initial.mean;
}

Eigen::MatrixXd EnsembleKalmanFilter::draw(const Eigen::MatrixXd& covariance, Eigen::Index count,
                                           std::string_view stage, std::string_view matrix_name) {
  const detail::StepContext context{kName, step_, stage};
  detail::require_finite(covariance, context, matrix_name);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(detail::symmetrised(covariance));
  const Eigen::VectorXd values = eigen.eigenvalues();
  const double largest = std::max(values.maxCoeff(), 0.0);
  if (values.minCoeff() < -kSemidefiniteSlack * largest) {
    throw Error(ErrorCode::NumericalBreakdown,
                fmt::format("{} step {} ({}): {} ({}x{}) is not positive semi-definite "
                            "(smallest eigenvalue {:.6g}); it cannot be sampled",
                            kName, step_, stage, matrix_name, covariance.rows(), covariance.cols(),
                            values.minCoeff()));
  }
  const Eigen::MatrixXd root = eigen.eigenvectors() * values.cwiseMax(0.0).cwiseSqrt().asDiagonal();
  std::normal_distribution<double> normal;
  Eigen::MatrixXd standard(covariance.rows(), count);
  for (Eigen::Index j = 0; j < count; ++j) {
    for (Eigen::Index i = 0; i < standard.rows(); ++i) standard(i, j) = normal(generator_);
  }
  return root * standard;
}

void EnsembleKalmanFilter::predict(double dt_s) {
  if (!(dt_s >= 0.0) || !std::isfinite(dt_s)) {
    throw InputError(ErrorCode::BadInput, "enkf predict dt", fmt::format("{} s", dt_s),
                     "must be a finite time step >= 0");
  }
  ++step_;
  const detail::StepContext context{kName, step_, "predict"};
  Eigen::MatrixXd next(ensemble_.rows(), ensemble_.cols());
  for (Eigen::Index i = 0; i < ensemble_.cols(); ++i) {
    next.col(i) = model_.propagate(ensemble_.col(i), dt_s);
  }
  detail::require_finite(next, context, "f(members)");
  next += draw(model_.process_noise(dt_s), next.cols(), "predict", "process noise Q");
  if (settings_.inflation != 1.0) {
    const Eigen::VectorXd mean = next.rowwise().mean();
    next = ((next.colwise() - mean) * settings_.inflation).colwise() + mean;
  }
  ensemble_ = std::move(next);
}

UpdateOutcome EnsembleKalmanFilter::update(const Measurement& measurement) {
  const detail::StepContext context{kName, step_, "update"};
  detail::validate_measurement(measurement, model_.observation_size(), context);
  const auto& channels = measurement.channels;
  const auto members = ensemble_.cols();
  const auto m = static_cast<Eigen::Index>(channels.size());
  Eigen::MatrixXd observed(m, members);
  for (Eigen::Index i = 0; i < members; ++i) {
    observed.col(i) = detail::select_rows(model_.observe(ensemble_.col(i)), channels);
  }
  detail::require_finite(observed, context, "h(members)");
  const Eigen::MatrixXd noise = detail::select_block(model_.observation_noise(), channels);

  UpdateOutcome outcome;
  outcome.step = step_;
  outcome.predicted_observation = observed.rowwise().mean();
  const Eigen::MatrixXd state_anomalies = ensemble_.colwise() - ensemble_.rowwise().mean();
  const Eigen::MatrixXd observation_anomalies = observed.colwise() - outcome.predicted_observation;
  const double scale = 1.0 / static_cast<double>(members - 1);
  const Eigen::MatrixXd p_xy = scale * state_anomalies * observation_anomalies.transpose();
  outcome.innovation_covariance = detail::symmetrised(
      scale * observation_anomalies * observation_anomalies.transpose() + noise);
  outcome.innovation = measurement.values - outcome.predicted_observation;
  const auto s_factor =
      detail::checked_cholesky(outcome.innovation_covariance, context, "innovation covariance S");
  detail::apply_gate(settings_.gate, s_factor, outcome);
  if (outcome.status == MeasurementStatus::Gated) return outcome;

  const Eigen::MatrixXd gain = s_factor.solve(p_xy.transpose()).transpose();
  const Eigen::MatrixXd perturbed =
      (draw(noise, members, "update", "observation noise R").colwise() + measurement.values) -
      observed;
  Eigen::MatrixXd analysed = ensemble_ + gain * perturbed;
  detail::require_finite(analysed, context, "updated members");
  ensemble_ = std::move(analysed);
  return outcome;
}

GaussianEstimate EnsembleKalmanFilter::estimate() const {
  GaussianEstimate out;
  out.mean = ensemble_.rowwise().mean();
  const Eigen::MatrixXd anomalies = ensemble_.colwise() - out.mean;
  out.covariance = detail::symmetrised(anomalies * anomalies.transpose() /
                                       static_cast<double>(ensemble_.cols() - 1));
  return out;
}

}  // namespace ptwin::twin::estimation
