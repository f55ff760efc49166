// SPDX-License-Identifier: Apache-2.0
// MQTT biosensor samples/s from publish to stored, and the latency of each message from its
// publish to the return of the store write that holds it (the feeds issue's "MQTT samples/s
// from publish to stored, p99 latency"), against the same payloads parsed and stored in process.
// The broker is a real mosquitto: PTWIN_TEST_MQTT_URL (scripts/with_mosquitto.sh starts one on
// 127.0.0.1); without it the MQTT benchmarks are skipped and say so. In one run:
//   in_process/<kind>     baseline: parse_biosensor_payload + append_samples, 200 messages per
//                         store call, into SQLite (temp dir, synchronous NORMAL)
//   mqtt/<kind>/burst     200 messages published at QoS 1 as fast as libmosquitto sends them,
//                         then wait until all are stored (BiosensorSubscriber into the same kind
//                         of SQLite store); latency includes queueing behind the burst
//   mqtt/vital/single     one message at a time: the pipeline's latency with nothing queued
// Kinds: vital (one heart rate per message) and waveform (a chunk of 50 arterial pressures).
// Counters: samples_per_s (wall clock), p50_ms and p99_ms (per message, over the run).
// main() prints each MQTT benchmark's samples/s over the in-process baseline's of its kind.
#include <mosquitto.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include "ptwin/core/clock.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/ingest/mqtt/biosensor_subscriber.hpp"
#include "ptwin/ingest/mqtt/payload_parser.hpp"
#include "ptwin/store/forwarding_store.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "store/scratch_dir.hpp"
#include "support/benchmark_main.hpp"
#include "support/ratio_output.hpp"

namespace {

namespace mqtt = ptwin::ingest::mqtt;
using Clock = std::chrono::steady_clock;

constexpr int kBurst = 200;
constexpr int kWaveformValues = 50;
constexpr std::int64_t kStepMs = 100;  // reading i is stamped base + (i mod kSlots) * kStepMs
constexpr std::int64_t kSlots = 30'000;  // 50 min of stamps: inside the window, an hour ago on
constexpr auto kWaitLimit = std::chrono::seconds(30);

enum class Kind { Vital, Waveform };

// Readings start an hour ago, inside the subscriber's 24 h window, 100 ms apart: a message's
// slot (index mod kSlots) is read back from its samples' times.
std::int64_t base_ms() {
  static const std::int64_t base =
      ptwin::time::to_epoch_ns(ptwin::time::SystemClock{}.now()) / 1'000'000 - 3'600'000;
  return base;
}

std::string payload(Kind kind, std::int64_t index) {
  const std::int64_t t = base_ms() + (index % kSlots) * kStepMs;
  // The device changes when the slots wrap, so that no two payloads are byte-identical: the
  // inbox takes a byte-identical message on the same topic for a broker's repeat.
  const std::int64_t wrap = index / kSlots;
  if (kind == Kind::Vital) {
    return fmt::format(R"({{"device":"mon-{}","patient":"p1","quantity":"heart_rate",)"
                       R"("unit":"/min","value":{},"t":{}}})",
                       wrap, 60 + index % 40, t);
  }
  std::string values;
  for (int i = 0; i < kWaveformValues; ++i) {
    values += fmt::format("{}{}", i == 0 ? "" : ",", 80 + (index + i) % 40);
  }
  return fmt::format(R"({{"device":"art-{}","patient":"p1","quantity":"mean_pressure",)"
                     R"("unit":"mm[Hg]","values":[{}],"interval_ms":1,"t":{}}})",
                     wrap, values, t);
}

int samples_per_message(Kind kind) { return kind == Kind::Vital ? 1 : kWaveformValues; }

ptwin::store::SqliteOptions normal_sync() {
  ptwin::store::SqliteOptions options;
  options.synchronous = ptwin::store::SqliteSynchronous::Normal;
  return options;
}

// Notes when the write holding each message's samples returns.
class TimingStore final : public ptwin::store::ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  void append_samples(std::span<const ptwin::Sample> samples) override {
    ForwardingStore::append_samples(samples);
    const auto now = Clock::now();
    const std::lock_guard lock(mutex_);
    for (const auto& sample : samples) {
      const auto ms = ptwin::time::to_epoch_ns(sample.time) / 1'000'000 - base_ms();
      const auto index = ms / kStepMs;
      if (stored_.emplace(index, now).second) changed_.notify_all();
    }
  }
  // Waits until message `index` is stored; returns when, and forgets it (stamps repeat every
  // kSlots messages, far more than are ever in flight).
  Clock::time_point wait_for(std::int64_t index) {
    const auto slot = index % kSlots;
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, kWaitLimit, [&] { return stored_.contains(slot); })) {
      throw std::runtime_error(fmt::format("message {} not stored within 30 s", index));
    }
    const auto when = stored_.at(slot);
    stored_.erase(slot);
    return when;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::int64_t, Clock::time_point> stored_;
};

