// SPDX-License-Identifier: Apache-2.0
#pragma once
// Percentile intervals for the area under the ROC curve when cases come in clusters (many
// predictions per patient). Predictions of one patient are correlated, so DeLong's interval,
// which treats every case as independent, is too narrow; resampling whole patients with
// replacement keeps each patient's correlation inside the resample (the cluster bootstrap;
// Davison & Hinkley 1997, Bootstrap Methods and their Application, §3.8; Field & Welsh 2007,
// JRSS B 69:369). For each of B resamples the clusters are drawn n times with replacement, the
// areas of both scores and their difference are recomputed on the pooled cases of the drawn
// clusters (a cluster drawn twice counts twice), and the interval is the (alpha/2, 1 - alpha/2)
// percentiles of the B values (Efron & Tibshirani 1993, ch. 13).
//
// A resample whose drawn clusters hold no positive or no negative case has no area; it is
// drawn again, and the number of such redraws is reported (not hidden). The random stream is one
// std::mt19937_64 seeded from the settings: a result is reproducible from (data, resamples,
// seed) on one standard library.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ptwin/vv/metrics/roc.hpp"

namespace ptwin::vv {

struct ClusterBootstrapSettings {
  int resamples = 1000;            // B, 100..1000000
  std::uint64_t seed = 20261125;   // stated with every result
  double level = 0.95;             // two-sided, in (0, 1)
  int max_redraws = 10000;         // resamples lacking a class; more is an InputError
};

/// A point estimate (on the full data) with its bootstrap percentile interval.
struct PercentileInterval {
  double estimate = 0.0;
  double lower = 0.0;
  double upper = 0.0;
  double standard_error = 0.0;  // SD of the bootstrap values (divisor B - 1)
};

struct ClusterBootstrapAuroc {
  std::size_t clusters = 0;
  int resamples = 0;
  std::uint64_t seed = 0;
  double level = 0.0;
  int redraws = 0;  // resamples drawn again because a class was missing
  PercentileInterval first;       // AUROC of PairedScores::first
  PercentileInterval second;      // AUROC of PairedScores::second
  PercentileInterval difference;  // first - second, on the same resample
};

/// `clusters[c]` are the cases of cluster c (a patient), each scored by two predictors. Throws
/// InputError for settings out of range, a non-finite score (naming cluster and case), fewer
/// than two clusters, a class absent from the whole data, or more redraws than allowed.
[[nodiscard]] ClusterBootstrapAuroc cluster_bootstrap_auroc(
    std::span<const std::vector<PairedScores>> clusters, const ClusterBootstrapSettings& settings);

}  // namespace ptwin::vv
