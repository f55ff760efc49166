// SPDX-License-Identifier: Apache-2.0
#pragma once
// State-space models for the estimation tests, and the exact Kalman filter they are compared
// with (Kalman 1960; the Joseph form as in Bar-Shalom, Li & Kirubarajan 2001, §5.2).

#include <Eigen/Dense>
#include <cmath>
#include <string>
#include <vector>

#include "ptwin/twin/estimation/state_space_model.hpp"

namespace ptwin::testing {

/// Two-dimensional constant-velocity model, state [x_m, vx_m_per_s, y_m, vy_m_per_s], driven by
/// white acceleration noise of spectral density q (m^2/s^3) on each axis; positions observed
/// with standard deviation r (m). Linear and Gaussian: the Kalman filter is exact.
class ConstantVelocityModel final : public twin::estimation::StateSpaceModel {
 public:
  ConstantVelocityModel(double q_m2_per_s3, double r_m) : q_(q_m2_per_s3), r_(r_m) {}

  std::vector<std::string> state_names() const override {
    return {"x_m", "vx_m_per_s", "y_m", "vy_m_per_s"};
  }
  std::vector<std::string> observation_names() const override { return {"x_m", "y_m"}; }

  Eigen::MatrixXd transition(double dt_s) const {
    Eigen::MatrixXd f = Eigen::MatrixXd::Identity(4, 4);
    f(0, 1) = dt_s;
    f(2, 3) = dt_s;
    return f;
  }
  Eigen::MatrixXd observation_matrix() const {
    Eigen::MatrixXd h = Eigen::MatrixXd::Zero(2, 4);
    h(0, 0) = 1.0;
    h(1, 2) = 1.0;
    return h;
  }
  Eigen::VectorXd propagate(const Eigen::VectorXd& x, double dt_s) const override {
    return transition(dt_s) * x;
  }
  Eigen::MatrixXd process_noise(double dt_s) const override {
    Eigen::Matrix2d axis;
    axis << dt_s * dt_s * dt_s / 3.0, dt_s * dt_s / 2.0, dt_s * dt_s / 2.0, dt_s;
    Eigen::MatrixXd q = Eigen::MatrixXd::Zero(4, 4);
    q.block(0, 0, 2, 2) = q_ * axis;
    q.block(2, 2, 2, 2) = q_ * axis;
    return q;
  }
  Eigen::VectorXd observe(const Eigen::VectorXd& x) const override {
    return observation_matrix() * x;
  }
  Eigen::MatrixXd observation_noise() const override {
    return r_ * r_ * Eigen::MatrixXd::Identity(2, 2);
  }

 private:
  double q_;
  double r_;
};

/// The exact Kalman filter for a linear model (Joseph-form covariance update).
struct ExactKalmanFilter {
  Eigen::VectorXd mean;
  Eigen::MatrixXd covariance;

  void predict(const Eigen::MatrixXd& f, const Eigen::MatrixXd& q) {
    mean = f * mean;
    covariance = f * covariance * f.transpose() + q;
  }
  void update(const Eigen::MatrixXd& h, const Eigen::MatrixXd& r, const Eigen::VectorXd& z) {
    const Eigen::MatrixXd s = h * covariance * h.transpose() + r;
    const Eigen::MatrixXd k = covariance * h.transpose() * s.inverse();
    mean += k * (z - h * mean);
    const Eigen::MatrixXd i_kh = Eigen::MatrixXd::Identity(mean.size(), mean.size()) - k * h;
    covariance = i_kh * covariance * i_kh.transpose() + k * r * k.transpose();
  }
};

/// A rate constant k > 0 carried as theta = ln k, drifting as a random walk with variance
/// q^2 per unit time, observed directly (z = k + v, v ~ N(0, r^2)): h(theta) = exp(theta) is the
/// nonlinearity.
class LogRateModel final : public twin::estimation::StateSpaceModel {
 public:
  LogRateModel(double q_per_sqrt_s, double r_per_s) : q_(q_per_sqrt_s), r_(r_per_s) {}
  std::vector<std::string> state_names() const override { return {"ln_rate"}; }
  std::vector<std::string> observation_names() const override { return {"rate_per_s"}; }
  Eigen::VectorXd propagate(const Eigen::VectorXd& x, double /*dt_s*/) const override { return x; }
  Eigen::MatrixXd process_noise(double dt_s) const override {
    return Eigen::MatrixXd::Constant(1, 1, q_ * q_ * dt_s);
  }
  Eigen::VectorXd observe(const Eigen::VectorXd& x) const override { return x.array().exp(); }
  Eigen::MatrixXd observation_noise() const override {
    return Eigen::MatrixXd::Constant(1, 1, r_ * r_);
  }

 private:
  double q_;
  double r_;
};

/// Mean arterial pressure as a random walk (Pa), seen by an arterial line: the model a gate must
/// protect from a line flush.
class ArterialPressureModel final : public twin::estimation::StateSpaceModel {
 public:
  ArterialPressureModel(double drift_pa_per_sqrt_s, double noise_pa)
      : drift_(drift_pa_per_sqrt_s), noise_(noise_pa) {}
  std::vector<std::string> state_names() const override { return {"mean_pressure_pa"}; }
  std::vector<std::string> observation_names() const override { return {"arterial_pressure_pa"}; }
  Eigen::VectorXd propagate(const Eigen::VectorXd& x, double /*dt_s*/) const override { return x; }
  Eigen::MatrixXd process_noise(double dt_s) const override {
    return Eigen::MatrixXd::Constant(1, 1, drift_ * drift_ * dt_s);
  }
  Eigen::VectorXd observe(const Eigen::VectorXd& x) const override { return x; }
  Eigen::MatrixXd observation_noise() const override {
    return Eigen::MatrixXd::Constant(1, 1, noise_ * noise_);
  }

 private:
  double drift_;
  double noise_;
};

}  // namespace ptwin::testing