// A libmosquitto publisher at QoS 1 on its own network thread.
class Publisher {
 public:
  Publisher(const mqtt::BrokerAddress& broker, const std::string& id) {
    mosquitto_lib_init();
    handle_ = mosquitto_new(id.c_str(), true, nullptr);
    if (handle_ == nullptr) throw std::runtime_error("mosquitto_new failed");
    if (mosquitto_connect(handle_, broker.host.c_str(), broker.port, 60) != MOSQ_ERR_SUCCESS ||
        mosquitto_loop_start(handle_) != MOSQ_ERR_SUCCESS) {
      mosquitto_destroy(handle_);
      throw std::runtime_error(fmt::format("cannot connect to {}:{}", broker.host, broker.port));
    }
  }
  ~Publisher() {
    mosquitto_disconnect(handle_);
    mosquitto_loop_stop(handle_, false);
    mosquitto_destroy(handle_);
  }
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;
  void publish(const std::string& topic, const std::string& bytes) {
    if (mosquitto_publish(handle_, nullptr, topic.c_str(), static_cast<int>(bytes.size()),
                          bytes.data(), 1, false) != MOSQ_ERR_SUCCESS) {
      throw std::runtime_error("mosquitto_publish failed");
    }
  }

 private:
  mosquitto* handle_ = nullptr;
};

struct Latencies {
  std::vector<double> ms;
  [[nodiscard]] double quantile(double q) {
    if (ms.empty()) return 0.0;
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ms.size())))];
  }
};

void BM_InProcess(benchmark::State& state, Kind kind) {
  const ptwin::bench::ScratchDir dir("ptwin-mqtt-bench");
  ptwin::store::SqliteStore store(dir.path() / "bench.db", normal_sync());
  const mqtt::PayloadRules rules;
  const ptwin::time::SystemClock clock;
  std::int64_t index = 0;
  std::int64_t samples = 0;
  const auto start = Clock::now();
  for (auto _ : state) {
    std::vector<ptwin::Sample> batch;
    for (int i = 0; i < kBurst; ++i, ++index) {
      auto parsed =
          mqtt::parse_biosensor_payload(payload(kind, index), "mqtt:bench", rules, clock.now());
      batch.insert(batch.end(), parsed.begin(), parsed.end());
    }
    store.append_samples(batch);
    samples += static_cast<std::int64_t>(batch.size());
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  state.counters["samples_per_s"] = static_cast<double>(samples) / seconds;
}

void BM_Mqtt(benchmark::State& state, Kind kind, int per_iteration, bool has_inbox) {
  const char* url = std::getenv("PTWIN_TEST_MQTT_URL");
  if (url == nullptr) {
    state.SkipWithError("PTWIN_TEST_MQTT_URL is not set: run under scripts/with_mosquitto.sh "
                        "(scripts/test.sh does), or point it at a broker");
    for (auto _ : state) {
    }
    return;
  }
  const auto broker = mqtt::parse_broker_url(url, "PTWIN_TEST_MQTT_URL");
  const ptwin::bench::ScratchDir dir("ptwin-mqtt-bench");
  ptwin::store::SqliteStore sqlite(dir.path() / "bench.db", normal_sync());
  TimingStore store(sqlite);
  const ptwin::time::SystemClock clock;
  static int run = 0;  // a fresh topic prefix and client id per benchmark run
  ++run;
  const std::string prefix = fmt::format("ptwin-bench/{}-{}", ::getpid(), run);
  mqtt::SubscriberSettings settings;
  settings.host = broker.host;
  settings.port = broker.port;
  settings.client_id = fmt::format("bench-sub-{}-{}", ::getpid(), run);
  settings.is_clean_session = true;
  settings.subscriptions = {{prefix + "/#", 1}};
  if (has_inbox) {  // docs/mqtt.md#durability: the default synchronous NORMAL
    settings.inbox = mqtt::InboxSettings{.path = dir.path() / "inbox.db", .options = {}};
  }
  mqtt::BiosensorSubscriber subscriber(settings, store, clock);
  subscriber.start();
  const auto deadline = Clock::now() + kWaitLimit;
  while (!subscriber.metrics().is_subscribed) {
    if (Clock::now() > deadline) throw std::runtime_error("subscriber not subscribed in 30 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  Publisher publisher(broker, settings.client_id + "-pub");
  const std::string topic = prefix + (kind == Kind::Vital ? "/mon-1/vitals" : "/art-1/pressure");
  Latencies latencies;
  std::int64_t index = 0;
  std::int64_t samples = 0;
  const auto start = Clock::now();
  for (auto _ : state) {
    std::vector<Clock::time_point> published;
    const std::int64_t first = index;
    for (int i = 0; i < per_iteration; ++i, ++index) {
      const auto bytes = payload(kind, index);
      published.push_back(Clock::now());
      publisher.publish(topic, bytes);
    }
    for (std::int64_t i = first; i < index; ++i) {
      const auto stored = store.wait_for(i);
      latencies.ms.push_back(
          std::chrono::duration<double, std::milli>(stored - published[static_cast<std::size_t>(i - first)])
              .count());
    }
    samples += per_iteration * samples_per_message(kind);
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  subscriber.stop();
  state.counters["samples_per_s"] = static_cast<double>(samples) / seconds;
  state.counters["p50_ms"] = latencies.quantile(0.50);
  state.counters["p99_ms"] = latencies.quantile(0.99);
  state.counters["messages"] = static_cast<double>(latencies.ms.size());
}

BENCHMARK_CAPTURE(BM_InProcess, vital, Kind::Vital)->Name("in_process/vital")->UseRealTime();
BENCHMARK_CAPTURE(BM_InProcess, waveform, Kind::Waveform)->Name("in_process/waveform")->UseRealTime();
BENCHMARK_CAPTURE(BM_Mqtt, vital_burst, Kind::Vital, kBurst, false)
    ->Name("mqtt/vital/burst")
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Mqtt, waveform_burst, Kind::Waveform, kBurst, false)
    ->Name("mqtt/waveform/burst")
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Mqtt, vital_single, Kind::Vital, 1, false)
    ->Name("mqtt/vital/single")
    ->UseRealTime();
// The same with the durable inbox: each QoS 1 message committed to SQLite before its PUBACK.
BENCHMARK_CAPTURE(BM_Mqtt, vital_burst_inbox, Kind::Vital, kBurst, true)
    ->Name("mqtt/vital/burst/inbox")
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Mqtt, waveform_burst_inbox, Kind::Waveform, kBurst, true)
    ->Name("mqtt/waveform/burst/inbox")
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Mqtt, vital_single_inbox, Kind::Vital, 1, true)
    ->Name("mqtt/vital/single/inbox")
    ->UseRealTime();

