// SPDX-License-Identifier: Apache-2.0
#include "ptwin/uq/logistic_regression.hpp"

#include <cmath>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::uq {

double LogisticFit::probability(double x) const {
  return 1.0 / (1.0 + std::exp(-(intercept + slope * x)));
}

LogisticFit fit_logistic_regression(std::span<const LabelledValue> data,
                                    const LogisticFitSettings& settings) {
  std::size_t positives = 0;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (!std::isfinite(data[i].x)) {
      throw InputError(ErrorCode::BadInput, fmt::format("x[{}]", i), fmt::format("{}", data[i].x),
                       "must be a finite number");
    }
    positives += data[i].outcome ? 1 : 0;
  }
  if (positives == 0 || positives == data.size()) {
    throw InputError(ErrorCode::BadInput, "logistic regression outcomes",
                     fmt::format("{} of {} positive", positives, data.size()),
                     "needs at least one case of each outcome");
  }
  LogisticFit fit{settings.initial_intercept, settings.initial_slope, 0};
  for (fit.iterations = 1; fit.iterations <= settings.max_iterations; ++fit.iterations) {
    double g0 = 0.0, g1 = 0.0, h00 = 0.0, h01 = 0.0, h11 = 0.0;
    for (const auto& d : data) {
      const double mu = fit.probability(d.x);
      const double r = (d.outcome ? 1.0 : 0.0) - mu;
      const double w = mu * (1.0 - mu);
      g0 += r;
      g1 += r * d.x;
      h00 += w;
      h01 += w * d.x;
      h11 += w * d.x * d.x;
    }
    const double det = h00 * h11 - h01 * h01;
    if (!(det > 0.0) || !std::isfinite(det)) break;  // flat likelihood: separation
    const double da = (h11 * g0 - h01 * g1) / det;
    const double db = (h00 * g1 - h01 * g0) / det;
    fit.intercept += da;
    fit.slope += db;
    if (std::abs(da) < settings.step_tolerance && std::abs(db) < settings.step_tolerance) return fit;
  }
  throw Error(ErrorCode::BadInput,
              fmt::format("logistic regression of {} cases did not converge (last slope {:.4g}); "
                          "the predictor probably separates the outcomes completely, where the "
                          "fit has no finite maximum",
                          data.size(), fit.slope));
}

}  // namespace ptwin::uq
