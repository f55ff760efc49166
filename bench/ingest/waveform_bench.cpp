// SPDX-License-Identifier: Apache-2.0
// ABP samples/s through the beat extractor (ingest/waveform: slope sum onsets, features,
// flush/zeroing windows, artefact rules) against a plain pass over the same buffer that only
// keeps the running minimum and maximum, in one run (docs/benchmarks.md#waveform_bench). The
// signal is generated: PTWIN_WAVEFORM_BENCH_SECONDS seconds (default 600) at 250 Hz of beats at
// 75 /min, 120/80 mmHg, with Gaussian noise of 0.5 mmHg (fixed seed). In one run:
//   Waveform/min_max      baseline: one pass keeping min and max (what any monitor must do)
//   Waveform/beats        ArterialBeatExtractor::push of the whole buffer, then finish()
//   Waveform/beats_chunks the same in chunks of 64 samples (a monitor's packet)
// Counter: samples/s (CPU time of the benchmark thread). After the table, main() prints
// candidate / baseline.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numbers>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "ptwin/ingest/waveform/arterial_beat_extractor.hpp"
#include "support/benchmark_main.hpp"
#include "support/rate_collector.hpp"

namespace {

namespace waveform = ptwin::ingest::waveform;
namespace units = ptwin::units;

constexpr double kRateHz = 250.0;

double signal_seconds() {
  const char* text = std::getenv("PTWIN_WAVEFORM_BENCH_SECONDS");
  if (text == nullptr) return 600.0;
  const double seconds = std::strtod(text, nullptr);
  if (!(seconds >= 20.0)) throw std::runtime_error("PTWIN_WAVEFORM_BENCH_SECONDS must be >= 20");
  return seconds;
}

// Beats with an upstroke of 0.1 s and an exponential runoff, as in the unit tests.
std::vector<units::Pressure> generate_signal() {
  const auto count = static_cast<std::size_t>(signal_seconds() * kRateHz);
  constexpr double kPeriodS = 0.8;
  std::mt19937 random(20261124);
  std::normal_distribution<double> noise(0.0, 0.5);
  std::vector<units::Pressure> signal(count);
  const double end = std::exp(-(kPeriodS - 0.1) / 0.35);
  for (std::size_t i = 0; i < count; ++i) {
    const double tau = std::fmod(static_cast<double>(i) / kRateHz, kPeriodS);
    const double shape = tau < 0.1 ? std::sin(std::numbers::pi * tau / 0.2)
                                   : (std::exp(-(tau - 0.1) / 0.35) - end) / (1 - end);
    signal[i] = (80.0 + 40.0 * shape + noise(random)) * units::mmHg;
  }
  return signal;
}

const std::vector<units::Pressure>& signal() {
  static const std::vector<units::Pressure> instance = generate_signal();
  return instance;
}

waveform::SignalDescription description() {
  return {.source = "bench:ABP", .start = {}, .sample_rate_hz = kRateHz};
}

void set_rate(benchmark::State& state) {
  const auto samples = static_cast<double>(state.iterations()) * static_cast<double>(signal().size());
  state.counters["samples/s"] = benchmark::Counter(samples, benchmark::Counter::kIsRate);
}

void min_max(benchmark::State& state) {
  const auto& pressures = signal();
  for (auto _ : state) {
    double minimum_pa = pressures.front().si();
    double maximum_pa = minimum_pa;
    for (const auto pressure : pressures) {
      minimum_pa = std::min(minimum_pa, pressure.si());
      maximum_pa = std::max(maximum_pa, pressure.si());
    }
    benchmark::DoNotOptimize(minimum_pa);
    benchmark::DoNotOptimize(maximum_pa);
  }
  set_rate(state);
}

void beats(benchmark::State& state, std::size_t chunk) {
  const auto& pressures = signal();
  const auto expected = static_cast<std::int64_t>(signal_seconds() / 0.8) - 2;
  for (auto _ : state) {
    waveform::ArterialBeatExtractor extractor(description());
    std::size_t found = 0;
    for (std::size_t at = 0; at < pressures.size(); at += chunk) {
      found += extractor.push(std::span(pressures).subspan(at, std::min(chunk, pressures.size() - at))).size();
    }
    found += extractor.finish().size();
    benchmark::DoNotOptimize(found);
    if (static_cast<std::int64_t>(found) < expected) state.SkipWithError("beats missed");
  }
  set_rate(state);
}

void print_ratios(std::FILE* out, const ptwin::bench::RateCollector& collector) {
  const double baseline = collector.rate("Waveform/min_max");
  fmt::print(out, "\nABP beat extraction vs a min/max pass, {} samples at {} Hz (same run)\n"
                  "{:<22} {:>16} {:>18}\n",
             signal().size(), kRateHz, "benchmark", "samples/s", "min_max / it");
  for (const std::string name : {"Waveform/min_max", "Waveform/beats", "Waveform/beats_chunks"}) {
    const double rate = collector.rate(name);
    if (std::isnan(rate)) continue;
    fmt::print(out, "{:<22} {:>16.0f} {:>18.1f}\n", name, rate, baseline / rate);
  }
}

}  // namespace

int main(int argc, char** argv) {
  return ptwin::bench::run_benchmark_main(argc, argv, "waveform_bench", [](std::FILE* out) {
    benchmark::AddCustomContext("waveform_samples", std::to_string(signal().size()));
    benchmark::RegisterBenchmark("Waveform/min_max", min_max)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("Waveform/beats", [](benchmark::State& state) {
      beats(state, signal().size());
    })->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("Waveform/beats_chunks", [](benchmark::State& state) {
      beats(state, 64);
    })->Unit(benchmark::kMillisecond);
    ptwin::bench::RateCollector collector(*benchmark::CreateDefaultDisplayReporter(), "samples/s");
    benchmark::RunSpecifiedBenchmarks(&collector);
    std::fflush(stdout);
    print_ratios(out, collector);
  });
}