// Keeps samples_per_s of each benchmark for the ratio table.
class Collector final : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& run : runs) {
      if (run.error_occurred) continue;
      const auto found = run.counters.find("samples_per_s");
      if (found == run.counters.end()) continue;
      auto name = run.benchmark_name();
      constexpr std::string_view kSuffix = "/real_time";
      if (name.ends_with(kSuffix)) name.resize(name.size() - kSuffix.size());
      rates_[name] = found->second.value;
    }
  }
  [[nodiscard]] const std::map<std::string, double>& rates() const { return rates_; }

 private:
  std::map<std::string, double> rates_;
};

void print_ratios(std::FILE* out, const Collector& collector) {
  fmt::print(out, "\nSamples/s from publish to stored, over the in-process baseline of its kind:\n");
  for (const auto& [name, rate] : collector.rates()) {
    if (!name.starts_with("mqtt/")) continue;
    const auto kind = name.substr(5, name.find('/', 5) - 5);
    const auto baseline = collector.rates().find("in_process/" + kind);
    if (baseline == collector.rates().end()) continue;
    fmt::print(out, "  {:<26} {:>10.0f} samples/s  {:.3f} of in_process/{} ({:.0f})\n", name,
               rate, rate / baseline->second, kind, baseline->second);
  }
  fmt::print(out, "\nThe durable inbox's cost: samples/s with it over the same run without it:\n");
  constexpr std::string_view kInbox = "/inbox";
  for (const auto& [name, rate] : collector.rates()) {
    if (!name.ends_with(kInbox)) continue;
    const auto without = name.substr(0, name.size() - kInbox.size());
    const auto baseline = collector.rates().find(without);
    if (baseline == collector.rates().end()) continue;
    fmt::print(out, "  {:<26} {:.3f} of {}\n", name, rate / baseline->second, without);
  }
}

}  // namespace

int main(int argc, char** argv) {
  return ptwin::bench::run_benchmark_main(argc, argv, "mqtt_bench", [](std::FILE* out) {
    Collector collector;
    benchmark::RunSpecifiedBenchmarks(&collector);
    std::fflush(stdout);
    print_ratios(out, collector);
  });
}
