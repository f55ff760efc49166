// SPDX-License-Identifier: Apache-2.0
// On a linear-Gaussian model the Kalman filter is the exact posterior. The UKF must reproduce it
// to rounding (the unscented transform is exact for linear maps, Julier & Uhlmann 2004) and the
// EnKF to Monte-Carlo error (Evensen 2009, ch. 9: the EnKF converges to the Kalman filter as
// N -> infinity for linear models).

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "ptwin/twin/estimation/ensemble_kalman_filter.hpp"
#include "ptwin/twin/estimation/unscented_kalman_filter.hpp"
#include "support/estimation_models.hpp"
#include "verification/verification_case.hpp"

namespace ptwin::twin::estimation {
namespace {

using ptwin::testing::ConstantVelocityModel;
using ptwin::testing::ExactKalmanFilter;
using ptwin::testing::VerificationCase;

constexpr std::uint64_t kSeed = 1960;
constexpr double kDt = 0.1;

GaussianEstimate initial_estimate() {
  GaussianEstimate e;
  e.mean = Eigen::Vector4d(0.0, 1.0, 0.0, -0.5);
  e.covariance = Eigen::Vector4d(4.0, 1.0, 4.0, 1.0).asDiagonal();
  e.covariance(0, 1) = e.covariance(1, 0) = 0.5;
  return e;
}

// Truth and measurements of a constant-velocity target; every third measurement carries the
// x position only, so that subsets of channels are exercised.
struct Track {
  std::vector<Measurement> measurements;
};

Track simulate_track(const ConstantVelocityModel& model, int steps, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::normal_distribution<double> normal;
  Eigen::VectorXd truth = Eigen::Vector4d(0.5, 1.2, -0.3, -0.4);
  const Eigen::LLT<Eigen::MatrixXd> q_root(model.process_noise(kDt));
  const double r = std::sqrt(model.observation_noise()(0, 0));
  Track track;
  for (int k = 0; k < steps; ++k) {
    Eigen::Vector4d w;
    for (int i = 0; i < 4; ++i) w(i) = normal(generator);
    truth = model.propagate(truth, kDt) + q_root.matrixL() * w;
    const Eigen::VectorXd z = model.observe(truth);
    Measurement m;
    if (k % 3 == 2) {
      m.channels = {0};
      m.values = Eigen::VectorXd::Constant(1, z(0) + r * normal(generator));
    } else {
      m.channels = {0, 1};
      m.values = Eigen::Vector2d(z(0) + r * normal(generator), z(1) + r * normal(generator));
    }
    track.measurements.push_back(m);
  }
  return track;
}

void exact_update(ExactKalmanFilter& kf, const ConstantVelocityModel& model, const Measurement& m) {
  const Eigen::MatrixXd h_full = model.observation_matrix();
  Eigen::MatrixXd h(static_cast<Eigen::Index>(m.channels.size()), 4);
  for (std::size_t i = 0; i < m.channels.size(); ++i) {
    h.row(static_cast<Eigen::Index>(i)) = h_full.row(m.channels[i]);
  }
  const double r2 = model.observation_noise()(0, 0);
  kf.update(h, r2 * Eigen::MatrixXd::Identity(h.rows(), h.rows()), m.values);
}

const VerificationCase kUkfCase{
    .id = "twin.estimation.ukf_equals_kalman",
    .source =
        "Kalman filter on a linear-Gaussian model; scaled unscented transform is exact for "
        "linear maps (Julier & Uhlmann 2004, doi:10.1109/JPROC.2003.823141)",
    .quantity =
        "mean (in posterior standard deviations) and covariance (relative to its largest "
        "entry) after each of 200 predict/update steps, constant-velocity model",
    .norm = "max over steps and components",
    .tolerance = 1e-10,
    .tolerance_reason =
        "both filters are exact; the difference is rounding in the Cholesky "
        "factors and sums, ~1e-15 times the condition number of P (~1e3 here)",
};

TEST(UnscentedKalmanFilterLinear, ReproducesTheExactKalmanFilterMeanAndCovariance) {
  const ConstantVelocityModel model(0.5, 0.3);
  const auto track = simulate_track(model, 200, kSeed);
  for (const double alpha : {1.0, 0.3}) {
    SCOPED_TRACE(fmt::format("alpha {}", alpha));
    UnscentedSettings settings;
    settings.alpha = alpha;
    settings.gate.probability = 0.0;
    UnscentedKalmanFilter ukf(model, initial_estimate(), settings);
    ExactKalmanFilter kf{initial_estimate().mean, initial_estimate().covariance};
    double worst = 0.0;
    for (const auto& m : track.measurements) {
      ukf.predict(kDt);
      kf.predict(model.transition(kDt), model.process_noise(kDt));
      const auto outcome = ukf.update(m);
      ASSERT_EQ(outcome.status, MeasurementStatus::Accepted);
      exact_update(kf, model, m);
      const auto& e = ukf.estimate();
      const Eigen::VectorXd sd = kf.covariance.diagonal().cwiseSqrt();
      worst = std::max(worst, ((e.mean - kf.mean).cwiseQuotient(sd)).cwiseAbs().maxCoeff());
      worst = std::max(worst, (e.covariance - kf.covariance).cwiseAbs().maxCoeff() /
                                  kf.covariance.cwiseAbs().maxCoeff());
    }
    ptwin::testing::record_verification(kUkfCase, worst);
    EXPECT_LT(worst, kUkfCase.tolerance) << kUkfCase.id;
  }
}

constexpr int kMembers = 20000;
const VerificationCase kEnkfCase{
    .id = "twin.estimation.enkf_converges_to_kalman",
    .source =
        "Kalman filter on a linear-Gaussian model; the stochastic EnKF converges to it as "
        "N grows (Evensen 2009, Data Assimilation, 2nd ed., ch. 9)",
    .quantity = "mean and covariance after 30 steps, constant-velocity model, N = 20000",
    .norm =
        "max over components of |EnKF - KF| / Monte-Carlo standard error (mean: "
        "sqrt(P_ii/N); covariance: sqrt((P_ii P_jj + P_ij^2)/N))",
    .tolerance = 6.0,
    .tolerance_reason =
        "each entry is off by ~1 standard error; 6 leaves room for the "
        "accumulation over steps and for the largest of 14 entries (a 6-sigma "
        "excursion of a Gaussian has probability 2e-9)",
};

TEST(EnsembleKalmanFilterLinear, ConvergesToTheExactKalmanFilterWithALargeEnsemble) {
  const ConstantVelocityModel model(0.5, 0.3);
  const auto track = simulate_track(model, 30, kSeed + 1);
  EnsembleSettings settings;
  settings.members = kMembers;
  settings.gate.probability = 0.0;
  EnsembleKalmanFilter enkf(model, initial_estimate(), settings);
  ExactKalmanFilter kf{initial_estimate().mean, initial_estimate().covariance};
  for (const auto& m : track.measurements) {
    enkf.predict(kDt);
    kf.predict(model.transition(kDt), model.process_noise(kDt));
    ASSERT_EQ(enkf.update(m).status, MeasurementStatus::Accepted);
    exact_update(kf, model, m);
  }
  const auto e = enkf.estimate();
  const double n = kMembers;
  double worst = 0.0;
  for (Eigen::Index i = 0; i < 4; ++i) {
    const double mean_se = std::sqrt(kf.covariance(i, i) / n);
    worst = std::max(worst, std::abs(e.mean(i) - kf.mean(i)) / mean_se);
    for (Eigen::Index j = 0; j <= i; ++j) {
      const double p = kf.covariance(i, j);
      const double cov_se = std::sqrt((kf.covariance(i, i) * kf.covariance(j, j) + p * p) / n);
      worst = std::max(worst, std::abs(e.covariance(i, j) - p) / cov_se);
    }
  }
  ptwin::testing::record_verification(kEnkfCase, worst);
  EXPECT_LT(worst, kEnkfCase.tolerance) << kEnkfCase.id << " (seed " << settings.seed << ")";
}

}  // namespace
}  // namespace ptwin::twin::estimation
