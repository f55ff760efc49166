// SPDX-License-Identifier: Apache-2.0
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/vv/metrics/roc.hpp"

namespace {

using ptwin::vv::ScoredCase;

TEST(Roc, AreaIsTheShareOfCorrectlyOrderedPairsWithTiesHalf) {
  // Pairs (positive, negative): 0.9 beats 0.1, 0.5; 0.5 ties 0.5 and beats 0.1 -> (2 + 1.5) / 4.
  const std::vector<ScoredCase> cases{{0.9, true}, {0.5, true}, {0.5, false}, {0.1, false}};
  EXPECT_DOUBLE_EQ(ptwin::vv::auroc_delong(cases).area, 3.5 / 4.0);
}

TEST(Roc, PerfectSeparationHasNoSpread) {
  const std::vector<ScoredCase> cases{{0.9, true}, {0.8, true}, {0.2, false}, {0.1, false}};
  const auto estimate = ptwin::vv::auroc_delong(cases);
  EXPECT_DOUBLE_EQ(estimate.area, 1.0);
  EXPECT_DOUBLE_EQ(estimate.standard_error, 0.0);
  EXPECT_DOUBLE_EQ(estimate.lower_95, 1.0);
}

TEST(Roc, DeLongVarianceMatchesTheDirectPlacementFormula) {
  const std::vector<ScoredCase> cases{{0.9, true},  {0.4, true},  {0.7, true}, {0.35, true},
                                      {0.8, false}, {0.3, false}, {0.4, false}, {0.1, false},
                                      {0.2, false}};
  // Direct O(m n) placement values.
  std::vector<double> pos, neg;
  for (const auto& c : cases) (c.is_positive ? pos : neg).push_back(c.score);
  const auto psi = [](double x, double y) { return x > y ? 1.0 : (x == y ? 0.5 : 0.0); };
  std::vector<double> v10, v01;
  for (double x : pos) {
    double s = 0;
    for (double y : neg) s += psi(x, y);
    v10.push_back(s / static_cast<double>(neg.size()));
  }
  for (double y : neg) {
    double s = 0;
    for (double x : pos) s += psi(x, y);
    v01.push_back(s / static_cast<double>(pos.size()));
  }
  const auto var = [](const std::vector<double>& v) {
    double m = 0;
    for (double x : v) m += x;
    m /= static_cast<double>(v.size());
    double s = 0;
    for (double x : v) s += (x - m) * (x - m);
    return s / static_cast<double>(v.size() - 1);
  };
  const double expected_se = std::sqrt(var(v10) / static_cast<double>(pos.size()) +
                                       var(v01) / static_cast<double>(neg.size()));
  const auto estimate = ptwin::vv::auroc_delong(cases);
  EXPECT_NEAR(estimate.standard_error, expected_se, 1e-15);
  EXPECT_LT(estimate.lower_95, estimate.area);
  EXPECT_GT(estimate.upper_95, estimate.area);
  EXPECT_GT(estimate.lower_95, 0.0);
  EXPECT_LT(estimate.upper_95, 1.0);
}

TEST(Roc, CurveRunsFromOriginToOneOnePointPerDistinctScore) {
  const std::vector<ScoredCase> cases{{0.9, true}, {0.5, true}, {0.5, false}, {0.1, false}};
  const auto curve = ptwin::vv::roc_curve(cases);
  ASSERT_EQ(curve.size(), 4u);
  EXPECT_DOUBLE_EQ(curve.front().true_positive_rate, 0.0);
  EXPECT_DOUBLE_EQ(curve[1].true_positive_rate, 0.5);
  EXPECT_DOUBLE_EQ(curve[2].false_positive_rate, 0.5);
  EXPECT_DOUBLE_EQ(curve[2].true_positive_rate, 1.0);
  EXPECT_DOUBLE_EQ(curve.back().false_positive_rate, 1.0);
}

TEST(Roc, PairedComparisonOfAScoreWithItsMonotoneTransformIsNull) {
  std::vector<ptwin::vv::PairedScores> cases;
  for (int i = 0; i < 20; ++i) {
    const double s = std::sin(i * 1.7);
    cases.push_back({s, std::exp(3 * s), i % 3 == 0});
  }
  const auto comparison = ptwin::vv::compare_auroc_delong(cases);
  EXPECT_DOUBLE_EQ(comparison.difference, 0.0);
  EXPECT_DOUBLE_EQ(comparison.p_value, 1.0);
  EXPECT_NEAR(comparison.first.area, comparison.second.area, 1e-15);
}

TEST(Roc, PairedComparisonFindsTheBetterScore) {
  std::vector<ptwin::vv::PairedScores> cases;
  for (int i = 0; i < 200; ++i) {
    const bool positive = i % 2 == 0;
    const double noise = std::sin(i * 12.9898) * 0.5;
    cases.push_back({(positive ? 1.0 : 0.0) + noise, std::cos(i * 4.1)});  // second: noise only
    cases.back().is_positive = positive;
  }
  const auto comparison = ptwin::vv::compare_auroc_delong(cases);
  EXPECT_GT(comparison.difference, 0.3);
  EXPECT_LT(comparison.p_value, 1e-6);
  EXPECT_GT(comparison.lower_95, 0.0);
}

TEST(Roc, BadInputNamesTheCase) {
  const std::vector<ScoredCase> nan_case{{0.9, true}, {std::numeric_limits<double>::quiet_NaN(), false}};
  try {
    (void)ptwin::vv::auroc_delong(nan_case);
    FAIL() << "a NaN score was accepted";
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.where(), "score[1]");
  }
  const std::vector<ScoredCase> one_class{{0.9, true}, {0.1, true}};
  EXPECT_THROW((void)ptwin::vv::auroc_delong(one_class), ptwin::InputError);
  EXPECT_THROW((void)ptwin::vv::hanley_mcneil_standard_error(1.5, 3, 3), ptwin::InputError);
}

}  // namespace
