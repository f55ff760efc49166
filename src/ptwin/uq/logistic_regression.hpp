// SPDX-License-Identifier: Apache-2.0
#pragma once
// Maximum-likelihood logistic regression on one predictor, P(y = 1 | x) = 1 / (1 + exp(-(a + b x))),
// by Newton-Raphson (iteratively reweighted least squares; McCullagh & Nelder 1989, ch. 4).
// Used to recalibrate predicted probabilities (x = logit p) and as the "one variable alone"
// baseline predictor (x = the current value of a vital sign).

#include <cstddef>
#include <span>

namespace ptwin::uq {

struct LabelledValue {
  double x = 0.0;
  bool outcome = false;
};

struct LogisticFit {
  double intercept = 0.0;
  double slope = 0.0;
  int iterations = 0;
  [[nodiscard]] double probability(double x) const;
};

struct LogisticFitSettings {
  double initial_intercept = 0.0;
  double initial_slope = 0.0;
  int max_iterations = 100;
  double step_tolerance = 1e-10;  // on |delta a| and |delta b|
};

/// Throws InputError for a non-finite x (naming the index) or a single outcome class, and Error
/// when the fit does not converge: when x separates the outcomes completely the likelihood has
/// no maximum and the slope runs off to infinity.
[[nodiscard]] LogisticFit fit_logistic_regression(std::span<const LabelledValue> data,
                                                  const LogisticFitSettings& settings = {});

}  // namespace ptwin::uq
