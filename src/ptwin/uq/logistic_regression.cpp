// SPDX-License-Identifier: Apache-2.0
#include "ptwin/uq/logistic_regression.hpp"

#include <cmath>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::uq {

namespace {

// sum y log mu + (1 - y) log(1 - mu), computed without forming mu (no log(0) for large |eta|).
double log_likelihood(std::span<const LabelledValue> data, double a, double b) {
  double sum = 0.0;
  for (const auto& d : data) {
    const double eta = a + b * d.x;
    // log(1 + e^eta), stable for both signs.
    const double softplus = eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta));
    sum += (d.outcome ? eta : 0.0) - softplus;
  }
  return sum;
}

}  // namespace

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
  // Newton steps with step halving: a full step from a poor start on widely spread x can
  // overshoot into a region where exp() saturates and the next Hessian is singular; the
  // log-likelihood is concave, so halving until it increases always succeeds (Dennis & Schnabel
  // 1996, ch. 6).
  double current = log_likelihood(data, fit.intercept, fit.slope);
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
    double da = (h11 * g0 - h01 * g1) / det;
    double db = (h00 * g1 - h01 * g0) / det;
    double next = log_likelihood(data, fit.intercept + da, fit.slope + db);
    for (int halving = 0; halving < 50 && !(next >= current); ++halving) {
      da *= 0.5;
      db *= 0.5;
      next = log_likelihood(data, fit.intercept + da, fit.slope + db);
    }
    fit.intercept += da;
    fit.slope += db;
    current = next;
    if (std::abs(da) < settings.step_tolerance && std::abs(db) < settings.step_tolerance) return fit;
  }
  throw Error(ErrorCode::BadInput,
              fmt::format("logistic regression of {} cases did not converge (last slope {:.4g}); "
                          "the predictor probably separates the outcomes completely, where the "
                          "fit has no finite maximum",
                          data.size(), fit.slope));
}

}  // namespace ptwin::uq
