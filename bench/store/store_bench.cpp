// SPDX-License-Identifier: Apache-2.0
// Sample ingest into SqliteStore: the candidate appends a batch of N samples in one
// transaction (append_samples with N samples); the baseline appends the same N samples with
// one transaction each (N calls with one sample), which is what a naive per-message writer
// does. Both run on the same inputs in the same binary; report batched / per-sample
// samples/s for each synchronous level. The database lives in $PTWIN_BENCH_DIR (default: the
// system temp dir): put it on the disk you deploy on, since with synchronous=FULL the
// baseline measures that disk's fsync latency.
#include <sqlite3.h>

#include <cstdint>
#include <span>
#include <vector>

#include <benchmark/benchmark.h>

#include "ptwin/store/sqlite_store.hpp"
#include "scratch_dir.hpp"

namespace {

using ptwin::Sample;
using ptwin::bench::bench_root;
using ptwin::bench::ScratchDir;
using ptwin::store::SqliteStore;
using ptwin::store::SqliteSynchronous;

const bool kContextRecorded = [] {
  benchmark::AddCustomContext("ptwin_build_type", PTWIN_BUILD_TYPE);
  benchmark::AddCustomContext("sqlite_version", sqlite3_libversion());
  benchmark::AddCustomContext("store_dir", bench_root().string());
  return true;
}();

/// Samples of a 4-channel ICU monitor at 1 Hz, fixed values (no randomness needed).
std::vector<Sample> make_samples(std::int64_t count, std::int64_t first_index) {
  static const char* const kCodes[] = {"8867-4", "8480-6", "8462-4", "59408-5"};
  std::vector<Sample> samples;
  samples.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = first_index; i < first_index + count; ++i) {
    samples.push_back(Sample{.patient_id = "pt-bench",
                             .code = kCodes[i % 4],
                             .value_si = 1.0 + static_cast<double>(i % 97) * 0.01,
                             .unit_of_origin = "mm[Hg]",
                             .time = ptwin::time::from_epoch_ns(i * 250'000'000),
                             .source_id = "mqtt:icu/bed4/monitor",
                             .quality = ptwin::SampleQuality::Good});
  }
  return samples;
}

SqliteSynchronous synchronous_of(const benchmark::State& state) {
  return state.range(1) == 0 ? SqliteSynchronous::Full : SqliteSynchronous::Normal;
}

void set_counters(benchmark::State& state, std::int64_t samples_per_iteration) {
  const auto total =
      static_cast<double>(state.iterations()) * static_cast<double>(samples_per_iteration);
  state.counters["samples/s"] = benchmark::Counter(total, benchmark::Counter::kIsRate);
  state.SetLabel(synchronous_of(state) == SqliteSynchronous::Full ? "synchronous=FULL"
                                                                  : "synchronous=NORMAL");
}

// Candidate: one append_samples call (one transaction) per batch of N samples.
void BM_AppendSamplesBatched(benchmark::State& state) {
  const std::int64_t batch_size = state.range(0);
  const ScratchDir dir;
  SqliteStore store(dir.file("bench.sqlite"), {.synchronous = synchronous_of(state)});
  const std::vector<Sample> batch = make_samples(batch_size, 0);
  for (auto _ : state) {
    store.append_samples(batch);
  }
  benchmark::DoNotOptimize(store.count_samples());
  set_counters(state, batch_size);
}

// Baseline: the same N samples, one append_samples call (one transaction) per sample.
void BM_AppendSamplesOneTransactionEach(benchmark::State& state) {
  const std::int64_t batch_size = state.range(0);
  const ScratchDir dir;
  SqliteStore store(dir.file("bench.sqlite"), {.synchronous = synchronous_of(state)});
  const std::vector<Sample> batch = make_samples(batch_size, 0);
  for (auto _ : state) {
    for (const Sample& sample : batch) store.append_samples(std::span(&sample, 1));
  }
  benchmark::DoNotOptimize(store.count_samples());
  set_counters(state, batch_size);
}

// range(0): samples per iteration; range(1): 0 = synchronous FULL, 1 = NORMAL.
void batch_arguments(benchmark::internal::Benchmark* bench) {
  bench->ArgNames({"samples", "normal"});
  for (const std::int64_t synchronous : {0, 1}) {
    for (const std::int64_t samples : {100, 1000}) bench->Args({samples, synchronous});
  }
  bench->Unit(benchmark::kMillisecond);
  bench->UseRealTime();  // the cost is waiting for fsync, which CPU time does not see
}

BENCHMARK(BM_AppendSamplesOneTransactionEach)->Apply(batch_arguments);
BENCHMARK(BM_AppendSamplesBatched)->Apply(batch_arguments);

}  // namespace
