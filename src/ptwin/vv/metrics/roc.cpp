// SPDX-License-Identifier: Apache-2.0
#include "ptwin/vv/metrics/roc.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/normal.hpp>

#include "ptwin/vv/metrics/metric_input_checks.hpp"

namespace ptwin::vv {
namespace {

constexpr double kZ95 = 1.959963984540054;  // standard normal 0.975 quantile

struct SplitScores {
  std::vector<double> positive;
  std::vector<double> negative;  // sorted ascending
};

SplitScores split(std::span<const ScoredCase> cases) {
  SplitScores scores;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    detail::require_finite("score", i, cases[i].score);
    (cases[i].is_positive ? scores.positive : scores.negative).push_back(cases[i].score);
  }
  detail::require_both_classes("area under the ROC curve", scores.positive.size(),
                               scores.negative.size());
  return scores;
}

// psi summed over `others` for a score x: count(others < x) + count(others == x) / 2, with
// `others` sorted; `x_is_positive` flips the order for negatives (count(others > x) + ties / 2).
double placement_count(const std::vector<double>& sorted_others, double x, bool x_is_positive) {
  const auto [first_equal, past_equal] =
      std::equal_range(sorted_others.begin(), sorted_others.end(), x);
  const double ties = static_cast<double>(past_equal - first_equal);
  const double below = static_cast<double>(first_equal - sorted_others.begin());
  const double above = static_cast<double>(sorted_others.end() - past_equal);
  return (x_is_positive ? below : above) + 0.5 * ties;
}

// DeLong placement values: V10 for each positive (fraction of negatives it beats), V01 for each
// negative (fraction of positives that beat it).
struct Placements {
  std::vector<double> of_positives;
  std::vector<double> of_negatives;
};

Placements placements(const std::vector<double>& positive, const std::vector<double>& negative) {
  std::vector<double> sorted_negative = negative;
  std::vector<double> sorted_positive = positive;
  std::sort(sorted_negative.begin(), sorted_negative.end());
  std::sort(sorted_positive.begin(), sorted_positive.end());
  Placements p;
  p.of_positives.reserve(positive.size());
  p.of_negatives.reserve(negative.size());
  const double n_neg = static_cast<double>(negative.size());
  const double n_pos = static_cast<double>(positive.size());
  for (double x : positive) p.of_positives.push_back(placement_count(sorted_negative, x, true) / n_neg);
  for (double y : negative) p.of_negatives.push_back(placement_count(sorted_positive, y, false) / n_pos);
  return p;
}

double mean(const std::vector<double>& v) {
  double sum = 0.0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

// Sample covariance (divisor n - 1); 0 for a single element.
double covariance(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() < 2) return 0.0;
  const double ma = mean(a);
  const double mb = mean(b);
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - ma) * (b[i] - mb);
  return sum / static_cast<double>(a.size() - 1);
}

AurocEstimate estimate(const Placements& p) {
  AurocEstimate e;
  e.positives = p.of_positives.size();
  e.negatives = p.of_negatives.size();
  e.area = mean(p.of_positives);
  const double variance = covariance(p.of_positives, p.of_positives) / static_cast<double>(e.positives) +
                          covariance(p.of_negatives, p.of_negatives) / static_cast<double>(e.negatives);
  e.standard_error = std::sqrt(std::max(variance, 0.0));
  if (e.area <= 0.0 || e.area >= 1.0 || e.standard_error == 0.0) {
    e.lower_95 = e.upper_95 = e.area;  // perfect (or perfectly wrong) separation: no spread
    return e;
  }
  // Delta method: SE(logit A) = SE(A) / (A (1 - A)).
  const double logit = std::log(e.area / (1.0 - e.area));
  const double logit_se = e.standard_error / (e.area * (1.0 - e.area));
  const auto inverse_logit = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
  e.lower_95 = inverse_logit(logit - kZ95 * logit_se);
  e.upper_95 = inverse_logit(logit + kZ95 * logit_se);
  return e;
}

}  // namespace

