// SPDX-License-Identifier: Apache-2.0
// Calibration measures against cases whose answer is known by construction: outcomes drawn from
// the predicted probabilities (calibrated), from a flattened version of them (overconfident, true
// slope known), and Murphy's decomposition, which is an identity when predictions are constant in
// each bin.
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/vv/metrics/calibration.hpp"
#include "verification/verification_case.hpp"

namespace {

using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;
using ptwin::vv::PredictedOutcome;

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Predictions p = logistic(x), x ~ N(-1, 1.5); outcomes ~ Bernoulli(logistic(a + b x)).
std::vector<PredictedOutcome> recalibrated_sample(double a, double b, int n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> linear_predictor(-1.0, 1.5);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<PredictedOutcome> sample;
  for (int i = 0; i < n; ++i) {
    const double x = linear_predictor(rng);
    sample.push_back({logistic(x), uniform(rng) < logistic(a + b * x)});
  }
  return sample;
}

const VerificationCase kRecalibrationSlope{
    .id = "vv.calibration.recalibration_slope",
    .source = "Cox 1958, Biometrika 45:562: logit P(y) = a + b logit(p); truth (a, b) known by "
              "construction",
    .quantity = "fitted slope and intercept, 40000 cases, for truths (0, 1) and (0.3, 0.5)",
    .norm = "max absolute error of slope and intercept",
    .tolerance = 0.05,
    .tolerance_reason = "maximum-likelihood SE at n = 40000 is about 0.015 for both; ~3 SE",
};

TEST(CalibrationVerification, RecoversKnownSlopeAndIntercept) {
  double worst = 0.0;
  for (const auto& [a, b] : {std::pair{0.0, 1.0}, std::pair{0.3, 0.5}}) {
    const auto report = ptwin::vv::assess_calibration(recalibrated_sample(a, b, 40000, 11));
    worst = std::max({worst, std::abs(report.calibration_slope - b),
                      std::abs(report.calibration_intercept - a)});
    EXPECT_NEAR(report.calibration_slope, b, kRecalibrationSlope.tolerance);
    EXPECT_NEAR(report.calibration_intercept, a, kRecalibrationSlope.tolerance);
  }
  record_verification(kRecalibrationSlope, worst);
}

TEST(CalibrationVerification, HosmerLemeshowSeparatesCalibratedFromOverconfident) {
  // A calibrated predictor's statistic follows chi2(8) (p > 0.01 with this seed); an
  // overconfident one (true slope 0.5) is rejected decisively at this size.
  const auto calibrated = ptwin::vv::assess_calibration(recalibrated_sample(0.0, 1.0, 5000, 3));
  const auto overconfident = ptwin::vv::assess_calibration(recalibrated_sample(0.0, 0.5, 5000, 3));
  EXPECT_EQ(calibrated.hosmer_lemeshow_degrees_of_freedom, 8);
  EXPECT_GT(calibrated.hosmer_lemeshow_p_value, 0.01);
  EXPECT_LT(overconfident.hosmer_lemeshow_p_value, 1e-6);
  EXPECT_LT(calibrated.expected_calibration_error, overconfident.expected_calibration_error);
}

const VerificationCase kMurphyDecomposition{
    .id = "vv.calibration.murphy_decomposition",
    .source = "Murphy 1973, J Appl Meteorol 12:595: Brier = reliability - resolution + "
              "uncertainty, exact for predictions constant within each bin",
    .quantity = "Brier score against the sum of its components, predictions at bin centres",
    .norm = "absolute difference",
    .tolerance = 1e-12,
    .tolerance_reason = "an algebraic identity; rounding only",
};

TEST(CalibrationVerification, MurphyDecompositionIsExactForBinnedForecasts) {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> bin(0, 9);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<PredictedOutcome> sample;
  for (int i = 0; i < 3000; ++i) {
    const double p = (bin(rng) + 0.5) / 10.0;
    sample.push_back({p, uniform(rng) < std::min(1.0, p * 1.2)});  // deliberately miscalibrated
  }
  const auto report = ptwin::vv::assess_calibration(sample);
  const double recomposed = report.reliability - report.resolution + report.uncertainty;
  record_verification(kMurphyDecomposition, std::abs(report.brier_score - recomposed));
  EXPECT_NEAR(report.brier_score, recomposed, kMurphyDecomposition.tolerance);
  EXPECT_GT(report.reliability, 0.0);
}

}  // namespace
