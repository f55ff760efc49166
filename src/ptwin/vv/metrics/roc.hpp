// SPDX-License-Identifier: Apache-2.0
#pragma once
// Discrimination of a risk score against binary outcomes: the ROC curve, the area under it with
// DeLong's standard error, and DeLong's paired test of two scores on the same cases.
//
// The area is the Mann-Whitney statistic: the probability that a randomly chosen positive case
// scores higher than a randomly chosen negative one, ties counting one half (Hanley & McNeil
// 1982, Radiology 143:29). Its variance is estimated from the placement values of each case
// (DeLong, DeLong & Clarke-Pearson 1988, Biometrics 44:837), which needs no distributional
// assumption and extends to two correlated scores. The 95 % interval is computed on the logit
// of the area and transformed back, so that it stays inside (0, 1) and keeps its coverage for
// areas near 1 (Qin & Hotilovac 2008, Stat Methods Med Res 17:207).

#include <cstddef>
#include <span>
#include <vector>

namespace ptwin::vv {

/// One case: the score a predictor gave it (higher = more likely positive) and what happened.
struct ScoredCase {
  double score = 0.0;
  bool is_positive = false;
};

/// One operating point: predicting positive when score >= threshold.
struct RocPoint {
  double threshold = 0.0;
  double false_positive_rate = 0.0;
  double true_positive_rate = 0.0;
};

/// The empirical ROC curve from (0,0) to (1,1), one point per distinct score (descending).
/// Throws InputError when a score is not finite or a class is empty.
[[nodiscard]] std::vector<RocPoint> roc_curve(std::span<const ScoredCase> cases);

struct AurocEstimate {
  double area = 0.0;
  double standard_error = 0.0;  // DeLong
  double lower_95 = 0.0;        // logit-transformed interval
  double upper_95 = 0.0;
  std::size_t positives = 0;
  std::size_t negatives = 0;
};

/// Area under the ROC curve with DeLong's standard error and a 95 % interval.
[[nodiscard]] AurocEstimate auroc_delong(std::span<const ScoredCase> cases);

/// Hanley & McNeil's (1982) standard error of an area from the exponential approximation; kept
/// because published tables report it, so that a result can be compared with them.
[[nodiscard]] double hanley_mcneil_standard_error(double area, std::size_t positives,
                                                  std::size_t negatives);

/// Two scores of the same cases compared with DeLong's paired test (the covariance of the two
/// areas is estimated from the placement values, which is what makes the test paired).
struct AurocComparison {
  AurocEstimate first;
  AurocEstimate second;
  double difference = 0.0;      // first.area - second.area
  double standard_error = 0.0;  // of the difference
  double lower_95 = 0.0;        // difference +- 1.96 SE
  double upper_95 = 0.0;
  double z = 0.0;
  double p_value = 1.0;  // two-sided; 1 when both areas are identical for every case
};

/// One case scored by two predictors.
struct PairedScores {
  double first = 0.0;
  double second = 0.0;
  bool is_positive = false;
};

[[nodiscard]] AurocComparison compare_auroc_delong(std::span<const PairedScores> cases);

}  // namespace ptwin::vv
