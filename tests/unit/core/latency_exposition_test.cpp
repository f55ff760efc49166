// SPDX-License-Identifier: Apache-2.0
// LatencyHistograms written in the Prometheus text format and read back
// (src/ptwin/core/latency_exposition.hpp): the counts survive the round trip,
// a difference of two readings holds only the values between them, quantiles
// read back lie in the bucket of the true quantile, and malformed text names
// the line.

#include "ptwin/core/latency_exposition.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>

#include "ptwin/core/error.hpp"

namespace ptwin {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kMetric = "ptwin_stage_latency_seconds";

std::string exposition(const LatencyHistogram& h, std::string_view labels) {
  std::string out = "# HELP ptwin_stage_latency_seconds per stage\n# TYPE x histogram\n";
  append_prometheus_histogram(out, kMetric, labels, h.snapshot());
  return out;
}

TEST(LatencyExposition, RoundTripKeepsEveryBucketCountAndTheSum) {
  LatencyHistogram h;
  std::mt19937_64 random(3);
  std::lognormal_distribution<double> micros(7.0, 2.0);
  for (int i = 0; i < 5000; ++i) h.record(std::chrono::nanoseconds(std::llround(micros(random) * 1e3)));
  h.record(200s);  // beyond the last bound: the +Inf bucket
  const auto text = exposition(h, "feed=\"mqtt\",stage=\"ingest\"");
  const auto read = read_prometheus_histograms(text, kMetric);
  ASSERT_EQ(read.size(), 1u);
  const auto& [key, back] = *read.begin();
  EXPECT_EQ(key, "feed=\"mqtt\",stage=\"ingest\"");
  const auto original = h.snapshot();
  EXPECT_EQ(back.bucket_counts, original.bucket_counts);
  EXPECT_EQ(back.count, original.count);
  EXPECT_NEAR(back.sum_s, original.sum_s, 1e-8 * original.sum_s);
}

TEST(LatencyExposition, QuantilesReadBackLieInTheBucketOfTheTrueQuantile) {
  LatencyHistogram h;
  for (int i = 1; i <= 1000; ++i) h.record(std::chrono::microseconds(i * 37));
  const auto back = read_prometheus_histograms(exposition(h, "stage=\"a\""), kMetric).at("stage=\"a\"");
  const auto& bounds = LatencyHistogram::upper_bounds_s();
  for (const double q : {0.5, 0.9, 0.99}) {
    const double truth = *h.quantile_s(q);
    const double estimate = *back.quantile_s(q);
    const auto bucket = std::lower_bound(bounds.begin(), bounds.end(), truth) - bounds.begin();
    const double low = bucket == 0 ? 0.0 : bounds[bucket - 1];
    EXPECT_GE(estimate, low) << q;
    EXPECT_LE(estimate, bounds[bucket]) << q;
  }
}

TEST(LatencyExposition, DifferenceHoldsOnlyTheValuesBetweenTwoReadings) {
  LatencyHistogram h;
  for (int i = 0; i < 100; ++i) h.record(50ms);  // before the load
  const auto first = read_prometheus_histograms(exposition(h, ""), kMetric).at("");
  for (int i = 0; i < 40; ++i) h.record(2ms);  // the load
  const auto second = read_prometheus_histograms(exposition(h, ""), kMetric).at("");
  const auto load = histogram_difference(second, first);
  EXPECT_EQ(load.count, 40u);
  EXPECT_NEAR(load.sum_s, 40 * 0.002, 1e-9);
  // Every value of the load is 2 ms: its quantiles are in 2 ms's bucket (1.58 .. 2.51 ms).
  EXPECT_GT(*load.quantile_s(0.99), 0.00158);
  EXPECT_LE(*load.quantile_s(0.99), 0.00252);
  EXPECT_THROW((void)histogram_difference(first, second), InputError);  // a restart in between
}

TEST(LatencyExposition, CountersAreReadByLabels) {
  const std::string text =
      "# TYPE ptwin_feed_received_total counter\n"
      "ptwin_feed_received_total{feed=\"mqtt\"} 12\n"
      "ptwin_feed_received_total{feed=\"hl7v2\"} 3 1700000000000\n"
      "ptwin_other{feed=\"mqtt\"} not-read\n";
  const auto samples = read_prometheus_samples(text, "ptwin_feed_received_total");
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples.at("feed=\"mqtt\""), 12.0);
  EXPECT_EQ(samples.at("feed=\"hl7v2\""), 3.0);
}

struct BadText {
  std::string name;
  std::string text;
  std::string expected_in_message;
};

class MalformedExposition : public ::testing::TestWithParam<BadText> {};

TEST_P(MalformedExposition, IsRefusedNamingTheProblem) {
  const auto& bad = GetParam();
  try {
    (void)read_prometheus_histograms(bad.text, kMetric);
    FAIL() << "accepted: " << bad.text;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(bad.expected_in_message), std::string::npos) << e.what();
  }
}

std::string valid_with(std::string_view replace, std::string_view by) {
  LatencyHistogram h;
  h.record(3ms);
  auto text = exposition(h, "stage=\"a\"");
  const auto at = text.find(replace);
  return at == std::string::npos ? text : text.replace(at, replace.size(), by);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedExposition,
    ::testing::Values(
        BadText{"value", valid_with("_count{stage=\"a\"} 1", "_count{stage=\"a\"} one"), "must be a number"},
        BadText{"labels", valid_with("_sum{stage=\"a\"}", "_sum{stage=a}"), "name=\"value\""},
        BadText{"unclosed", valid_with("_sum{stage=\"a\"}", "_sum{stage=\"a\""), "end with '}'"},
        BadText{"bound", valid_with("le=\"0.001\"", "le=\"0.0011\""), "bucket bounds"},
        BadText{"fraction", valid_with("_count{stage=\"a\"} 1", "_count{stage=\"a\"} 1.5"), "whole number"},
        BadText{"count", valid_with("_count{stage=\"a\"} 1", "_count{stage=\"a\"} 2"), "differs"},
        BadText{"missing", valid_with("_count{stage=\"a\"} 1\n", ""), "no _count"},
        BadText{"decrease", valid_with("le=\"+Inf\"} 1", "le=\"+Inf\"} 0"), "must not decrease"},
        BadText{"no_le", valid_with("le=\"+Inf\"", "x=\"+Inf\""), "le label"}),
    [](const ::testing::TestParamInfo<BadText>& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace ptwin
