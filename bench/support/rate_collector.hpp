// SPDX-License-Identifier: Apache-2.0
#pragma once
// A reporter that forwards to Google Benchmark's display and keeps one rate counter (e.g.
// "samples/s") per benchmark, so that a binary can print its ratio table against the baseline
// measured in the same run. The rate of a benchmark is its "median" aggregate when repetitions
// were asked for, else the median of its runs.

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

namespace ptwin::bench {

class RateCollector final : public benchmark::BenchmarkReporter {
 public:
  RateCollector(benchmark::BenchmarkReporter& display, std::string counter)
      : display_(display), counter_(std::move(counter)) {}

  bool ReportContext(const Context& context) override { return display_.ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override {
    display_.ReportRuns(runs);
    for (const Run& run : runs) {
      const auto counter = run.counters.find(counter_);
      if (run.error_occurred || counter == run.counters.end()) continue;
      // Under the function's name, and under the full name (with arguments, "/real_time")
      // for benchmarks registered with several arguments.
      for (const std::string& name : {run.run_name.function_name, run.benchmark_name()}) {
        if (run.run_type == Run::RT_Iteration) runs_[name].push_back(counter->second.value);
        if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median") {
          medians_[name] = counter->second.value;
        }
      }
    }
  }
  void Finalize() override { display_.Finalize(); }

  /// The benchmark's rate, NaN when it did not run (filtered out, or failed).
  [[nodiscard]] double rate(const std::string& name) const {
    if (const auto median = medians_.find(name); median != medians_.end()) return median->second;
    const auto found = runs_.find(name);
    if (found == runs_.end()) return std::nan("");
    std::vector<double> rates = found->second;
    std::sort(rates.begin(), rates.end());
    const std::size_t middle = rates.size() / 2;
    return rates.size() % 2 == 1 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2;
  }

 private:
  benchmark::BenchmarkReporter& display_;
  std::string counter_;
  std::map<std::string, std::vector<double>> runs_;
  std::map<std::string, double> medians_;
};

}  // namespace ptwin::bench
