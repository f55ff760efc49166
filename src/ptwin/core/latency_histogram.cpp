// SPDX-License-Identifier: Apache-2.0
#include "ptwin/core/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

#include "ptwin/core/assert.hpp"

namespace ptwin {
namespace {

constexpr double kSmallestBound_ns = 1e3;  // 1 us

// Bounds in whole nanoseconds, so that a value is put in its bucket by integer
// comparison (1000 ns is exactly on the first bound, whatever 1000 * 1e-9
// rounds to).
std::array<std::int64_t, LatencyHistogram::kBoundCount> make_bounds_ns() {
  std::array<std::int64_t, LatencyHistogram::kBoundCount> bounds{};
  for (std::size_t k = 0; k < bounds.size(); ++k) {
    bounds[k] =
        std::llround(kSmallestBound_ns *
                     std::pow(10.0, static_cast<double>(k) / LatencyHistogram::kBucketsPerDecade));
  }
  return bounds;
}

const std::array<std::int64_t, LatencyHistogram::kBoundCount>& bounds_ns() {
  static const auto bounds = make_bounds_ns();
  return bounds;
}

double seconds(std::chrono::nanoseconds value) { return static_cast<double>(value.count()) * 1e-9; }

}  // namespace

const std::array<double, LatencyHistogram::kBoundCount>& LatencyHistogram::upper_bounds_s() {
  static const auto bounds = [] {
    std::array<double, kBoundCount> seconds_bounds{};
    for (std::size_t k = 0; k < seconds_bounds.size(); ++k) {
      seconds_bounds[k] = static_cast<double>(bounds_ns()[k]) * 1e-9;
    }
    return seconds_bounds;
  }();
  return bounds;
}

void LatencyHistogram::record(std::chrono::nanoseconds latency) {
  const std::lock_guard lock(mutex_);
  if (latency.count() < 0) {
    ++counts_.negative;
    return;
  }
  const auto& bounds = bounds_ns();
  const double value_s = seconds(latency);
  // Prometheus `le` semantics: a value equal to a bound belongs to that bound's
  // bucket.
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(bounds.begin(), bounds.end(), latency.count()) - bounds.begin());
  ++counts_.bucket_counts[bucket];
  counts_.min = counts_.count == 0 ? latency : std::min(counts_.min, latency);
  counts_.max = counts_.count == 0 ? latency : std::max(counts_.max, latency);
  ++counts_.count;
  counts_.sum_s += value_s;
}

LatencyHistogram::Snapshot LatencyHistogram::snapshot() const {
  const std::lock_guard lock(mutex_);
  return counts_;
}

std::optional<double> LatencyHistogram::quantile_s(double q) const {
  return snapshot().quantile_s(q);
}

std::optional<double> LatencyHistogram::Snapshot::quantile_s(double q) const {
  PTWIN_ASSERT(q > 0.0 && q <= 1.0, "quantile must be in (0, 1]");
  if (count == 0) return std::nullopt;
  const auto& bounds = upper_bounds_s();
  // The rank of the q-quantile among the sorted values, 1-based (nearest-rank
  // definition).
  const double rank = std::max(1.0, std::ceil(q * static_cast<double>(count)));
  double below = 0.0;
  std::size_t bucket = 0;
  while (below + static_cast<double>(bucket_counts[bucket]) < rank) {
    below += static_cast<double>(bucket_counts[bucket]);
    ++bucket;
  }
  const double low_s = std::max(bucket == 0 ? 0.0 : bounds[bucket - 1], seconds(min));
  const double high_s =
      std::min(bucket < bounds.size() ? bounds[bucket] : seconds(max), seconds(max));
  if (high_s <= low_s) return high_s;
  // Geometric interpolation by rank inside the bucket (values are spread on a
  // log scale).
  const double fraction = (rank - below) / static_cast<double>(bucket_counts[bucket]);
  if (low_s <= 0.0) return low_s + fraction * (high_s - low_s);
  return low_s * std::pow(high_s / low_s, fraction);
}

}  // namespace ptwin
