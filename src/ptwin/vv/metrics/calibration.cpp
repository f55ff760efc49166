// SPDX-License-Identifier: Apache-2.0
#include "ptwin/vv/metrics/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include <boost/math/distributions/chi_squared.hpp>
#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/uq/logistic_regression.hpp"
#include "ptwin/vv/metrics/metric_input_checks.hpp"

namespace ptwin::vv {
namespace {

void check_settings(const CalibrationSettings& s) {
  if (s.reliability_bins < 1 || s.reliability_bins > 1000) {
    throw InputError(ErrorCode::BadInput, "calibration settings: reliability_bins",
                     std::to_string(s.reliability_bins), "must be between 1 and 1000");
  }
  if (s.hosmer_lemeshow_groups < 3) {
    throw InputError(ErrorCode::BadInput, "calibration settings: hosmer_lemeshow_groups",
                     std::to_string(s.hosmer_lemeshow_groups),
                     "must be at least 3 (the test has groups - 2 degrees of freedom)");
  }
  if (!(s.logit_epsilon > 0.0 && s.logit_epsilon < 0.5)) {
    throw InputError(ErrorCode::BadInput, "calibration settings: logit_epsilon",
                     fmt::format("{}", s.logit_epsilon), "must be in (0, 0.5)");
  }
}

void fill_reliability(std::span<const PredictedOutcome> predictions, int bin_count,
                      CalibrationReport& report) {
  const double n = static_cast<double>(predictions.size());
  report.bins.assign(static_cast<std::size_t>(bin_count), {});
  std::vector<double> sum_predicted(report.bins.size(), 0.0);
  std::vector<double> sum_observed(report.bins.size(), 0.0);
  for (const auto& p : predictions) {
    auto bin = static_cast<std::size_t>(p.probability * bin_count);
    bin = std::min(bin, report.bins.size() - 1);  // p == 1 goes to the last bin
    report.bins[bin].count += 1;
    sum_predicted[bin] += p.probability;
    sum_observed[bin] += p.occurred ? 1.0 : 0.0;
  }
  for (std::size_t k = 0; k < report.bins.size(); ++k) {
    ReliabilityBin& bin = report.bins[k];
    bin.lower = static_cast<double>(k) / bin_count;
    bin.upper = static_cast<double>(k + 1) / bin_count;
    if (bin.count == 0) continue;
    const double count = static_cast<double>(bin.count);
    bin.mean_predicted = sum_predicted[k] / count;
    bin.observed_frequency = sum_observed[k] / count;
    const double weight = count / n;
    report.reliability += weight * std::pow(bin.mean_predicted - bin.observed_frequency, 2);
    report.resolution += weight * std::pow(bin.observed_frequency - report.observed_rate, 2);
    report.expected_calibration_error +=
        weight * std::abs(bin.observed_frequency - bin.mean_predicted);
  }
}

// Logistic regression of the outcome on logit(p), from the calibrated answer (a, b) = (0, 1).
void fit_recalibration(std::span<const PredictedOutcome> predictions, double epsilon,
                       CalibrationReport& report) {
  std::vector<uq::LabelledValue> data(predictions.size());
  for (std::size_t i = 0; i < predictions.size(); ++i) {
    const double p = std::clamp(predictions[i].probability, epsilon, 1.0 - epsilon);
    data[i] = {std::log(p / (1.0 - p)), predictions[i].occurred};
  }
  uq::LogisticFitSettings start;
  start.initial_slope = 1.0;
  try {
    const uq::LogisticFit fit = uq::fit_logistic_regression(data, start);
    report.calibration_intercept = fit.intercept;
    report.calibration_slope = fit.slope;
  } catch (const Error& e) {  // classes were checked: this is non-convergence
    throw Error(e.code(), fmt::format("calibration: the recalibration slope and intercept are "
                                      "undefined: {}",
                                      e.what()));
  }
}

void fill_hosmer_lemeshow(std::span<const PredictedOutcome> predictions, int groups,
                          CalibrationReport& report) {
  if (predictions.size() < static_cast<std::size_t>(groups)) {
    throw InputError(ErrorCode::BadInput, "calibration: Hosmer-Lemeshow groups",
                     fmt::format("{} cases for {} groups", predictions.size(), groups),
                     "needs at least one case per group; lower hosmer_lemeshow_groups");
  }
  std::vector<std::size_t> order(predictions.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
    return predictions[i].probability < predictions[j].probability;
  });
  double statistic = 0.0;
  const std::size_t n = order.size();
  for (int g = 0; g < groups; ++g) {
    const std::size_t begin = n * static_cast<std::size_t>(g) / static_cast<std::size_t>(groups);
    const std::size_t end = n * static_cast<std::size_t>(g + 1) / static_cast<std::size_t>(groups);
    double expected = 0.0, observed = 0.0;
    for (std::size_t k = begin; k < end; ++k) {
      expected += predictions[order[k]].probability;
      observed += predictions[order[k]].occurred ? 1.0 : 0.0;
    }
    const double size = static_cast<double>(end - begin);
    const double mean_risk = expected / size;
    const double variance = size * mean_risk * (1.0 - mean_risk);
    // A group predicted all-0 or all-1 has no variance; it adds nothing when it is right.
    if (variance > 0.0) statistic += (observed - expected) * (observed - expected) / variance;
  }
  report.hosmer_lemeshow_statistic = statistic;
  report.hosmer_lemeshow_degrees_of_freedom = groups - 2;
  const boost::math::chi_squared_distribution<double> chi2(groups - 2);
  report.hosmer_lemeshow_p_value = boost::math::cdf(boost::math::complement(chi2, statistic));
}

}  // namespace

CalibrationReport assess_calibration(std::span<const PredictedOutcome> predictions,
                                     const CalibrationSettings& settings) {
  check_settings(settings);
  std::size_t positives = 0;
  CalibrationReport report;
  report.cases = predictions.size();
  for (std::size_t i = 0; i < predictions.size(); ++i) {
    detail::require_probability("probability", i, predictions[i].probability);
    positives += predictions[i].occurred ? 1 : 0;
  }
  detail::require_both_classes("calibration", positives, predictions.size() - positives);
  const double n = static_cast<double>(predictions.size());
  double sum_predicted = 0.0, brier = 0.0;
  for (const auto& p : predictions) {
    const double y = p.occurred ? 1.0 : 0.0;
    sum_predicted += p.probability;
    brier += (p.probability - y) * (p.probability - y);
  }
  report.observed_rate = static_cast<double>(positives) / n;
  report.mean_predicted = sum_predicted / n;
  report.brier_score = brier / n;
  report.uncertainty = report.observed_rate * (1.0 - report.observed_rate);
  report.calibration_in_the_large = report.observed_rate - report.mean_predicted;
  fill_reliability(predictions, settings.reliability_bins, report);
  fit_recalibration(predictions, settings.logit_epsilon, report);
  fill_hosmer_lemeshow(predictions, settings.hosmer_lemeshow_groups, report);
  return report;
}

}  // namespace ptwin::vv
