// SPDX-License-Identifier: Apache-2.0
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/vv/metrics/calibration.hpp"

namespace {

using ptwin::vv::PredictedOutcome;

std::vector<PredictedOutcome> small_sample() {
  // 12 cases; predictions 0.2 (3 of 6 occur) and 0.7 (4 of 6 occur).
  std::vector<PredictedOutcome> s;
  for (int i = 0; i < 6; ++i) s.push_back({0.2, i < 3});
  for (int i = 0; i < 6; ++i) s.push_back({0.7, i < 4});
  return s;
}

TEST(Calibration, BrierAndBinsByHand) {
  const auto report = ptwin::vv::assess_calibration(
      small_sample(), {.reliability_bins = 10, .hosmer_lemeshow_groups = 3, .logit_epsilon = 1e-6});
  // Brier: 3*(0.8^2) + 3*(0.2^2) + 4*(0.3^2) + 2*(0.7^2) over 12.
  EXPECT_NEAR(report.brier_score, (3 * 0.64 + 3 * 0.04 + 4 * 0.09 + 2 * 0.49) / 12.0, 1e-15);
  EXPECT_NEAR(report.observed_rate, 7.0 / 12.0, 1e-15);
  EXPECT_NEAR(report.calibration_in_the_large, 7.0 / 12.0 - 0.45, 1e-15);
  ASSERT_EQ(report.bins.size(), 10u);
  EXPECT_EQ(report.bins[2].count, 6u);
  EXPECT_NEAR(report.bins[2].observed_frequency, 0.5, 1e-15);
  EXPECT_EQ(report.bins[7].count, 6u);
  EXPECT_NEAR(report.bins[7].observed_frequency, 4.0 / 6.0, 1e-15);
  // ECE = 0.5 * |0.5 - 0.2| + 0.5 * |2/3 - 0.7|.
  EXPECT_NEAR(report.expected_calibration_error, 0.5 * 0.3 + 0.5 * (0.7 - 4.0 / 6.0), 1e-15);
}

TEST(Calibration, HosmerLemeshowByHand) {
  // Three groups of four (sorted by risk): {0.2 x4}, {0.2 x2, 0.7 x2}, {0.7 x4}; with the stable
  // order, outcomes are {1,1,1,0}, {0,0,1,1}, {1,1,0,0}.
  const auto report = ptwin::vv::assess_calibration(
      small_sample(), {.reliability_bins = 10, .hosmer_lemeshow_groups = 3, .logit_epsilon = 1e-6});
  const auto term = [](double observed, double expected, double n) {
    const double p = expected / n;
    return (observed - expected) * (observed - expected) / (n * p * (1 - p));
  };
  const double expected = term(3, 0.8, 4) + term(2, 1.8, 4) + term(2, 2.8, 4);
  EXPECT_NEAR(report.hosmer_lemeshow_statistic, expected, 1e-12);
  EXPECT_EQ(report.hosmer_lemeshow_degrees_of_freedom, 1);
  EXPECT_GT(report.hosmer_lemeshow_p_value, 0.0);
  EXPECT_LT(report.hosmer_lemeshow_p_value, 1.0);
}

TEST(Calibration, BadInputsAreNamed) {
  auto sample = small_sample();
  sample[4].probability = 1.2;
  try {
    (void)ptwin::vv::assess_calibration(sample);
    FAIL() << "a probability of 1.2 was accepted";
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.where(), "probability[4]");
  }
  std::vector<PredictedOutcome> no_events(20, {0.1, false});
  EXPECT_THROW((void)ptwin::vv::assess_calibration(no_events), ptwin::InputError);
  ptwin::vv::CalibrationSettings no_bins;
  no_bins.reliability_bins = 0;
  EXPECT_THROW((void)ptwin::vv::assess_calibration(small_sample(), no_bins), ptwin::InputError);
  ptwin::vv::CalibrationSettings too_many_groups;  // more groups than cases
  too_many_groups.hosmer_lemeshow_groups = 20;
  EXPECT_THROW((void)ptwin::vv::assess_calibration(small_sample(), too_many_groups),
               ptwin::InputError);
}

TEST(Calibration, CompleteSeparationIsAnErrorNotANumber) {
  std::vector<PredictedOutcome> separated;
  for (int i = 0; i < 20; ++i) separated.push_back({0.05 * i, i >= 10});
  separated[0].probability = 0.01;
  EXPECT_THROW((void)ptwin::vv::assess_calibration(separated), ptwin::Error);
}

}  // namespace
