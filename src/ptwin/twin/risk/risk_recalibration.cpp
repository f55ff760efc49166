// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/risk/risk_recalibration.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/uq/isotonic_regression.hpp"

namespace ptwin::twin::risk {
namespace {

double logit(double p, double epsilon) {
  const double q = std::clamp(p, epsilon, 1.0 - epsilon);
  return std::log(q / (1.0 - q));
}

void require_probabilities(std::span<const uq::LabelledValue> cases, std::string_view method) {
  if (cases.empty()) {
    throw InputError(ErrorCode::BadInput, fmt::format("{} recalibration: cases", method), "0 cases",
                     "needs at least one case");
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (!(cases[i].x >= 0.0 && cases[i].x <= 1.0)) {
      throw InputError(ErrorCode::BadInput,
                       fmt::format("{} recalibration: cases[{}].probability", method, i),
                       fmt::format("{}", cases[i].x), "must be a probability in [0, 1]");
    }
  }
}

}  // namespace

std::string_view to_string(RecalibrationMethod method) {
  switch (method) {
    case RecalibrationMethod::None: return "none";
    case RecalibrationMethod::Platt: return "platt";
    case RecalibrationMethod::Isotonic: return "isotonic";
  }
  return "unknown";
}

double RiskRecalibration::apply(double probability) const {
  switch (method) {
    case RecalibrationMethod::None: return probability;
    case RecalibrationMethod::Platt:
      return 1.0 / (1.0 + std::exp(-(platt_intercept +
                                     platt_slope * logit(probability, logit_epsilon))));
    case RecalibrationMethod::Isotonic: break;
  }
  const auto& k = isotonic_knots;
  if (probability <= k.front().raw) return k.front().calibrated;
  if (probability >= k.back().raw) return k.back().calibrated;
  const auto upper = std::upper_bound(
      k.begin(), k.end(), probability,
      [](double p, const CalibrationKnot& knot) { return p < knot.raw; });
  const auto lower = upper - 1;
  const double t = (probability - lower->raw) / (upper->raw - lower->raw);
  return lower->calibrated + t * (upper->calibrated - lower->calibrated);
}

void RiskRecalibration::validate(std::string_view where) const {
  // Every rule is "value must satisfy it"; the message names the field under `where`.
  const auto require = [where](bool holds, std::string_view field, double value, const char* rule) {
    if (holds) return;
    throw InputError(ErrorCode::BadInput, fmt::format("{}.{}", where, field),
                     fmt::format("{}", value), rule);
  };
  require(logit_epsilon > 0.0 && logit_epsilon < 0.5, "logit_epsilon", logit_epsilon,
          "must be in (0, 0.5)");
  if (method == RecalibrationMethod::Platt) {
    require(std::isfinite(platt_intercept), "platt_intercept", platt_intercept, "must be finite");
    // A slope <= 0 would reverse or flatten the ranking: not a recalibration.
    require(platt_slope > 0.0 && std::isfinite(platt_slope), "platt_slope", platt_slope,
            "must be positive and finite");
  }
  if (method != RecalibrationMethod::Isotonic) return;
  if (isotonic_knots.empty()) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.isotonic_knots", where), "[]",
                     "must hold at least one knot");
  }
  for (std::size_t i = 0; i < isotonic_knots.size(); ++i) {
    const auto& knot = isotonic_knots[i];
    const std::string raw = fmt::format("isotonic_knots[{}].raw", i);
    const std::string calibrated = fmt::format("isotonic_knots[{}].calibrated", i);
    require(knot.raw >= 0.0 && knot.raw <= 1.0, raw, knot.raw, "must be in [0, 1]");
    require(knot.calibrated >= 0.0 && knot.calibrated <= 1.0, calibrated, knot.calibrated,
            "must be in [0, 1]");
    if (i == 0) continue;
    const auto& previous = isotonic_knots[i - 1];
    require(knot.raw > previous.raw, raw, knot.raw, "must be above the previous knot's");
    require(knot.calibrated >= previous.calibrated, calibrated, knot.calibrated,
            "must not be below the previous knot's");
  }
}

RiskRecalibration fit_platt_recalibration(std::span<const uq::LabelledValue> cases,
                                          double logit_epsilon) {
  require_probabilities(cases, "platt");
  std::vector<uq::LabelledValue> data(cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    data[i] = {logit(cases[i].x, logit_epsilon), cases[i].outcome};
  }
  uq::LogisticFitSettings start;
  start.initial_slope = 1.0;  // from the identity map
  const uq::LogisticFit fit = uq::fit_logistic_regression(data, start);
  RiskRecalibration r;
  r.method = RecalibrationMethod::Platt;
  r.platt_intercept = fit.intercept;
  r.platt_slope = fit.slope;
  r.logit_epsilon = logit_epsilon;
  r.validate("platt recalibration");
  return r;
}

RiskRecalibration fit_isotonic_recalibration(std::span<const uq::LabelledValue> cases) {
  require_probabilities(cases, "isotonic");
  std::vector<uq::LabelledValue> sorted(cases.begin(), cases.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const uq::LabelledValue& a, const uq::LabelledValue& b) { return a.x < b.x; });
  // Equal predictions are one point (their event rate, weighted by their count): the map must
  // be a function of p.
  std::vector<double> raw, rate, weight;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    double events = 0.0;
    for (; j < sorted.size() && sorted[j].x == sorted[i].x; ++j) {
      events += sorted[j].outcome ? 1.0 : 0.0;
    }
    const double count = static_cast<double>(j - i);
    raw.push_back(sorted[i].x);
    rate.push_back(events / count);
    weight.push_back(count);
    i = j;
  }
  const std::vector<double> fitted = uq::pool_adjacent_violators(rate, weight);
  RiskRecalibration r;
  r.method = RecalibrationMethod::Isotonic;
  // Each block of equal fitted values becomes knots at its first and last raw probability.
  for (std::size_t i = 0; i < fitted.size();) {
    std::size_t j = i;
    while (j + 1 < fitted.size() && fitted[j + 1] == fitted[i]) ++j;
    r.isotonic_knots.push_back({raw[i], fitted[i]});
    if (j > i) r.isotonic_knots.push_back({raw[j], fitted[i]});
    i = j + 1;
  }
  r.validate("isotonic recalibration");
  return r;
}

}  // namespace ptwin::twin::risk
