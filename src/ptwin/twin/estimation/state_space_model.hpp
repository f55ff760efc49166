// SPDX-License-Identifier: Apache-2.0
#pragma once
// The model an estimator assimilates data into: a discrete-time state-space model with additive
// Gaussian noise,
//   x_{k+1} = f(x_k, dt) + w_k,   w_k ~ N(0, Q(dt))
//   z_k     = h(x_k) + v_k,       v_k ~ N(0, R)
// Joint state-parameter estimation puts the slow parameters into x: a parameter p > 0 is carried
// as theta = ln p (positivity is built in and a Gaussian on theta is a log-normal on p) and
// evolves as a random walk, theta_{k+1} = theta_k + w, with a stated variance q^2 dt per step
// (its f is the identity, its Q block q^2 dt). The observation h returns every channel the model
// can observe; a Measurement says which of them were measured this time.

#include <Eigen/Core>
#include <string>
#include <vector>

namespace ptwin::twin::estimation {

class StateSpaceModel {
 public:
  virtual ~StateSpaceModel() = default;

  /// Names of the state components, e.g. "position_m", "ln_systemic_resistance".
  [[nodiscard]] virtual std::vector<std::string> state_names() const = 0;
  /// Names of the observation channels, in the order h returns them.
  [[nodiscard]] virtual std::vector<std::string> observation_names() const = 0;

  /// f(x, dt): the deterministic part of the transition over dt seconds.
  [[nodiscard]] virtual Eigen::VectorXd propagate(const Eigen::VectorXd& state,
                                                  double dt_s) const = 0;
  /// Q(dt): covariance of the additive process noise over dt seconds (positive semi-definite).
  [[nodiscard]] virtual Eigen::MatrixXd process_noise(double dt_s) const = 0;
  /// h(x): every observation channel, SI.
  [[nodiscard]] virtual Eigen::VectorXd observe(const Eigen::VectorXd& state) const = 0;
  /// R: covariance of the additive observation noise over all channels (positive definite on
  /// every subset of channels that is measured together).
  [[nodiscard]] virtual Eigen::MatrixXd observation_noise() const = 0;

  [[nodiscard]] int state_size() const { return static_cast<int>(state_names().size()); }
  [[nodiscard]] int observation_size() const {
    return static_cast<int>(observation_names().size());
  }
};

/// Mean and covariance of a Gaussian belief about the state.
struct GaussianEstimate {
  Eigen::VectorXd mean;
  Eigen::MatrixXd covariance;
};

}  // namespace ptwin::twin::estimation
