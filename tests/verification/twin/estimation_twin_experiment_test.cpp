// SPDX-License-Identifier: Apache-2.0
// Twin experiments on a nonlinear scalar model: a rate constant k carried as theta = ln k and
// observed directly, z = k + v (support/estimation_models.hpp, LogRateModel). Synthetic truth,
// synthetic data, the filter's estimate compared with the truth that made the data.
//
// Calibration is checked as Gneiting & Raftery (2007, doi:10.1198/016214506000001437, §9.3)
// and Gneiting, Balabdaoui & Raftery (2007, doi:10.1111/j.1467-9868.2007.00587.x) describe:
// over many independent replicates the central 90 % interval must contain the truth about 90 %
// of the time. With the truth drawn from the filter's own prior and random walk (a perfect-model
// experiment) any departure is the filter's approximation, not model error.

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

using ptwin::testing::LogRateModel;
using ptwin::testing::VerificationCase;

constexpr double kZ90 = 1.6448536269514722;  // standard normal 0.95 quantile

const VerificationCase kRampCase{
    .id = "twin.estimation.ukf_log_rate_ramp",
    .source =
        "twin experiment: k(t) rises linearly from 0.5 to 1.5 /s over 200 s, observed every "
        "second with a 0.1 /s error; UKF with q = 0.02 /sqrt(s), prior ln k ~ N(0, 1)",
    .quantity = "root-mean-square error of ln k over the last 100 steps",
    .norm = "RMS",
    .tolerance = 0.08,
    .tolerance_reason =
        "the steady posterior standard deviation of ln k is about "
        "sqrt(q r / k) = 0.045 at k = 1; the ramp adds a lag of about "
        "(d ln k/dt) / (q/ (r/k)) ~ 0.03; 0.08 is their sum with a margin",
};

TEST(LogRateTwinExperiment, UkfRecoversARampingRateConstant) {
  const LogRateModel model(0.02, 0.1);
  UnscentedKalmanFilter ukf(model, {Eigen::VectorXd::Zero(1), Eigen::MatrixXd::Ones(1, 1)});
  std::mt19937_64 generator(2007);
  std::normal_distribution<double> noise(0.0, 0.1);
  double squared_error = 0.0;
  int covered = 0;
  for (int k = 1; k <= 200; ++k) {
    const double rate = 0.5 + 1.0 * k / 200.0;
    ukf.predict(1.0);
    (void)ukf.update({{0}, Eigen::VectorXd::Constant(1, rate + noise(generator))});
    if (k > 100) {
      const double error = ukf.estimate().mean(0) - std::log(rate);
      squared_error += error * error;
      covered += std::abs(error) <= kZ90 * std::sqrt(ukf.estimate().covariance(0, 0)) ? 1 : 0;
    }
  }
  const double rms = std::sqrt(squared_error / 100.0);
  ptwin::testing::record_verification(kRampCase, rms);
  EXPECT_LT(rms, kRampCase.tolerance) << "seed 2007";
  EXPECT_GE(covered, 70) << "the 90 % interval should cover the ramp most of the time";
}

struct Coverage {
  int final_covered = 0;
  int all_covered = 0;
  int all_count = 0;
};

constexpr int kReplicates = 400;
constexpr int kSteps = 40;

// Perfect-model replicates: theta_0 ~ N(0, 0.5^2), theta_{k+1} = theta_k + N(0, 0.05^2),
// z_k = exp(theta_k) + N(0, 0.2^2).
template <typename MakeFilter>
Coverage replicate_coverage(MakeFilter&& make_filter, std::uint64_t seed) {
  const LogRateModel model(0.05, 0.2);
  const GaussianEstimate prior{Eigen::VectorXd::Zero(1), Eigen::MatrixXd::Constant(1, 1, 0.25)};
  std::mt19937_64 generator(seed);
  std::normal_distribution<double> normal;
  Coverage c;
  for (int r = 0; r < kReplicates; ++r) {
    auto filter = make_filter(model, prior, static_cast<std::uint64_t>(r));
    double theta = 0.5 * normal(generator);
    for (int k = 1; k <= kSteps; ++k) {
      theta += 0.05 * normal(generator);
      filter.predict(1.0);
      (void)filter.update(
          {{0}, Eigen::VectorXd::Constant(1, std::exp(theta) + 0.2 * normal(generator))});
      const auto e = filter.estimate();
      const bool is_covered = std::abs(theta - e.mean(0)) <= kZ90 * std::sqrt(e.covariance(0, 0));
      c.all_covered += is_covered ? 1 : 0;
      ++c.all_count;
      if (k == kSteps) c.final_covered += is_covered ? 1 : 0;
    }
  }
  return c;
}

const VerificationCase kCalibrationCase{
    .id = "twin.estimation.interval_calibration",
    .source =
        "perfect-model twin experiment, 400 replicates of 40 steps (Gneiting & Raftery "
        "2007: coverage of central prediction intervals)",
    .quantity =
        "fraction of replicates whose nominal 90 % interval of ln k covers the truth at "
        "the last step, and over all steps",
    .norm = "fraction, must lie in [0.85, 0.95]",
    .tolerance = 0.05,
    .tolerance_reason =
        "binomial standard error of a 0.9 fraction over 400 replicates is 0.015; "
        "+-0.05 is 3.3 standard errors, and allows the Gaussian approximation of "
        "a mildly skewed posterior",
};

void expect_calibrated(const Coverage& c, std::string_view filter) {
  const double final_fraction = c.final_covered / double(kReplicates);
  const double all_fraction = c.all_covered / double(c.all_count);
  ptwin::testing::record_verification(kCalibrationCase, final_fraction - 0.9);
  EXPECT_NEAR(final_fraction, 0.9, kCalibrationCase.tolerance) << filter << " last step";
  EXPECT_NEAR(all_fraction, 0.9, kCalibrationCase.tolerance) << filter << " all steps";
  std::printf("%s: 90%% interval coverage %.3f at the last step, %.3f over all steps\n",
              std::string(filter).c_str(), final_fraction, all_fraction);
}

TEST(LogRateTwinExperiment, UkfNinetyPercentIntervalsAreCalibrated) {
  const auto c =
      replicate_coverage([](const LogRateModel& model, const GaussianEstimate& prior,
                            std::uint64_t) { return UnscentedKalmanFilter(model, prior); },
                         1998);
  expect_calibrated(c, "UKF");
}

TEST(LogRateTwinExperiment, EnkfNinetyPercentIntervalsAreCalibrated) {
  const auto c = replicate_coverage(
      [](const LogRateModel& model, const GaussianEstimate& prior, std::uint64_t replicate) {
        EnsembleSettings settings;
        settings.members = 200;
        settings.seed = 9000 + replicate;
        return EnsembleKalmanFilter(model, prior, settings);
      },
      1998);
  expect_calibrated(c, "EnKF (200 members)");
}

}  // namespace
}  // namespace ptwin::twin::estimation
