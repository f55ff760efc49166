// SPDX-License-Identifier: Apache-2.0
#pragma once
// A latency histogram with fixed, log-spaced buckets: what every stage of the
// twin's pipeline reports (transport, ingest, later filter and forecast), cheap
// to record from any thread and exported as a Prometheus histogram (cumulative
// `le` buckets, _sum, _count).
//
// Buckets: upper bounds 10^(k/5) microseconds, k = 0..40, i.e. five per decade
// from 1 us to 100 s, and a last bucket for everything above. Five per decade
// bounds the error of a quantile read from the buckets to a factor 10^(1/5)
// = 1.58 at worst; within a bucket the quantile is interpolated geometrically
// and clamped to the smallest and largest value recorded, which is exact when
// every value of the bucket is the same.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>

namespace ptwin {

class LatencyHistogram {
 public:
  static constexpr int kBucketsPerDecade = 5;
  static constexpr int kDecades = 8;  // 1 us .. 100 s
  /// Finite upper bounds; one more bucket (+Inf) follows them.
  static constexpr std::size_t kBoundCount = kDecades * kBucketsPerDecade + 1;
  static constexpr std::size_t kBucketCount = kBoundCount + 1;

  /// The finite bucket upper bounds in seconds, increasing (Prometheus `le`
  /// values).
  [[nodiscard]] static const std::array<double, kBoundCount>& upper_bounds_s();

  /// A consistent copy of the counts.
  struct Snapshot {
    std::array<std::uint64_t, kBucketCount> bucket_counts{};  // per bucket, not cumulative
    std::uint64_t count = 0;     // values recorded in buckets (negatives excluded)
    double sum_s = 0.0;          // their sum
    std::uint64_t negative = 0;  // values below zero: not in a bucket (see record())
    std::chrono::nanoseconds min{0};
    std::chrono::nanoseconds max{0};
    /// The q-quantile (0 < q <= 1) of the recorded values in seconds; nullopt
    /// when empty.
    [[nodiscard]] std::optional<double> quantile_s(double q) const;
  };

  /// Adds one value. A negative value (a source clock ahead of ours, for a
  /// transport latency) has no bucket: it is counted in `negative`, not clamped
  /// to zero, so that the histogram never reports a delay that was not
  /// measured. Thread-safe.
  void record(std::chrono::nanoseconds latency);

  [[nodiscard]] Snapshot snapshot() const;
  /// snapshot().quantile_s(q).
  [[nodiscard]] std::optional<double> quantile_s(double q) const;

 private:
  mutable std::mutex mutex_;
  Snapshot counts_;
};

}  // namespace ptwin
