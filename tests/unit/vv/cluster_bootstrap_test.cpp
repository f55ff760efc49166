// SPDX-License-Identifier: Apache-2.0
// The patient-level bootstrap of AUROC (src/ptwin/vv/metrics/cluster_bootstrap.hpp): its point
// estimates, reproducibility from the seed, and the errors it reports.
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/vv/metrics/cluster_bootstrap.hpp"

namespace {

using ptwin::vv::ClusterBootstrapSettings;
using ptwin::vv::PairedScores;

std::vector<std::vector<PairedScores>> sample_clusters(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<std::vector<PairedScores>> clusters(30);
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    for (int k = 0; k < 8; ++k) {
      const bool positive = (c + static_cast<std::size_t>(k)) % 3 == 0;
      // Scores rounded to a grid: ties must count one half, as in auroc_delong.
      const double s = std::round(4.0 * ((positive ? 1.0 : 0.0) + normal(rng))) / 4.0;
      clusters[c].push_back({s, std::round(4.0 * (s + normal(rng))) / 4.0, positive});
    }
  }
  return clusters;
}

TEST(ClusterBootstrap, PointEstimatesEqualTheAreasOnAllCases) {
  const auto clusters = sample_clusters(3);
  std::vector<ptwin::vv::ScoredCase> first, second;
  for (const auto& c : clusters) {
    for (const auto& p : c) {
      first.push_back({p.first, p.is_positive});
      second.push_back({p.second, p.is_positive});
    }
  }
  const auto b = ptwin::vv::cluster_bootstrap_auroc(clusters, {});
  EXPECT_NEAR(b.first.estimate, ptwin::vv::auroc_delong(first).area, 1e-12);
  EXPECT_NEAR(b.second.estimate, ptwin::vv::auroc_delong(second).area, 1e-12);
  EXPECT_NEAR(b.difference.estimate, b.first.estimate - b.second.estimate, 1e-15);
  EXPECT_LT(b.first.lower, b.first.estimate);
  EXPECT_GT(b.first.upper, b.first.estimate);
  EXPECT_EQ(b.clusters, 30u);
  EXPECT_EQ(b.resamples, 1000);
  EXPECT_EQ(b.seed, ClusterBootstrapSettings{}.seed);
}

TEST(ClusterBootstrap, SameSeedSameIntervalOtherSeedOtherInterval) {
  const auto clusters = sample_clusters(4);
  ClusterBootstrapSettings s;
  const auto a = ptwin::vv::cluster_bootstrap_auroc(clusters, s);
  const auto b = ptwin::vv::cluster_bootstrap_auroc(clusters, s);
  EXPECT_EQ(a.first.lower, b.first.lower);
  EXPECT_EQ(a.difference.upper, b.difference.upper);
  s.seed += 1;
  const auto c = ptwin::vv::cluster_bootstrap_auroc(clusters, s);
  EXPECT_NE(a.first.lower, c.first.lower);
}

TEST(ClusterBootstrap, IdenticalScoresHaveAZeroDifferenceInEveryResample) {
  auto clusters = sample_clusters(5);
  for (auto& c : clusters) {
    for (auto& p : c) p.second = p.first;
  }
  const auto b = ptwin::vv::cluster_bootstrap_auroc(clusters, {});
  EXPECT_EQ(b.difference.lower, 0.0);
  EXPECT_EQ(b.difference.upper, 0.0);
  EXPECT_EQ(b.difference.standard_error, 0.0);
}

TEST(ClusterBootstrap, ResamplesWithoutBothClassesAreRedrawnAndCounted) {
  // Two clusters, one positive and one negative: half of the resamples hold one class only.
  const std::vector<std::vector<PairedScores>> clusters{{{1.0, 1.0, true}}, {{0.0, 0.0, false}}};
  const auto b = ptwin::vv::cluster_bootstrap_auroc(clusters, {});
  EXPECT_GT(b.redraws, 300);
  EXPECT_LT(b.redraws, 1800);
  EXPECT_EQ(b.first.lower, 1.0);
}

TEST(ClusterBootstrap, BadInputNamesTheFieldAndValue) {
  const auto clusters = sample_clusters(6);
  ClusterBootstrapSettings s;
  s.resamples = 10;
  try {
    (void)ptwin::vv::cluster_bootstrap_auroc(clusters, s);
    FAIL() << "no error";
  } catch (const ptwin::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("resamples"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("10"), std::string::npos) << e.what();
  }
  auto with_nan = clusters;
  with_nan[2][1].second = std::nan("");
  try {
    (void)ptwin::vv::cluster_bootstrap_auroc(with_nan, {});
    FAIL() << "no error";
  } catch (const ptwin::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cluster[2].second[1]"), std::string::npos) << e.what();
  }
  const std::vector<std::vector<PairedScores>> one{{{1.0, 1.0, true}, {0.0, 0.0, false}}};
  EXPECT_THROW((void)ptwin::vv::cluster_bootstrap_auroc(one, {}), ptwin::InputError);
}

}  // namespace
