// SPDX-License-Identifier: Apache-2.0
// HL7 v2 messages/s through MLLP against reading the same messages in process (the HL7 v2
// issue's "HL7 v2 messages/s through MLLP"), on an ORU^R01 of six vital-sign OBX (LOINC and
// MDC codes, UCUM and MDC units), control ids cycling over a pool of 256 messages. In one run:
//   in_process/map            baseline: accept_message + map_message of the text
//   in_process/ingest_sqlite  Hl7v2Ingestor::ingest of the frame into a SqliteStore (temp dir,
//                             synchronous NORMAL), no socket
//   mllp/map/connections:N    the message sent over TCP on 127.0.0.1 to an MllpListener whose
//                             handler does what in_process/map does; the client sends the next
//                             message on a connection only after that connection's ACK (AA)
//   mllp/ingest_sqlite/connections:N  the same, the handler being Hl7v2Ingestor::handler()
//                             storing into SQLite as in_process/ingest_sqlite
// With N = 4 one thread keeps one message in flight on each of 4 connections (it writes one
// message to each, then reads the 4 ACKs). Counter: messages/s on wall-clock time (the
// listener's threads do the work, so the client's CPU time says little). After the benchmark
// table, main() prints each candidate's messages/s over the in-process baselines'.
// Every ACK is read and checked (MSA-1 AA); a socket wait longer than 10 s fails the benchmark
// rather than hanging, and the listener is stopped when each benchmark call returns.
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "ptwin/core/clock.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/ingest/hl7v2/ack.hpp"
#include "ptwin/ingest/hl7v2/inbound_frame.hpp"
#include "ptwin/ingest/hl7v2/ingestor.hpp"
#include "ptwin/ingest/hl7v2/mllp_framer.hpp"
#include "ptwin/ingest/hl7v2/mllp_listener.hpp"
#include "ptwin/ingest/hl7v2/reader.hpp"
#include "ptwin/ingest/hl7v2/settings.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "support/benchmark_main.hpp"
#include "support/ratio_output.hpp"

