// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: reading latency histograms and counters from Prometheus text
// (src/ptwin/core/latency_exposition.hpp), which `ptwin load-test` does with what a serve
// answers. ptwin::Error is the expected way to refuse text. Findings besides crashes,
// sanitizer reports and other exceptions: a histogram read back whose bucket counts do not
// add up to its count, or that does not survive being written and read again unchanged.
// Seeds: any /metrics answer of `ptwin serve`.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/core/latency_exposition.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kMetric = "ptwin_stage_latency_seconds";
  try {
    (void)ptwin::read_prometheus_samples(text, "ptwin_feed_received_total");
    for (const auto& [labels, snapshot] : ptwin::read_prometheus_histograms(text, kMetric)) {
      std::uint64_t total = 0;
      for (const auto c : snapshot.bucket_counts) total += c;
      if (total != snapshot.count) std::abort();
      std::string again;
      ptwin::append_prometheus_histogram(again, kMetric, labels, snapshot);
      const auto back = ptwin::read_prometheus_histograms(again, kMetric);
      if (back.size() != 1 || back.begin()->second.bucket_counts != snapshot.bucket_counts) {
        std::abort();
      }
      if (snapshot.count > 0) (void)snapshot.quantile_s(0.99);
    }
  } catch (const ptwin::Error&) {
  }
  return 0;
}
