// SPDX-License-Identifier: Apache-2.0
// main() of store_bench: runs the benchmarks with Google Benchmark's usual display, then prints
// the ratio table of the FhirThroughput benchmarks (fhir_throughput_bench.cpp): per backend,
// the store's resources/s divided by the plain insert's, both from this run, on wall-clock and
// on CPU time. With --benchmark_repetitions the median of the repetitions is used.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "ptwin/core/logging.hpp"
#include "support/ratio_output.hpp"

namespace {

constexpr std::string_view kPrefix = "FhirThroughput/";

// Forwards everything to the display reporter chosen by --benchmark_format and keeps, for each
// FhirThroughput run keyed "backend/method", its resources/s on wall-clock time (the counter)
// and on the process's CPU time (the counter scaled by real time / CPU time). The CPU figure
// leaves out waiting for fsync, for the PostgreSQL server and for a core on a loaded machine.
class ThroughputCollector final : public benchmark::BenchmarkReporter {
 public:
  struct Rates {
    double wall = NAN;
    double cpu = NAN;
  };

  explicit ThroughputCollector(benchmark::BenchmarkReporter& display) : display_(display) {}

  bool ReportContext(const Context& context) override { return display_.ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override {
    display_.ReportRuns(runs);
    for (const Run& run : runs) {
      const std::string& name = run.run_name.function_name;
      if (run.error_occurred || name.compare(0, kPrefix.size(), kPrefix) != 0) continue;
      const auto counter = run.counters.find("resources/s");
      if (counter == run.counters.end()) continue;
      const double wall = counter->second.value;
      const Rates rates{wall, wall * run.GetAdjustedRealTime() / run.GetAdjustedCPUTime()};
      const std::string key = name.substr(kPrefix.size());
      if (run.run_type == Run::RT_Iteration) repetitions_[key].push_back(rates);
      // With --benchmark_report_aggregates_only only the aggregates arrive.
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median") {
        medians_[key] = rates;
      }
    }
  }
  void Finalize() override { display_.Finalize(); }

  /// Median rates of "backend/method" over the repetitions; NaN when it did not run.
  [[nodiscard]] Rates rates(const std::string& key) const {
    if (const auto median = medians_.find(key); median != medians_.end()) return median->second;
    const auto found = repetitions_.find(key);
    if (found == repetitions_.end()) return {};
    return {median_of(found->second, &Rates::wall), median_of(found->second, &Rates::cpu)};
  }

 private:
  static double median_of(const std::vector<Rates>& all, double Rates::*member) {
    std::vector<double> values;
    for (const Rates& rates : all) values.push_back(rates.*member);
    std::sort(values.begin(), values.end());
    const std::size_t middle = values.size() / 2;
    return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }

  benchmark::BenchmarkReporter& display_;
  std::map<std::string, std::vector<Rates>> repetitions_;
  std::map<std::string, Rates> medians_;  // Google Benchmark's median aggregate
};

void print_ratios(std::FILE* out, const ThroughputCollector& collector) {
  constexpr std::string_view kMethods[] = {"plain_insert", "plain_insert_indexed",
                                           "store_transaction", "store_create_each"};
  const auto pair = [](double wall, double cpu, int digits) {
    return fmt::format("{:.{}f} | {:.{}f}", wall, digits, cpu, digits);
  };
  bool has_header = false;
  for (const std::string_view backend : {"sqlite_full", "sqlite_normal", "postgres"}) {
    ThroughputCollector::Rates rate[4];
    for (std::size_t m = 0; m < 4; ++m) {
      rate[m] = collector.rates(fmt::format("{}/{}", backend, kMethods[m]));
    }
    if (std::isnan(rate[0].wall)) continue;  // filtered out or skipped
    if (!has_header) {
      fmt::print(out,
                 "\nFHIR store writes, resources/s (wall | process CPU), and store / plain_insert "
                 "(same run; < 1: the store is slower; postgres CPU is the client's only)\n"
                 "{:<14} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>17}\n",
                 "backend", "plain", "plain_indexed", "store_tx", "store_each", "tx/plain",
                 "tx/plain_idx", "each/plain");
      has_header = true;
    }
    const auto ratio = [&](std::size_t candidate, std::size_t baseline, int digits) {
      return pair(rate[candidate].wall / rate[baseline].wall,
                  rate[candidate].cpu / rate[baseline].cpu, digits);
    };
    fmt::print(out, "{:<14} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>17}\n", backend,
               pair(rate[0].wall, rate[0].cpu, 0), pair(rate[1].wall, rate[1].cpu, 0),
               pair(rate[2].wall, rate[2].cpu, 0), pair(rate[3].wall, rate[3].cpu, 0),
               ratio(2, 0, 3), ratio(2, 1, 3), ratio(3, 0, 4));
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bool is_console = ptwin::bench::is_console_format(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  ptwin::logging::set_level("warn");  // lifecycle lines (a store opened) would break the table
  try {
    ThroughputCollector collector(*benchmark::CreateDefaultDisplayReporter());
    benchmark::RunSpecifiedBenchmarks(&collector);
    std::fflush(stdout);
    print_ratios(is_console ? stdout : stderr, collector);
  } catch (const std::exception& error) {
    fmt::print(stderr, "store_bench: {}\n", error.what());
    benchmark::Shutdown();
    return 1;
  }
  benchmark::Shutdown();
  return 0;
}
