// SPDX-License-Identifier: Apache-2.0
#pragma once
// Unscented Kalman filter with the scaled unscented transform (Julier 2002, julier2002scaled;
// Wan & van der Merwe 2000, wan2000unscented; Julier & Uhlmann 2004, julier2004unscented) for
// a StateSpaceModel with additive noise. For n states the 2n+1 sigma points are
//   chi_0 = x,  chi_{i} = x + sqrt(n+lambda) L_i,  chi_{n+i} = x - sqrt(n+lambda) L_i,
//   lambda = alpha^2 (n + kappa) - n,   P = L L^T (Cholesky),
// with weights W^m_0 = lambda/(n+lambda), W^c_0 = W^m_0 + 1 - alpha^2 + beta,
// W^m_i = W^c_i = 1/(2(n+lambda)).
//
// Predict: sigma points of (x, P) through f; x = sum W^m f(chi), P = sum W^c (.)(.)^T + Q.
// Update: sigma points redrawn from the predicted (x, P) through h (measured channels only);
//   y = sum W^m h(chi), P_yy = sum W^c (.)(.)^T, P_xy = sum W^c (chi - x)(h(chi) - y)^T,
//   S = P_yy + R, K = P_xy S^-1, x+ = x + K (z - y).
// The covariance is updated in Joseph form with the statistical-linearisation H = P_xy^T P^-1
// (Lefebvre, Bruyninckx & De Schutter 2002, lefebvre2002comment):
//   P+ = (I - K H) P (I - K H)^T + K (R + Omega) K^T,   Omega = P_yy - H P H^T,
// Omega being the covariance of the linearisation error; for a linear h it is 0 and this is the
// Kalman filter's Joseph form, otherwise it equals the usual P - K S K^T but is a sum of
// positive semi-definite terms, which keeps P positive definite under rounding. P is symmetrised
// after every step. A measurement whose NIS exceeds the chi-squared gate is not used.
//
// Every Cholesky factor is checked: a covariance that is not positive definite, or a NaN from
// the model, is an Error(NumericalBreakdown) naming the step and the matrix; the estimate never
// holds a NaN. Not thread-safe; the model is used through const calls only.

#include "ptwin/twin/estimation/measurement.hpp"
#include "ptwin/twin/estimation/state_space_model.hpp"

namespace ptwin::twin::estimation {

struct UnscentedSettings {
  double alpha = 1.0;  // spread of the sigma points, (0, 1]; 1 avoids the large negative W_0
                       // (and its cancellation) that small alpha gives in small models
  double beta = 2.0;   // 2 is optimal for a Gaussian prior
  double kappa = 0.0;  // n + kappa > 0 is required
  InnovationGateSettings gate;
};

class UnscentedKalmanFilter {
 public:
  /// Throws InputError naming the setting or the initial estimate's size when they do not fit the
  /// model, Error(NumericalBreakdown) when the initial covariance is not positive definite.
  UnscentedKalmanFilter(const StateSpaceModel& model, GaussianEstimate initial,
                        UnscentedSettings settings = {});

  /// Propagates the estimate over dt seconds (dt >= 0).
  void predict(double dt_s);
  /// Assimilates one measurement; a gated one leaves the estimate unchanged. Throws InputError
  /// for a malformed measurement and Error(NumericalBreakdown) as described above.
  [[nodiscard]] UpdateOutcome update(const Measurement& measurement);

  [[nodiscard]] const GaussianEstimate& estimate() const { return estimate_; }
  /// Number of predict steps done (the step named in errors and outcomes).
  [[nodiscard]] int step() const { return step_; }

 private:
  [[nodiscard]] Eigen::MatrixXd sigma_points(std::string_view stage) const;

  const StateSpaceModel& model_;
  GaussianEstimate estimate_;
  UnscentedSettings settings_;
  Eigen::VectorXd mean_weights_;
  Eigen::VectorXd covariance_weights_;
  double spread_ = 0.0;  // sqrt(n + lambda)
  int step_ = 0;
};

}  // namespace ptwin::twin::estimation
