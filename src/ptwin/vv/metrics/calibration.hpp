// SPDX-License-Identifier: Apache-2.0
#pragma once
// Calibration of predicted probabilities against binary outcomes: does "30 % risk" happen 30 %
// of the time?
//
// Reported together, as the TRIPOD guidance asks (Collins et al. 2015, BMJ 350:g7594):
// - the Brier score and its Murphy (1973) decomposition over probability bins,
//   Brier ~= reliability - resolution + uncertainty (exact when predictions are constant in
//   each bin);
// - the reliability diagram: per bin, the mean prediction against the observed frequency, and
//   the expected calibration error (count-weighted mean |observed - predicted|);
// - calibration-in-the-large (observed rate - mean prediction), and the calibration slope and
//   intercept of the logistic recalibration  logit P(y=1) = a + b logit(p)  (Cox 1958,
//   Biometrika 45:562): b = 1, a = 0 for a calibrated predictor, b < 1 for overconfident ones;
// - the Hosmer-Lemeshow statistic over groups of equal size by predicted risk, with its
//   chi-squared p-value on groups - 2 degrees of freedom (Hosmer & Lemeshow 1980).

#include <cstddef>
#include <span>
#include <vector>

namespace ptwin::vv {

struct PredictedOutcome {
  double probability = 0.0;  // predicted probability of the outcome, in [0, 1]
  bool occurred = false;
};

struct CalibrationSettings {
  int reliability_bins = 10;       // equal-width bins on [0, 1]
  int hosmer_lemeshow_groups = 10;  // equal-count groups by predicted risk
  // Probabilities are clamped to [epsilon, 1 - epsilon] before the logit of the recalibration fit
  // (a prediction of exactly 0 or 1 has an infinite logit).
  double logit_epsilon = 1e-6;
};

struct ReliabilityBin {
  double lower = 0.0;
  double upper = 0.0;
  std::size_t count = 0;
  double mean_predicted = 0.0;      // 0 when the bin is empty
  double observed_frequency = 0.0;  // 0 when the bin is empty
};

struct CalibrationReport {
  std::size_t cases = 0;
  double observed_rate = 0.0;
  double mean_predicted = 0.0;
  double brier_score = 0.0;
  double reliability = 0.0;
  double resolution = 0.0;
  double uncertainty = 0.0;
  double expected_calibration_error = 0.0;
  double calibration_in_the_large = 0.0;  // observed_rate - mean_predicted
  double calibration_intercept = 0.0;
  double calibration_slope = 0.0;
  double hosmer_lemeshow_statistic = 0.0;
  double hosmer_lemeshow_p_value = 0.0;
  int hosmer_lemeshow_degrees_of_freedom = 0;
  std::vector<ReliabilityBin> bins;
};

/// Throws InputError for a probability outside [0, 1], a class with no case, fewer cases than
/// Hosmer-Lemeshow groups, or settings out of range; throws Error when the recalibration fit
/// does not converge (complete separation: the predictions order the outcomes perfectly).
[[nodiscard]] CalibrationReport assess_calibration(std::span<const PredictedOutcome> predictions,
                                                   const CalibrationSettings& settings = {});

}  // namespace ptwin::vv