namespace {

namespace hl7v2 = ptwin::ingest::hl7v2;

constexpr std::size_t kObservations = 6;
constexpr std::size_t kPoolSize = 256;
constexpr int kSocketTimeoutMs = 10'000;

// An ORU^R01 as a bedside monitor gateway sends it: MSH, PID, PV1, OBR and six vital-sign
// OBX, each with its own observation time.
std::string oru_message(std::size_t number) {
  std::string text;
  const auto segment = [&text](std::string_view value) {
    text.append(value);
    text.push_back('\r');
  };
  segment(fmt::format("MSH|^~\\&|MONITOR|ICU|PTWIN|HOSP|20240501120000+0000||ORU^R01^ORU_R01|"
                      "MSG{:08}|P|2.5.1",
                      number));
  segment("PID|1||123456^^^HOSP^MR||Doe^Jane||19700101|F");
  segment("PV1|1|I|ICU^12^1");
  segment("OBR|1|||85354-9^Vital signs panel^LN|||20240501115500+0000");
  segment("OBX|1|NM|8867-4^Heart rate^LN||72|/min^^UCUM|||||F|||20240501115900+0000");
  segment("OBX|2|NM|8480-6^Systolic blood pressure^LN||120|mm[Hg]^^UCUM|||||F|||"
          "20240501115900+0000");
  segment("OBX|3|NM|8462-4^Diastolic blood pressure^LN||80|mm[Hg]^^UCUM|||||F|||"
          "20240501115900+0000");
  segment("OBX|4|NM|8478-0^Mean blood pressure^LN||93.3|mm[Hg]^^UCUM|||||F|||"
          "20240501115900+0000");
  segment("OBX|5|NM|147842^MDC_ECG_HEART_RATE^MDC||73|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||F|||"
          "20240501115930+0000");
  segment("OBX|6|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC||118|266016^MDC_DIM_MMHG^MDC|||||F|||"
          "20240501115930+0000");
  return text;
}

const std::vector<std::string>& message_pool() {
  static const std::vector<std::string> pool = [] {
    std::vector<std::string> messages;
    messages.reserve(kPoolSize);
    for (std::size_t i = 0; i < kPoolSize; ++i) messages.push_back(oru_message(i + 1));
    return messages;
  }();
  return pool;
}

const std::vector<std::string>& framed_pool() {
  static const std::vector<std::string> pool = [] {
    std::vector<std::string> frames;
    frames.reserve(kPoolSize);
    for (const std::string& message : message_pool()) frames.push_back(hl7v2::mllp_frame(message));
    return frames;
  }();
  return pool;
}

// The baseline's work: read and map; AA only when all six OBX became samples.
hl7v2::Disposition read_and_map(std::string_view bytes, std::string_view source,
                                const hl7v2::Hl7v2Settings& settings) {
  const hl7v2::AcceptedMessage accepted = hl7v2::accept_message(bytes, source, settings);
  const hl7v2::MappedMessage mapped = hl7v2::map_message(accepted, settings);
  hl7v2::Disposition disposition;
  if (!mapped.observations || mapped.observations->samples.size() != kObservations) {
    disposition.status = hl7v2::AckStatus::ApplicationError;
  }
  return disposition;
}

// No fsync at commit: the sender can resend, as for a bulk load (docs/store.md).
ptwin::store::SqliteOptions normal_sync() {
  ptwin::store::SqliteOptions options;
  options.synchronous = ptwin::store::SqliteSynchronous::Normal;
  return options;
}

class TempDir {
 public:
  TempDir() {
    std::string name;
    name.append((std::filesystem::temp_directory_path() / "ptwin-hl7v2-bench-XXXXXX").string());
    if (mkdtemp(name.data()) == nullptr) {
      throw std::system_error(errno, std::generic_category(), "mkdtemp");
    }
    path_ = name;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&&) = delete;
  TempDir& operator=(TempDir&&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A blocking MLLP sender on plain sockets, every wait bounded by kSocketTimeoutMs.
class MllpClient {
 public:
  explicit MllpClient(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      const int error = errno;
      ::close(fd_);
      throw std::system_error(error, std::generic_category(), "connect to 127.0.0.1");
    }
    const int on = 1;
    (void)::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  }
  ~MllpClient() { ::close(fd_); }
  MllpClient(const MllpClient&) = delete;
  MllpClient& operator=(const MllpClient&) = delete;
  MllpClient(MllpClient&&) = delete;
  MllpClient& operator=(MllpClient&&) = delete;

  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      wait_for(POLLOUT);
      const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent < 0) {
        if (errno == EINTR) continue;
        throw std::system_error(errno, std::generic_category(), "send");
      }
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
  }

  /// Reads the next ACK frame; throws unless it is an AA.
  void expect_accepted() {
    while (next_ == frames_.size()) {
      frames_.clear();
      next_ = 0;
      wait_for(POLLIN);
      const ssize_t size = ::recv(fd_, buffer_.data(), buffer_.size(), 0);
      if (size < 0 && errno == EINTR) continue;
      if (size <= 0) throw std::runtime_error("the listener closed the connection before an ACK");
      framer_.feed(std::string_view(buffer_.data(), static_cast<std::size_t>(size)), frames_);
    }
    const hl7v2::Frame& ack = frames_[next_++];
    if (ack.kind != hl7v2::FrameKind::Message ||
        ack.bytes.find("\rMSA|AA|") == std::string::npos) {
      throw std::runtime_error(fmt::format("expected an AA, got: {}", ack.bytes));
    }
  }

 private:
  void wait_for(short events) const {
    pollfd entry{fd_, events, 0};
    for (;;) {
      const int ready = ::poll(&entry, 1, kSocketTimeoutMs);
      if (ready > 0) return;
      if (ready == 0) throw std::runtime_error("no answer from the listener within 10 s");
      if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "poll");
    }
  }

  int fd_;
  hl7v2::MllpFramer framer_{1U << 20U};
  std::vector<hl7v2::Frame> frames_;
  std::size_t next_ = 0;
  std::array<char, 16384> buffer_{};
};

void set_counters(benchmark::State& state, std::int64_t messages, std::int64_t bytes) {
  state.counters["messages/s"] =
      benchmark::Counter(static_cast<double>(messages), benchmark::Counter::kIsRate);
  state.SetItemsProcessed(messages);
  state.SetBytesProcessed(bytes);
}

