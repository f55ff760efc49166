// SPDX-License-Identifier: Apache-2.0
// The area under the ROC curve and its standard errors against Hanley & McNeil's published
// worked example, and DeLong's interval and paired test against their sampling distributions
// under a binormal model with a known area.
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/vv/metrics/roc.hpp"
#include "verification/verification_case.hpp"

namespace {

using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;
using ptwin::vv::ScoredCase;

// Hanley & McNeil 1982 (Radiology 143:29), Table 1: 109 CT images rated on a five-point scale,
// 58 truly normal, 51 truly abnormal.
std::vector<ScoredCase> hanley_mcneil_ratings() {
  const int normal[5] = {33, 6, 6, 11, 2};
  const int abnormal[5] = {3, 2, 2, 11, 33};
  std::vector<ScoredCase> cases;
  for (int rating = 0; rating < 5; ++rating) {
    for (int k = 0; k < normal[rating]; ++k) cases.push_back({rating + 1.0, false});
    for (int k = 0; k < abnormal[rating]; ++k) cases.push_back({rating + 1.0, true});
  }
  return cases;
}

const VerificationCase kHanleyMcNeilArea{
    .id = "vv.auroc.hanley_mcneil_1982",
    .source = "Hanley & McNeil 1982, Radiology 143:29, Table 1 and text: A = 0.893, SE = 0.032",
    .quantity = "area under the ROC curve (ties counted 1/2) and its Hanley-McNeil SE",
    .norm = "absolute difference from the published value",
    .tolerance = 5e-4,
    .tolerance_reason = "the paper gives three decimals",
};

TEST(RocVerification, HanleyMcNeilWorkedExample) {
  const auto cases = hanley_mcneil_ratings();
  const auto estimate = ptwin::vv::auroc_delong(cases);
  EXPECT_EQ(estimate.positives, 51u);
  EXPECT_EQ(estimate.negatives, 58u);
  EXPECT_NEAR(estimate.area, 0.893, kHanleyMcNeilArea.tolerance);
  const double se = ptwin::vv::hanley_mcneil_standard_error(estimate.area, 51, 58);
  EXPECT_NEAR(se, 0.032, kHanleyMcNeilArea.tolerance);
  record_verification(kHanleyMcNeilArea, std::abs(estimate.area - 0.893));
  // DeLong's nonparametric SE estimates the same quantity without the exponential assumption.
  EXPECT_NEAR(estimate.standard_error, se, 0.2 * se);
}

// Binormal model: negatives ~ N(0, 1), positives ~ N(mu, 1), so that A = Phi(mu / sqrt(2)).
std::vector<ScoredCase> binormal_sample(std::mt19937_64& rng, double mu, int positives,
                                        int negatives) {
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<ScoredCase> cases;
  for (int i = 0; i < positives; ++i) cases.push_back({mu + noise(rng), true});
  for (int i = 0; i < negatives; ++i) cases.push_back({noise(rng), false});
  return cases;
}

const VerificationCase kDeLongCoverage{
    .id = "vv.auroc.delong_coverage",
    .source = "DeLong, DeLong & Clarke-Pearson 1988, Biometrics 44:837; logit interval after "
              "Qin & Hotilovac 2008; binormal truth A = Phi(mu/sqrt 2)",
    .quantity = "share of 1000 replicates (40 positives, 60 negatives, A = 0.90) whose 95 % "
                "interval covers the true area",
    .norm = "|coverage - 0.95|",
    .tolerance = 0.025,
    .tolerance_reason = "binomial SD of a 0.95 share over 1000 replicates is 0.0069; 3.6 SD",
};

TEST(RocVerification, DeLongIntervalCoversTheTrueAreaAtItsNominalRate) {
  std::mt19937_64 rng(20261124);
  const double true_area = 0.90;
  // mu = sqrt(2) * Phi^-1(0.90)
  const double mu = std::sqrt(2.0) * 1.2815515655446004;
  int covered = 0;
  constexpr int kReplicates = 1000;
  for (int r = 0; r < kReplicates; ++r) {
    const auto estimate = ptwin::vv::auroc_delong(binormal_sample(rng, mu, 40, 60));
    if (estimate.lower_95 <= true_area && true_area <= estimate.upper_95) ++covered;
  }
  const double coverage = static_cast<double>(covered) / kReplicates;
  record_verification(kDeLongCoverage, std::abs(coverage - 0.95));
  EXPECT_NEAR(coverage, 0.95, kDeLongCoverage.tolerance);
}

const VerificationCase kDeLongPairedSize{
    .id = "vv.auroc.delong_paired_type_one_error",
    .source = "DeLong et al. 1988 paired test; two scores of equal true area sharing the case "
              "signal (correlated), independent measurement noise",
    .quantity = "share of 1000 replicates (50 + 50 cases) with two-sided p < 0.05",
    .norm = "|rejection rate - 0.05|",
    .tolerance = 0.022,
    .tolerance_reason = "binomial SD of a 0.05 share over 1000 replicates is 0.0069; 3.2 SD",
};

TEST(RocVerification, DeLongPairedTestHoldsItsSizeUnderTheNull) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0.0, 1.0);
  int rejections = 0;
  constexpr int kReplicates = 1000;
  for (int r = 0; r < kReplicates; ++r) {
    std::vector<ptwin::vv::PairedScores> cases;
    for (int i = 0; i < 100; ++i) {
      const bool positive = i < 50;
      const double signal = (positive ? 1.0 : 0.0) + noise(rng);
      cases.push_back({signal + noise(rng), signal + noise(rng), positive});
    }
    const auto comparison = ptwin::vv::compare_auroc_delong(cases);
    if (comparison.p_value < 0.05) ++rejections;
  }
  const double rate = static_cast<double>(rejections) / kReplicates;
  record_verification(kDeLongPairedSize, std::abs(rate - 0.05));
  EXPECT_NEAR(rate, 0.05, kDeLongPairedSize.tolerance);
}

}  // namespace
