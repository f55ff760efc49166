// SPDX-License-Identifier: Apache-2.0
#pragma once
// Weighted isotonic (monotone non-decreasing) least-squares regression by the pool-adjacent-
// violators algorithm (Ayer, Brunk, Ewing, Reid & Silverman 1955, Ann Math Stat 26:641; Barlow,
// Bartholomew, Bremner & Brunk 1972, Statistical Inference under Order Restrictions, ch. 1):
// minimise sum w_i (y_i - f_i)^2 subject to f_1 <= f_2 <= ... <= f_n. Adjacent values that
// violate the order are pooled into a block whose value is their weighted mean, until no
// violation remains; the solution is unique and the algorithm is O(n).
//
// Used to recalibrate predicted probabilities (Zadrozny & Elkan 2002, KDD): sort cases by the
// predicted probability, regress the 0/1 outcomes on that order, and read the calibrated
// probability off the fitted step function (isotonic_calibration.hpp in twin/risk).

#include <span>
#include <vector>

namespace ptwin::uq {

/// The fitted values f_i for y_i in the given order, with weights w_i > 0 (all 1 when `weights`
/// is empty). Throws InputError for a non-finite value, a weight that is not positive and
/// finite, or weights of a different length than the values (naming the index).
[[nodiscard]] std::vector<double> pool_adjacent_violators(std::span<const double> values,
                                                          std::span<const double> weights = {});

}  // namespace ptwin::uq