void BM_InProcessMap(benchmark::State& state) {
  const hl7v2::Hl7v2Settings settings;
  const auto& pool = message_pool();
  if (read_and_map(pool[0], "bench", settings).status != hl7v2::AckStatus::Accepted) {
    state.SkipWithError("the ORU^R01 does not map to six samples");
    return;
  }
  std::size_t next = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    const std::string& message = pool[next];
    next = (next + 1) % pool.size();
    benchmark::DoNotOptimize(read_and_map(message, "bench", settings));
    bytes += static_cast<std::int64_t>(message.size());
  }
  set_counters(state, static_cast<std::int64_t>(state.iterations()), bytes);
}

void BM_InProcessIngestSqlite(benchmark::State& state) {
  const TempDir dir;
  ptwin::store::SqliteStore store(dir.path() / "ptwin.db", normal_sync());
  const ptwin::time::SystemClock clock;
  hl7v2::Hl7v2Ingestor ingestor(store, clock);
  const auto& pool = message_pool();
  std::vector<hl7v2::InboundFrame> frames;
  frames.reserve(pool.size());
  for (const std::string& message : pool) {
    frames.push_back({.kind = hl7v2::FrameKind::Message, .bytes = message,
                      .peer = "127.0.0.1:50000"});
  }
  if (ingestor.ingest(frames[0]).status != hl7v2::AckStatus::Accepted) {
    state.SkipWithError("the ORU^R01 is not accepted by the ingestor");
    return;
  }
  std::size_t next = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    const hl7v2::InboundFrame& frame = frames[next];
    next = (next + 1) % frames.size();
    benchmark::DoNotOptimize(ingestor.ingest(frame));
    bytes += static_cast<std::int64_t>(frame.bytes.size());
  }
  set_counters(state, static_cast<std::int64_t>(state.iterations()), bytes);
}

enum class Handler { Map, IngestSqlite };

void BM_Mllp(benchmark::State& state, Handler kind) {
  const auto connections = static_cast<std::size_t>(state.range(0));
  const hl7v2::Hl7v2Settings settings;
  const ptwin::time::SystemClock clock;
  // Declared in the order they must be destroyed in reverse: the clients close first, then
  // the listener stops and joins its threads, then the store closes and the dir goes.
  std::optional<TempDir> dir;
  std::optional<ptwin::store::SqliteStore> store;
  std::optional<hl7v2::Hl7v2Ingestor> ingestor;
  hl7v2::FrameHandler handler;
  if (kind == Handler::IngestSqlite) {
    dir.emplace();
    store.emplace(dir->path() / "ptwin.db", normal_sync());
    ingestor.emplace(*store, clock);
    handler = ingestor->handler();
  } else {
    handler = [&settings](const hl7v2::InboundFrame& frame) {
      if (frame.kind != hl7v2::FrameKind::Message) {
        hl7v2::Disposition rejected;
        rejected.status = hl7v2::AckStatus::Rejected;
        return rejected;
      }
      return read_and_map(frame.bytes, frame.peer, settings);
    };
  }
  hl7v2::MllpSettings listener_settings;
  listener_settings.threads = static_cast<int>(std::max<std::size_t>(2, connections));
  hl7v2::MllpListener listener(listener_settings, std::move(handler), clock);

  const auto& pool = framed_pool();
  std::int64_t bytes = 0;
  try {
    std::vector<std::unique_ptr<MllpClient>> clients;
    for (std::size_t c = 0; c < connections; ++c) {
      clients.push_back(std::make_unique<MllpClient>(listener.port()));
      clients.back()->send(pool[c % pool.size()]);  // connected and served before timing
      clients.back()->expect_accepted();
    }
    std::size_t next = 0;
    for (auto _ : state) {
      for (const auto& client : clients) {
        const std::string& frame = pool[next];
        next = (next + 1) % pool.size();
        client->send(frame);
        bytes += static_cast<std::int64_t>(frame.size());
      }
      for (const auto& client : clients) client->expect_accepted();
    }
  } catch (const std::exception& error) {
    state.SkipWithError(error.what());
    return;
  }
  set_counters(state, static_cast<std::int64_t>(state.iterations() * connections), bytes);
  state.SetLabel(fmt::format("{} connection(s), one message in flight each", connections));
}

