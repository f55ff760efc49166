// SPDX-License-Identifier: Apache-2.0
// Samples/s through the alert policy against the naive threshold rule (the baseline), on the
// measured MAP of the synthetic hypotension cohort of src/ptwin/twin/cohort (seed 20261124,
// one sample every 10 s, 8 h per patient; PTWIN_ALERT_BENCH_PATIENTS patients, default 20).
//   Alerts/naive           NaiveThresholdRule at 65 mmHg
//   Alerts/policy          AlertPolicy, one rule: below 65 mmHg, clear at 72, 5 min minimum
//   Alerts/policy_3_rules  three rules on the same signal (65/72 with escalation every 10 min,
//                          55/60 with a 2 min minimum, and 70/75 with no minimum)
// One iteration feeds every sample once to a fresh source (so that each run starts from the
// same state) and drains the notifications and the audit trail. Counter: samples/s (CPU
// time). After the table, main() prints each candidate's samples/s over the naive rule's.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "ptwin/clinical/alerts/alert_policy.hpp"
#include "ptwin/clinical/alerts/naive_threshold_rule.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/twin/cohort/hypotension_cohort.hpp"
#include "support/benchmark_main.hpp"
#include "support/rate_collector.hpp"

namespace {

namespace alerts = ptwin::clinical::alerts;
using namespace std::chrono_literals;

std::size_t patient_count() {
  const char* text = std::getenv("PTWIN_ALERT_BENCH_PATIENTS");
  if (text == nullptr) return 20;
  const long value = std::strtol(text, nullptr, 10);
  return value > 0 ? static_cast<std::size_t>(value) : 20;
}

// All samples, interleaved across patients by time as a monitoring feed delivers them.
const std::vector<alerts::SignalSample>& feed() {
  static const std::vector<alerts::SignalSample> samples = [] {
    ptwin::twin::cohort::CohortSettings settings;
    settings.patients = static_cast<int>(patient_count());
    settings.seed = 20261124;
    std::vector<alerts::SignalSample> all;
    for (const auto& patient : ptwin::twin::cohort::generate_hypotension_cohort(settings)) {
      for (const auto& sample : patient.samples) {
        all.push_back({sample.time, patient.id, "map", sample.mean_arterial_pressure_pa});
      }
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const auto& a, const auto& b) { return a.time < b.time; });
    return all;
  }();
  return samples;
}

alerts::AlertRule map_rule(std::string name, double raise_mmhg, double clear_mmhg,
                           std::chrono::nanoseconds minimum) {
  alerts::AlertRule rule;
  rule.name = std::move(name);
  rule.signal = "map";
  rule.direction = alerts::AlertDirection::Below;
  rule.raise_threshold = raise_mmhg * ptwin::units::kPaPerMmHg;
  rule.clear_threshold = clear_mmhg * ptwin::units::kPaPerMmHg;
  rule.minimum_duration = minimum;
  return rule;
}

std::vector<alerts::AlertRule> rules_for(std::string_view variant) {
  std::vector<alerts::AlertRule> rules{map_rule("hypotension", 65, 72, 5min)};
  if (variant == "policy_3_rules") {
    rules[0].escalate_after = 10min;
    rules.push_back(map_rule("severe_hypotension", 55, 60, 2min));
    rules.push_back(map_rule("low_normal", 70, 75, 0min));
  }
  return rules;
}

void run(benchmark::State& state, std::string_view variant) {
  const auto& samples = feed();
  std::vector<alerts::AlertNotification> out;
  std::size_t notifications = 0;
  for (auto _ : state) {
    std::unique_ptr<alerts::AlertSource> source;
    alerts::AlertPolicy* policy = nullptr;
    if (variant == "naive") {
      source = std::make_unique<alerts::NaiveThresholdRule>(
          "naive", "map", alerts::AlertDirection::Below, 65 * ptwin::units::kPaPerMmHg);
    } else {
      auto candidate = std::make_unique<alerts::AlertPolicy>(rules_for(variant));
      policy = candidate.get();
      source = std::move(candidate);
    }
    out.clear();
    for (const auto& sample : samples) source->observe(sample, out);
    if (policy != nullptr) benchmark::DoNotOptimize(policy->take_audit_trail());
    notifications = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["samples/s"] = benchmark::Counter(
      static_cast<double>(samples.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
  state.counters["notifications"] = static_cast<double>(notifications);
  state.counters["samples"] = static_cast<double>(samples.size());
}

const bool kRegistered = [] {
  for (const std::string_view variant : {"naive", "policy", "policy_3_rules"}) {
    benchmark::RegisterBenchmark(fmt::format("Alerts/{}", variant).c_str(),
                                 [variant](benchmark::State& state) { run(state, variant); })
        ->Unit(benchmark::kMillisecond);
  }
  return true;
}();

}  // namespace

int main(int argc, char** argv) {
  return ptwin::bench::run_benchmark_main(argc, argv, "alert_bench", [](std::FILE* out) {
    ptwin::bench::RateCollector collector(*benchmark::CreateDefaultDisplayReporter(), "samples/s");
    benchmark::RunSpecifiedBenchmarks(&collector);
    std::fflush(stdout);
    const double naive = collector.rate("Alerts/naive");
    fmt::print(out, "\nAlert sources on {} synthetic MAP samples, samples/s (CPU) and / naive "
                    "(same run)\n{:<24} {:>14} {:>10}\n",
               feed().size(), "benchmark", "samples/s", "/ naive");
    for (const std::string_view name : {"Alerts/naive", "Alerts/policy", "Alerts/policy_3_rules"}) {
      const double rate = collector.rate(std::string(name));
      if (std::isnan(rate)) continue;
      fmt::print(out, "{:<24} {:>14.0f} {:>10.2f}\n", name, rate, rate / naive);
    }
  });
}
