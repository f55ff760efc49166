// SPDX-License-Identifier: Apache-2.0
#pragma once
// Stochastic ensemble Kalman filter with perturbed observations (Burgers, van Leeuwen & Evensen
// 1998, burgers1998analysis; Evensen 2003, evensen2003ensemble; Evensen 2009, evensen2009data)
// for models too large or too costly for 2n+1 sigma points. The belief is an ensemble of N
// members x_i (columns), sampled from the initial Gaussian.
//
// Predict: x_i <- f(x_i, dt) + w_i, w_i ~ N(0, Q(dt)); then optional multiplicative inflation of
// the anomalies, x_i <- x + rho (x_i - x) (Anderson & Anderson 1999, anderson1999monte), which
// counters the spread lost to sampling error.
// Update: y_i = h(x_i) on the measured channels, anomalies A = x_i - x, B = y_i - y,
//   P_xy = A B^T / (N-1),  S = B B^T / (N-1) + R,  K = P_xy S^-1,
//   x_i <- x_i + K (z + e_i - y_i),  e_i ~ N(0, R)   (the perturbed observations).
// R enters S exactly rather than through the sample covariance of the e_i (one source of
// sampling noise fewer). The NIS gate uses y and S as the UKF does (measurement.hpp).
//
// Random numbers come from one std::mt19937_64 seeded from the settings, so a run is
// reproducible on one standard library. A covariance that is not positive definite or a NaN is
// an Error(NumericalBreakdown) naming the step and the matrix. Not thread-safe.

#include <cstdint>
#include <random>

#include "ptwin/twin/estimation/measurement.hpp"
#include "ptwin/twin/estimation/state_space_model.hpp"

namespace ptwin::twin::estimation {

struct EnsembleSettings {
  int members = 100;              // N >= 2
  std::uint64_t seed = 20030101;  // fixed: runs are reproducible
  double inflation = 1.0;         // rho >= 1; 1 turns inflation off
  InnovationGateSettings gate;
};

class EnsembleKalmanFilter {
 public:
  /// Samples the initial ensemble from `initial`. Throws InputError naming a setting that is
  /// out of range and Error(NumericalBreakdown) when the initial covariance is not positive
  /// definite.
  EnsembleKalmanFilter(const StateSpaceModel& model, const GaussianEstimate& initial,
                       EnsembleSettings settings = {});

  void predict(double dt_s);
  [[nodiscard]] UpdateOutcome update(const Measurement& measurement);

  /// Sample mean and covariance (divisor N-1) of the ensemble.
  [[nodiscard]] GaussianEstimate estimate() const;
  /// Members as columns (state size x N).
  [[nodiscard]] const Eigen::MatrixXd& ensemble() const { return ensemble_; }
  [[nodiscard]] int step() const { return step_; }

 private:
  /// Columns of independent N(0, covariance) draws; covariance may be semi-definite.
  [[nodiscard]] Eigen::MatrixXd draw(const Eigen::MatrixXd& covariance, Eigen::Index count,
                                     std::string_view stage, std::string_view matrix_name);

  const StateSpaceModel& model_;
  EnsembleSettings settings_;
  std::mt19937_64 generator_;
  Eigen::MatrixXd ensemble_;
  int step_ = 0;
};

}  // namespace ptwin::twin::estimation