std::vector<RocPoint> roc_curve(std::span<const ScoredCase> cases) {
  const SplitScores scores = split(cases);
  std::vector<ScoredCase> sorted(cases.begin(), cases.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const ScoredCase& a, const ScoredCase& b) { return a.score > b.score; });
  const double n_pos = static_cast<double>(scores.positive.size());
  const double n_neg = static_cast<double>(scores.negative.size());
  std::vector<RocPoint> curve;
  curve.push_back({std::numeric_limits<double>::infinity(), 0.0, 0.0});
  std::size_t true_positives = 0;
  std::size_t false_positives = 0;
  for (std::size_t i = 0; i < sorted.size();) {
    const double threshold = sorted[i].score;
    for (; i < sorted.size() && sorted[i].score == threshold; ++i) {
      (sorted[i].is_positive ? true_positives : false_positives) += 1;
    }
    curve.push_back({threshold, static_cast<double>(false_positives) / n_neg,
                     static_cast<double>(true_positives) / n_pos});
  }
  return curve;
}

AurocEstimate auroc_delong(std::span<const ScoredCase> cases) {
  const SplitScores scores = split(cases);
  return estimate(placements(scores.positive, scores.negative));
}

double hanley_mcneil_standard_error(double area, std::size_t positives, std::size_t negatives) {
  detail::require_both_classes("Hanley-McNeil standard error", positives, negatives);
  detail::require_probability("area", 0, area);
  // Hanley & McNeil 1982, eq. (1) with Q1 = A / (2 - A), Q2 = 2 A^2 / (1 + A).
  const double q1 = area / (2.0 - area);
  const double q2 = 2.0 * area * area / (1.0 + area);
  const double na = static_cast<double>(positives);
  const double nn = static_cast<double>(negatives);
  const double variance = (area * (1.0 - area) + (na - 1.0) * (q1 - area * area) +
                           (nn - 1.0) * (q2 - area * area)) /
                          (na * nn);
  return std::sqrt(std::max(variance, 0.0));
}

AurocComparison compare_auroc_delong(std::span<const PairedScores> cases) {
  std::vector<double> pos1, neg1, pos2, neg2;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    detail::require_finite("first score", i, cases[i].first);
    detail::require_finite("second score", i, cases[i].second);
    (cases[i].is_positive ? pos1 : neg1).push_back(cases[i].first);
    (cases[i].is_positive ? pos2 : neg2).push_back(cases[i].second);
  }
  detail::require_both_classes("paired area comparison", pos1.size(), neg1.size());
  const Placements p1 = placements(pos1, neg1);
  const Placements p2 = placements(pos2, neg2);
  AurocComparison c;
  c.first = estimate(p1);
  c.second = estimate(p2);
  c.difference = c.first.area - c.second.area;
  const double m = static_cast<double>(pos1.size());
  const double n = static_cast<double>(neg1.size());
  // Var(A1 - A2) = Var(A1) + Var(A2) - 2 Cov(A1, A2), each from the placement covariances.
  const double var1 = covariance(p1.of_positives, p1.of_positives) / m +
                      covariance(p1.of_negatives, p1.of_negatives) / n;
  const double var2 = covariance(p2.of_positives, p2.of_positives) / m +
                      covariance(p2.of_negatives, p2.of_negatives) / n;
  const double cov = covariance(p1.of_positives, p2.of_positives) / m +
                     covariance(p1.of_negatives, p2.of_negatives) / n;
  c.standard_error = std::sqrt(std::max(var1 + var2 - 2.0 * cov, 0.0));
  c.lower_95 = c.difference - kZ95 * c.standard_error;
  c.upper_95 = c.difference + kZ95 * c.standard_error;
  if (c.standard_error > 0.0) {
    c.z = c.difference / c.standard_error;
    const boost::math::normal_distribution<double> standard_normal;
    c.p_value = 2.0 * boost::math::cdf(boost::math::complement(standard_normal, std::abs(c.z)));
  } else {
    c.z = 0.0;
    c.p_value = c.difference == 0.0 ? 1.0 : 0.0;
  }
  return c;
}

}  // namespace ptwin::vv
