// SPDX-License-Identifier: Apache-2.0
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/uq/logistic_regression.hpp"

namespace {

using ptwin::uq::LabelledValue;

TEST(LogisticRegression, RecoversTheGeneratingCoefficients) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> x_dist(70.0, 10.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double a = 12.0, b = -0.2;  // P = 0.5 at x = 60
  std::vector<LabelledValue> data;
  for (int i = 0; i < 50000; ++i) {
    const double x = x_dist(rng);
    data.push_back({x, unit(rng) < 1.0 / (1.0 + std::exp(-(a + b * x)))});
  }
  const auto fit = ptwin::uq::fit_logistic_regression(data);
  EXPECT_NEAR(fit.slope, b, 0.01);
  EXPECT_NEAR(fit.intercept / -fit.slope, 60.0, 0.5);  // the 50 % point
  EXPECT_LT(fit.iterations, 20);
}

TEST(LogisticRegression, TwoGroupsGiveTheirObservedLogOdds) {
  // x = 0: 1 of 4 positive; x = 1: 3 of 4 positive -> a = log(1/3), a + b = log(3).
  std::vector<LabelledValue> data{{0, true},  {0, false}, {0, false}, {0, false},
                                  {1, true},  {1, true},  {1, true},  {1, false}};
  const auto fit = ptwin::uq::fit_logistic_regression(data);
  EXPECT_NEAR(fit.intercept, std::log(1.0 / 3.0), 1e-9);
  EXPECT_NEAR(fit.intercept + fit.slope, std::log(3.0), 1e-9);
  EXPECT_NEAR(fit.probability(1.0), 0.75, 1e-9);
}

TEST(LogisticRegression, RefusesWhatHasNoAnswer) {
  std::vector<LabelledValue> separated{{0, false}, {1, false}, {2, true}, {3, true}};
  EXPECT_THROW((void)ptwin::uq::fit_logistic_regression(separated), ptwin::Error);
  std::vector<LabelledValue> one_class{{0, true}, {1, true}};
  EXPECT_THROW((void)ptwin::uq::fit_logistic_regression(one_class), ptwin::InputError);
  std::vector<LabelledValue> nan{{0, true}, {std::numeric_limits<double>::infinity(), false}};
  try {
    (void)ptwin::uq::fit_logistic_regression(nan);
    FAIL() << "an infinite x was accepted";
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.where(), "x[1]");
  }
}

}  // namespace
