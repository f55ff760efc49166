// SPDX-License-Identifier: Apache-2.0
// Pool-adjacent-violators on hand-worked sequences (src/ptwin/uq/isotonic_regression.hpp).
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/uq/isotonic_regression.hpp"

namespace {

using ptwin::uq::pool_adjacent_violators;

TEST(PoolAdjacentViolators, AnOrderedSequenceIsItsOwnFit) {
  const std::vector<double> y{0.0, 0.0, 1.0, 2.0, 2.0, 5.0};
  EXPECT_EQ(pool_adjacent_violators(y), y);
}

TEST(PoolAdjacentViolators, HandWorkedSequence) {
  // 1 3 2 4 3 5: (3,2) pool to 2.5, then (4,3) pool to 3.5 -> 1 2.5 2.5 3.5 3.5 5.
  const std::vector<double> y{1, 3, 2, 4, 3, 5};
  const std::vector<double> expected{1, 2.5, 2.5, 3.5, 3.5, 5};
  EXPECT_EQ(pool_adjacent_violators(y), expected);
}

TEST(PoolAdjacentViolators, PoolingCascadesBackwards) {
  // 4 5 1: (5,1) -> 3, which now violates 4 -> (4,5,1) -> 10/3 for all three.
  const auto f = pool_adjacent_violators(std::vector<double>{4, 5, 1});
  for (double v : f) EXPECT_DOUBLE_EQ(v, 10.0 / 3.0);
}

TEST(PoolAdjacentViolators, BinaryOutcomesGiveBlockFrequencies) {
  // Outcomes sorted by predicted risk: 0 1 0 0 1 1 -> (1,0,0) pool to 1/3 -> 0 1/3 1/3 1/3 1 1.
  const auto f = pool_adjacent_violators(std::vector<double>{0, 1, 0, 0, 1, 1});
  const std::vector<double> expected{0, 1.0 / 3, 1.0 / 3, 1.0 / 3, 1, 1};
  ASSERT_EQ(f.size(), expected.size());
  for (std::size_t i = 0; i < f.size(); ++i) EXPECT_DOUBLE_EQ(f[i], expected[i]) << i;
}

TEST(PoolAdjacentViolators, WeightsPoolToTheWeightedMean) {
  // 2 (weight 3) then 0 (weight 1): pooled (3*2 + 0)/4 = 1.5.
  const auto f = pool_adjacent_violators(std::vector<double>{2, 0}, std::vector<double>{3, 1});
  EXPECT_DOUBLE_EQ(f[0], 1.5);
  EXPECT_DOUBLE_EQ(f[1], 1.5);
}

TEST(PoolAdjacentViolators, TheFitIsMonotoneAndPreservesTheWeightedSum) {
  std::vector<double> y;
  for (int i = 0; i < 200; ++i) y.push_back(std::sin(0.37 * i) + 0.01 * i);
  const auto f = pool_adjacent_violators(y);
  double sum_y = 0.0, sum_f = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    sum_y += y[i];
    sum_f += f[i];
    if (i > 0) {
      EXPECT_LE(f[i - 1], f[i]) << i;
    }
  }
  EXPECT_NEAR(sum_f, sum_y, 1e-9);
}

TEST(PoolAdjacentViolators, BadInputNamesTheIndexAndValue) {
  try {
    (void)pool_adjacent_violators(std::vector<double>{0.0, NAN});
    FAIL() << "no error";
  } catch (const ptwin::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("values[1]"), std::string::npos) << e.what();
  }
  try {
    (void)pool_adjacent_violators(std::vector<double>{0.0, 1.0}, std::vector<double>{1.0, -2.0});
    FAIL() << "no error";
  } catch (const ptwin::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("weights[1]"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("-2"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)pool_adjacent_violators(std::vector<double>{0.0}, std::vector<double>{1.0, 1.0}),
               ptwin::InputError);
}

}  // namespace
