// SPDX-License-Identifier: Apache-2.0
#include "ptwin/vv/metrics/cluster_bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/vv/metrics/metric_input_checks.hpp"

namespace ptwin::vv {
namespace {

void check(std::span<const std::vector<PairedScores>> clusters, const ClusterBootstrapSettings& s) {
  const auto bad = [](const char* field, std::string value, const char* rule) {
    throw InputError(ErrorCode::BadInput, fmt::format("cluster bootstrap settings: {}", field),
                     std::move(value), rule);
  };
  if (s.resamples < 100 || s.resamples > 1000000) {
    bad("resamples", std::to_string(s.resamples), "must be 100..1000000");
  }
  if (!(s.level > 0.0 && s.level < 1.0)) {
    bad("level", fmt::format("{}", s.level), "must be in (0, 1)");
  }
  if (s.max_redraws < 0) bad("max_redraws", std::to_string(s.max_redraws), "must be >= 0");
  if (clusters.size() < 2) {
    throw InputError(ErrorCode::BadInput, "cluster bootstrap: clusters",
                     fmt::format("{} clusters", clusters.size()),
                     "needs at least two clusters to resample");
  }
  std::size_t positives = 0, negatives = 0;
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    for (std::size_t i = 0; i < clusters[c].size(); ++i) {
      const auto& p = clusters[c][i];
      detail::require_finite(fmt::format("cluster[{}].first", c), i, p.first);
      detail::require_finite(fmt::format("cluster[{}].second", c), i, p.second);
      (p.is_positive ? positives : negatives) += 1;
    }
  }
  detail::require_both_classes("cluster bootstrap of the area under the ROC curve", positives,
                               negatives);
}

struct FlatCase {
  double score = 0.0;
  std::size_t cluster = 0;
  bool is_positive = false;
};

// Cases of one score sorted ascending; the weighted Mann-Whitney area is one pass over it.
class WeightedArea {
 public:
  WeightedArea(std::span<const std::vector<PairedScores>> clusters, bool use_first) {
    for (std::size_t c = 0; c < clusters.size(); ++c) {
      for (const auto& p : clusters[c]) {
        cases_.push_back({use_first ? p.first : p.second, c, p.is_positive});
      }
    }
    std::sort(cases_.begin(), cases_.end(),
              [](const FlatCase& a, const FlatCase& b) { return a.score < b.score; });
  }

  // Sum over (positive i, negative j) of w_i w_j [s_i > s_j] (+ 1/2 on ties), normalised by
  // W+ W-; each case weighs as many times as its cluster was drawn.
  [[nodiscard]] double area(const std::vector<double>& cluster_weight) const {
    double negatives_below = 0.0, numerator = 0.0, positives = 0.0;
    std::size_t k = 0;
    while (k < cases_.size()) {
      double tied_positive = 0.0, tied_negative = 0.0;
      const double score = cases_[k].score;
      for (; k < cases_.size() && cases_[k].score == score; ++k) {
        const double weight = cluster_weight[cases_[k].cluster];
        (cases_[k].is_positive ? tied_positive : tied_negative) += weight;
      }
      numerator += tied_positive * (negatives_below + 0.5 * tied_negative);
      negatives_below += tied_negative;
      positives += tied_positive;
    }
    return numerator / (positives * negatives_below);
  }

 private:
  std::vector<FlatCase> cases_;
};

// Type-7 sample quantile (linear between order statistics) of sorted values.
double quantile(const std::vector<double>& sorted, double q) {
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

PercentileInterval interval(double estimate, std::vector<double> values, double level) {
  PercentileInterval out;
  out.estimate = estimate;
  const double count = static_cast<double>(values.size());
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / count;
  double sum_squares = 0.0;
  for (double v : values) sum_squares += (v - mean) * (v - mean);
  out.standard_error = std::sqrt(sum_squares / (count - 1.0));
  std::sort(values.begin(), values.end());
  const double alpha = 1.0 - level;
  out.lower = quantile(values, alpha / 2.0);
  out.upper = quantile(values, 1.0 - alpha / 2.0);
  return out;
}

}  // namespace

ClusterBootstrapAuroc cluster_bootstrap_auroc(std::span<const std::vector<PairedScores>> clusters,
                                              const ClusterBootstrapSettings& settings) {
  check(clusters, settings);
  const std::size_t n = clusters.size();
  std::vector<double> positives(n, 0.0), negatives(n, 0.0);
  for (std::size_t c = 0; c < n; ++c) {
    for (const auto& p : clusters[c]) (p.is_positive ? positives[c] : negatives[c]) += 1.0;
  }
  const WeightedArea first(clusters, true);
  const WeightedArea second(clusters, false);
  ClusterBootstrapAuroc out;
  out.clusters = n;
  out.resamples = settings.resamples;
  out.seed = settings.seed;
  out.level = settings.level;
  const std::vector<double> all(n, 1.0);
  const double first_area = first.area(all);
  const double second_area = second.area(all);

  std::mt19937_64 generator(settings.seed);
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::vector<double> weight(n);
  std::vector<double> a1, a2, d;
  a1.reserve(static_cast<std::size_t>(settings.resamples));
  a2.reserve(a1.capacity());
  d.reserve(a1.capacity());
  while (static_cast<int>(a1.size()) < settings.resamples) {
    std::fill(weight.begin(), weight.end(), 0.0);
    double drawn_positives = 0.0, drawn_negatives = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t c = pick(generator);
      weight[c] += 1.0;
      drawn_positives += positives[c];
      drawn_negatives += negatives[c];
    }
    if (drawn_positives == 0.0 || drawn_negatives == 0.0) {
      if (++out.redraws > settings.max_redraws) {
        throw InputError(ErrorCode::BadInput, "cluster bootstrap: clusters",
                         fmt::format("{} resamples without both classes", out.redraws),
                         "too few clusters hold each class; add clusters or use a larger cohort");
      }
      continue;
    }
    a1.push_back(first.area(weight));
    a2.push_back(second.area(weight));
    d.push_back(a1.back() - a2.back());
  }
  out.first = interval(first_area, std::move(a1), settings.level);
  out.second = interval(second_area, std::move(a2), settings.level);
  out.difference = interval(first_area - second_area, std::move(d), settings.level);
  return out;
}

}  // namespace ptwin::vv