const bool kRegistered = [] {
  benchmark::RegisterBenchmark("Hl7v2/in_process/map", BM_InProcessMap)
      ->Unit(benchmark::kMicrosecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("Hl7v2/in_process/ingest_sqlite", BM_InProcessIngestSqlite)
      ->Unit(benchmark::kMicrosecond)
      ->UseRealTime();
  for (const auto& [name, kind] : {std::pair{"Hl7v2/mllp/map", Handler::Map},
                                   std::pair{"Hl7v2/mllp/ingest_sqlite", Handler::IngestSqlite}}) {
    benchmark::RegisterBenchmark(name, BM_Mllp, kind)
        ->ArgName("connections")
        ->Arg(1)
        ->Arg(4)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
  }
  return true;
}();

// Forwards everything to the display reporter chosen by --benchmark_format and keeps the
// messages/s of each Hl7v2 run, keyed by its name without "Hl7v2/" and "/real_time".
class Hl7v2Collector final : public benchmark::BenchmarkReporter {
 public:
  explicit Hl7v2Collector(benchmark::BenchmarkReporter& display) : display_(display) {}

  bool ReportContext(const Context& context) override { return display_.ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override {
    display_.ReportRuns(runs);
    constexpr std::string_view kPrefix = "Hl7v2/";
    for (const Run& run : runs) {
      const std::string& name = run.run_name.function_name;
      if (run.error_occurred || name.compare(0, kPrefix.size(), kPrefix) != 0) continue;
      const auto counter = run.counters.find("messages/s");
      if (counter == run.counters.end()) continue;
      std::string key = name.substr(kPrefix.size());
      if (!run.run_name.args.empty()) {
        key.push_back('/');
        key.append(run.run_name.args);
      }
      if (run.run_type == Run::RT_Iteration) figures_[key].push_back(counter->second.value);
      // With --benchmark_report_aggregates_only only the aggregates arrive.
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median") {
        medians_[key] = counter->second.value;
      }
    }
  }
  void Finalize() override { display_.Finalize(); }

  /// Median messages/s of `key`, NaN when it did not run.
  [[nodiscard]] double rate(const std::string& key) const {
    if (const auto median = medians_.find(key); median != medians_.end()) return median->second;
    const auto found = figures_.find(key);
    if (found == figures_.end()) return NAN;
    std::vector<double> rates = found->second;
    std::sort(rates.begin(), rates.end());
    const std::size_t middle = rates.size() / 2;
    return rates.size() % 2 == 1 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2;
  }

 private:
  benchmark::BenchmarkReporter& display_;
  std::map<std::string, std::vector<double>> figures_;
  std::map<std::string, double> medians_;
};

void print_ratios(std::FILE* out, const Hl7v2Collector& collector) {
  const double map = collector.rate("in_process/map");
  const double ingest = collector.rate("in_process/ingest_sqlite");
  fmt::print(out,
             "\nHL7 v2 ORU^R01 ({} OBX), messages/s (wall clock) and candidate / baseline "
             "(same run)\n{:<36} {:>12} {:>17} {:>20}\n",
             kObservations, "benchmark", "messages/s", "/ in_process map",
             "/ in_process ingest");
  for (const std::string_view key :
       {"in_process/map", "in_process/ingest_sqlite", "mllp/map/connections:1",
        "mllp/map/connections:4", "mllp/ingest_sqlite/connections:1",
        "mllp/ingest_sqlite/connections:4"}) {
    const double rate = collector.rate(std::string(key));
    if (std::isnan(rate)) continue;  // filtered out or failed
    fmt::print(out, "{:<36} {:>12.0f} {:>17.2f} {:>20.2f}\n", key, rate, rate / map,
               rate / ingest);
  }
}

}  // namespace

int main(int argc, char** argv) {
  return ptwin::bench::run_benchmark_main(argc, argv, "hl7v2_bench", [](std::FILE* out) {
    Hl7v2Collector collector(*benchmark::CreateDefaultDisplayReporter());
    benchmark::RunSpecifiedBenchmarks(&collector);
    std::fflush(stdout);
    print_ratios(out, collector);
  });
}
