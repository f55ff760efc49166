// SPDX-License-Identifier: Apache-2.0
// LatencyHistogram: values land in the documented log-spaced buckets, quantiles
// are within the bucket resolution of the exact ones, negatives are counted
// apart, and concurrent recording loses nothing.
#include "ptwin/core/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>
#include <vector>

namespace ptwin {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

// One bucket spans a factor 10^(1/5); a quantile read from the buckets is off
// by less.
const double kBucketRatio = std::pow(10.0, 1.0 / LatencyHistogram::kBucketsPerDecade);

TEST(LatencyHistogram, BoundsAreFivePerDecadeFromOneMicrosecondToOneHundredSeconds) {
  const auto& bounds = LatencyHistogram::upper_bounds_s();
  ASSERT_EQ(bounds.size(), 41U);
  EXPECT_DOUBLE_EQ(bounds.front(), 1e-6);
  EXPECT_NEAR(bounds[5], 1e-5, 1e-15);
  EXPECT_NEAR(bounds.back(), 100.0, 1e-12);
  for (std::size_t i = 1; i < bounds.size(); ++i) {
    // Bounds are whole nanoseconds: rounding moves the smallest (1000 ns) by <
    // 0.5 ns.
    EXPECT_NEAR(bounds[i] / bounds[i - 1], kBucketRatio, 1e-3) << i;
  }
}

TEST(LatencyHistogram, AValueOnABoundBelongsToThatBoundsBucket) {
  LatencyHistogram histogram;
  histogram.record(microseconds(1));            // == first bound
  histogram.record(nanoseconds(1001));          // just above it: second bucket
  histogram.record(std::chrono::seconds(101));  // above the last bound: +Inf bucket
  const auto snapshot = histogram.snapshot();
  EXPECT_EQ(snapshot.bucket_counts[0], 1U);
  EXPECT_EQ(snapshot.bucket_counts[1], 1U);
  EXPECT_EQ(snapshot.bucket_counts[LatencyHistogram::kBucketCount - 1], 1U);
  EXPECT_EQ(snapshot.count, 3U);
  EXPECT_NEAR(snapshot.sum_s, 101.000002001, 1e-9);
}

TEST(LatencyHistogram, QuantilesOfIdenticalValuesAreExact) {
  LatencyHistogram histogram;
  for (int i = 0; i < 10; ++i) histogram.record(milliseconds(7));
  EXPECT_DOUBLE_EQ(*histogram.quantile_s(0.5), 0.007);
  EXPECT_DOUBLE_EQ(*histogram.quantile_s(0.99), 0.007);
}

TEST(LatencyHistogram, P50AndP99AreWithinOneBucketOfTheExactQuantiles) {
  std::mt19937 generator(20261124);  // fixed seed
  std::lognormal_distribution<double> milliseconds_drawn(std::log(20.0), 1.0);
  std::vector<double> values_s;
  LatencyHistogram histogram;
  for (int i = 0; i < 20000; ++i) {
    const double ms = milliseconds_drawn(generator);
    const auto value = nanoseconds(static_cast<std::int64_t>(ms * 1e6));
    values_s.push_back(static_cast<double>(value.count()) * 1e-9);
    histogram.record(value);
  }
  std::sort(values_s.begin(), values_s.end());
  for (const double q : {0.5, 0.99}) {
    const double exact = values_s[static_cast<std::size_t>(std::ceil(q * 20000)) - 1];
    const double estimate = *histogram.quantile_s(q);
    EXPECT_LT(estimate / exact, kBucketRatio) << "q=" << q;
    EXPECT_GT(estimate / exact, 1.0 / kBucketRatio) << "q=" << q;
  }
  EXPECT_LE(*histogram.quantile_s(1.0), values_s.back() + 1e-12);
}

TEST(LatencyHistogram, NegativeValuesAreCountedApartAndNotBucketed) {
  LatencyHistogram histogram;
  histogram.record(milliseconds(-3));
  histogram.record(milliseconds(2));
  const auto snapshot = histogram.snapshot();
  EXPECT_EQ(snapshot.negative, 1U);
  EXPECT_EQ(snapshot.count, 1U);
  EXPECT_DOUBLE_EQ(*snapshot.quantile_s(0.5), 0.002);
}

TEST(LatencyHistogram, AnEmptyHistogramHasNoQuantile) {
  const LatencyHistogram histogram;
  EXPECT_FALSE(histogram.quantile_s(0.5).has_value());
}

TEST(LatencyHistogram, ConcurrentRecordsAreAllCounted) {
  LatencyHistogram histogram;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&histogram, t] {
      for (int i = 0; i < 5000; ++i) histogram.record(microseconds(10 * (t + 1)));
    });
  }
  for (auto& thread : threads) thread.join();
  const auto snapshot = histogram.snapshot();
  EXPECT_EQ(snapshot.count, 20000U);
  std::uint64_t in_buckets = 0;
  for (const auto count : snapshot.bucket_counts) in_buckets += count;
  EXPECT_EQ(in_buckets, 20000U);
  EXPECT_NEAR(snapshot.sum_s, 5000 * (10 + 20 + 30 + 40) * 1e-6, 1e-9);
}

}  // namespace
}  // namespace ptwin
