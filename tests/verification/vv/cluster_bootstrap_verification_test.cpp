// SPDX-License-Identifier: Apache-2.0
// The patient-level (cluster) bootstrap of the area under the ROC curve against binormal models
// whose true area is known: A = Phi(mu / sqrt(2 (1 + tau^2))) for positives ~ N(mu, 1 + tau^2)
// and negatives ~ N(0, 1 + tau^2) (Hanley & McNeil 1982, Radiology 143:29, whose variance
// formula the bootstrap's standard error is compared with in the independent case).
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include <boost/math/distributions/normal.hpp>
#include <gtest/gtest.h>

#include "ptwin/vv/metrics/cluster_bootstrap.hpp"
#include "ptwin/vv/metrics/roc.hpp"
#include "verification/verification_case.hpp"

namespace {

using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;
using ptwin::vv::PairedScores;

double phi(double x) { return boost::math::cdf(boost::math::normal_distribution<double>(), x); }

// Patients with `cases_per_patient` predictions each, positive with probability `prevalence`.
// Both scores share the patient's random effect u ~ N(0, tau^2) (what makes predictions of one
// patient correlated) and have independent case noise N(0, 1).
std::vector<std::vector<PairedScores>> clustered_sample(std::mt19937_64& rng, int patients,
                                                        int cases_per_patient, double prevalence,
                                                        double tau, double mu_first,
                                                        double mu_second) {
  std::normal_distribution<double> normal(0.0, 1.0);
  std::bernoulli_distribution positive(prevalence);
  std::vector<std::vector<PairedScores>> clusters(static_cast<std::size_t>(patients));
  for (auto& cluster : clusters) {
    const double u = tau * normal(rng);
    for (int k = 0; k < cases_per_patient; ++k) {
      const bool y = positive(rng);
      const double signal = u + normal(rng);
      cluster.push_back({signal + (y ? mu_first : 0.0), signal + 0.7 * normal(rng) + (y ? mu_second : 0.0), y});
    }
  }
  return clusters;
}

constexpr int kReplicates = 200;
constexpr int kResamples = 1000;

const VerificationCase kIndependentCoverage{
    .id = "vv.auroc.cluster_bootstrap_coverage_independent",
    .source = "binormal truth A = Phi(mu/sqrt 2) (Hanley & McNeil 1982); percentile bootstrap, "
              "Efron & Tibshirani 1993 ch. 13",
    .quantity = "share of 200 replicates (100 patients, one prediction each, prevalence 0.5, "
                "A = 0.85) whose 95 % interval (1000 resamples) covers A",
    .norm = "coverage must lie in [0.90, 0.99]",
    .tolerance = 0.04,
    .tolerance_reason = "binomial SD of a 0.95 share over 200 replicates is 0.015; the band is "
                        "about 3 SD, and the percentile interval's known undercoverage at this "
                        "size is about 1 %",
};

TEST(ClusterBootstrapVerification, CoversTheTrueAreaAndMatchesHanleyMcNeilWhenCasesAreIndependent) {
  const std::uint64_t seed = 20261125;
  std::printf("seed %llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  const double true_area = 0.85;
  const double mu = std::sqrt(2.0) * 1.0364333894937898;  // Phi^-1(0.85)
  int covered = 0;
  double mean_bootstrap_se = 0.0, mean_hanley_mcneil_se = 0.0;
  ptwin::vv::ClusterBootstrapSettings settings;
  settings.resamples = kResamples;
  for (int r = 0; r < kReplicates; ++r) {
    const auto clusters = clustered_sample(rng, 100, 1, 0.5, 0.0, mu, mu);
    settings.seed = seed + static_cast<std::uint64_t>(r);
    const auto b = ptwin::vv::cluster_bootstrap_auroc(clusters, settings);
    if (b.first.lower <= true_area && true_area <= b.first.upper) ++covered;
    std::size_t positives = 0;
    for (const auto& c : clusters) positives += c.front().is_positive ? 1 : 0;
    mean_bootstrap_se += b.first.standard_error / kReplicates;
    mean_hanley_mcneil_se +=
        ptwin::vv::hanley_mcneil_standard_error(true_area, positives, 100 - positives) / kReplicates;
  }
  const double coverage = static_cast<double>(covered) / kReplicates;
  std::printf("coverage %.3f, mean bootstrap SE %.4f, Hanley-McNeil SE %.4f\n", coverage,
              mean_bootstrap_se, mean_hanley_mcneil_se);
  record_verification(kIndependentCoverage, std::abs(coverage - 0.945));
  EXPECT_GE(coverage, 0.90);
  EXPECT_LE(coverage, 0.99);
  // Hanley & McNeil's exponential approximation is within a few per cent of the binormal
  // variance at A = 0.85; the bootstrap SE is biased low by about sqrt((n-1)/n). 15 % covers both
  // and still fails a bootstrap that, say, resamples half the patients (SE off by sqrt 2).
  EXPECT_NEAR(mean_bootstrap_se / mean_hanley_mcneil_se, 1.0, 0.15);
}

const VerificationCase kClusteredCoverage{
    .id = "vv.auroc.cluster_bootstrap_coverage_clustered",
    .source = "binormal truth with a patient random effect: A = Phi(mu/sqrt(2 (1 + tau^2))); "
              "cluster bootstrap, Davison & Hinkley 1997 §3.8",
    .quantity = "share of 200 replicates (100 patients x 30 predictions, tau = 1, prevalence 0.3, "
                "A = 0.80 and 0.75, difference 0.05) whose 95 % intervals (1000 resamples) cover "
                "each area and the difference",
    .norm = "coverage must lie in [0.90, 0.99]",
    .tolerance = 0.04,
    .tolerance_reason = "binomial SD over 200 replicates is 0.015; within-patient pairs (1/100 "
                        "of all pairs) shift the expected empirical area by < 0.001, 0.04 of an "
                        "SE",
};

TEST(ClusterBootstrapVerification, CoversTheTrueAreasAndDifferenceWhenPredictionsAreClustered) {
  const std::uint64_t seed = 7;
  std::printf("seed %llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  const double tau = 1.0;
  const double scale_first = std::sqrt(2.0 * (1.0 + tau * tau));
  // The second score has extra noise 0.7: its scores have variance 1 + tau^2 + 0.49.
  const double scale_second = std::sqrt(2.0 * (1.0 + tau * tau + 0.49));
  const double area_first = 0.80, area_second = 0.75;
  const double mu_first = scale_first * 0.8416212335729143;   // Phi^-1(0.80)
  const double mu_second = scale_second * 0.6744897501960817;  // Phi^-1(0.75)
  ASSERT_NEAR(phi(mu_first / scale_first), area_first, 1e-12);
  int covered_first = 0, covered_second = 0, covered_difference = 0, covered_delong = 0;
  std::vector<double> areas;
  double mean_bootstrap_se = 0.0, mean_delong_se = 0.0;
  ptwin::vv::ClusterBootstrapSettings settings;
  settings.resamples = kResamples;
  for (int r = 0; r < kReplicates; ++r) {
    const auto clusters = clustered_sample(rng, 100, 30, 0.3, tau, mu_first, mu_second);
    settings.seed = seed * 1000 + static_cast<std::uint64_t>(r);
    const auto b = ptwin::vv::cluster_bootstrap_auroc(clusters, settings);
    covered_first += (b.first.lower <= area_first && area_first <= b.first.upper) ? 1 : 0;
    covered_second += (b.second.lower <= area_second && area_second <= b.second.upper) ? 1 : 0;
    const double d = area_first - area_second;
    covered_difference += (b.difference.lower <= d && d <= b.difference.upper) ? 1 : 0;
    std::vector<ptwin::vv::ScoredCase> pooled;
    for (const auto& c : clusters) {
      for (const auto& p : c) pooled.push_back({p.first, p.is_positive});
    }
    const auto delong = ptwin::vv::auroc_delong(pooled);
    areas.push_back(b.first.estimate);
    mean_bootstrap_se += b.first.standard_error / kReplicates;
    mean_delong_se += delong.standard_error / kReplicates;
    covered_delong += (delong.lower_95 <= area_first && area_first <= delong.upper_95) ? 1 : 0;
  }
  const auto share = [](int n) { return static_cast<double>(n) / kReplicates; };
  std::printf("coverage: first %.3f, second %.3f, difference %.3f; DeLong (cases independent) "
              "%.3f\n",
              share(covered_first), share(covered_second), share(covered_difference),
              share(covered_delong));
  record_verification(kClusteredCoverage, std::abs(share(covered_first) - 0.945));
  for (const double c : {share(covered_first), share(covered_second), share(covered_difference)}) {
    EXPECT_GE(c, 0.90);
    EXPECT_LE(c, 0.99);
  }
  // The sampling SD of the area over the replicates is the truth both standard errors estimate.
  double mean_area = 0.0;
  for (double a : areas) mean_area += a / kReplicates;
  double sum_squares = 0.0;
  for (double a : areas) sum_squares += (a - mean_area) * (a - mean_area);
  const double sampling_sd = std::sqrt(sum_squares / (kReplicates - 1));
  std::printf("sampling SD %.4f, mean bootstrap SE %.4f, mean DeLong SE %.4f\n", sampling_sd,
              mean_bootstrap_se, mean_delong_se);
  // An SD estimated from 200 replicates is itself uncertain by about 1/sqrt(2 x 199) = 5 %; 15 %
  // is 3 of those.
  EXPECT_NEAR(mean_bootstrap_se / sampling_sd, 1.0, 0.15);
  // Why the bootstrap is needed: DeLong's SE, treating the 3000 predictions as independent, is
  // too small here (0.79 of the sampling SD with this seed; 0.9 leaves 2 SD of the SD's noise).
  EXPECT_LT(mean_delong_se / sampling_sd, 0.9);
}

}  // namespace
