// SPDX-License-Identifier: Apache-2.0
// FHIR resource store write throughput on each backend against a plain insert of the same rows
// (the FHIR R5 core issue's "create and transaction throughput on each backend against a plain
// insert of the same rows"). Inputs: 100 vital-sign Observations with the index rows of the
// official R5 SearchParameters (vital_sign_workload.hpp). Per backend, in one run:
//   plain_insert          baseline: the rows through the raw client API into plain tables with
//                         primary keys only, one transaction (plain_insert.hpp)
//   plain_insert_indexed  the same into tables with the store schema's secondary indexes
//   store_transaction     ResourceTransaction: the 100 creates in one transaction (a FHIR
//                         transaction Bundle's path)
//   store_create_each     ResourceStore::create: one transaction per resource (FHIR create)
// Backends: sqlite_full and sqlite_normal (WAL, synchronous FULL / NORMAL, file under
// $PTWIN_BENCH_DIR) and postgres (the server of $PTWIN_TEST_POSTGRES_URL, with that server's
// durability settings; scripts/with_postgres.sh starts one with fsync off). Counter:
// resources/s on wall-clock time. store_bench_main.cpp prints store / plain_insert per backend.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "plain_insert.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/store/fhir/postgres_resource_store.hpp"
#include "ptwin/store/fhir/sqlite_resource_store.hpp"
#include "scratch_dir.hpp"
#include "vital_sign_workload.hpp"

namespace {

namespace sf = ptwin::store::fhir;
using ptwin::bench::PlainIndexes;
using ptwin::store::SqliteSynchronous;

constexpr std::int64_t kResourcesPerIteration = 100;
constexpr std::string_view kPostgresUrlVariable = "PTWIN_TEST_POSTGRES_URL";

enum class Backend { SqliteFull, SqliteNormal, Postgres };
enum class Method { PlainInsert, PlainInsertIndexed, StoreTransaction, StoreCreateEach };

std::optional<std::string> postgres_url() {
  const char* url = std::getenv(std::string(kPostgresUrlVariable).c_str());
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

// A schema of its own on the PostgreSQL server, dropped afterwards.
class ScratchSchema {
 public:
  explicit ScratchSchema(std::string url)
      : url_(std::move(url)),
        name_(fmt::format("ptwin_bench_{}_{:08x}", getpid(), std::random_device{}())) {}
  ~ScratchSchema() {
    try {
      ptwin::bench::drop_postgres_schema(url_, name_);
    } catch (const std::exception& error) {  // the figures are taken; say what is left behind
      fmt::print(stderr, "store_bench: schema {} not dropped: {}\n", name_, error.what());
    }
  }
  ScratchSchema(const ScratchSchema&) = delete;
  ScratchSchema& operator=(const ScratchSchema&) = delete;
  ScratchSchema(ScratchSchema&&) = delete;
  ScratchSchema& operator=(ScratchSchema&&) = delete;
  [[nodiscard]] const std::string& name() const { return name_; }

 private:
  std::string url_;
  std::string name_;
};

// What one benchmark writes into: a store or plain tables on a fresh database. Members are
// destroyed before the scratch directory or schema that holds their data.
class Target {
 public:
  Target(Backend backend, Method method, const std::optional<std::string>& url) {
    const bool is_plain = method == Method::PlainInsert || method == Method::PlainInsertIndexed;
    const PlainIndexes indexes =
        method == Method::PlainInsertIndexed ? PlainIndexes::AsStore : PlainIndexes::None;
    if (backend == Backend::Postgres) {
      schema_ = std::make_unique<ScratchSchema>(*url);
      if (is_plain) {
        plain_ = ptwin::bench::open_postgres_plain_tables(*url, schema_->name(), indexes);
      } else {
        store_ = std::make_unique<sf::PostgresResourceStore>(
            *url, clock_, sf::PostgresOptions{.schema = schema_->name()});
      }
      return;
    }
    dir_ = std::make_unique<ptwin::bench::ScratchDir>("ptwin-fhir-throughput");
    const SqliteSynchronous synchronous =
        backend == Backend::SqliteFull ? SqliteSynchronous::Full : SqliteSynchronous::Normal;
    if (is_plain) {
      plain_ =
          ptwin::bench::open_sqlite_plain_tables(dir_->file("plain.sqlite"), synchronous, indexes);
    } else {
      store_ = std::make_unique<sf::SqliteResourceStore>(
          dir_->file("fhir.sqlite"), clock_,
          ptwin::store::SqliteOptions{.synchronous = synchronous});
    }
  }

  void write(Method method, std::span<const sf::NewResource> resources) {
    switch (method) {
      case Method::PlainInsert:
      case Method::PlainInsertIndexed:
        plain_->insert(resources);
        return;
      case Method::StoreTransaction: {
        const auto transaction = store_->begin(sf::TransactionMode::ReadWrite);
        for (const sf::NewResource& resource : resources) {
          benchmark::DoNotOptimize(transaction->create(resource));
        }
        transaction->commit();
        return;
      }
      case Method::StoreCreateEach:
        for (const sf::NewResource& resource : resources) {
          benchmark::DoNotOptimize(store_->create(resource));
        }
        return;
    }
  }

 private:
  std::unique_ptr<ptwin::bench::ScratchDir> dir_;
  std::unique_ptr<ScratchSchema> schema_;
  ptwin::time::SystemClock clock_;
  std::unique_ptr<sf::ResourceStore> store_;
  std::unique_ptr<ptwin::bench::PlainTables> plain_;
};

std::string label_of(Backend backend, const std::optional<std::string>& url) {
  switch (backend) {
    case Backend::SqliteFull:
      return "sqlite synchronous=FULL";
    case Backend::SqliteNormal:
      return "sqlite synchronous=NORMAL";
    case Backend::Postgres:
      break;
  }
  return fmt::format("postgres {} (server's durability)",
                     ptwin::bench::postgres_server_version(*url));
}

void BM_FhirThroughput(benchmark::State& state, Backend backend, Method method) {
  const std::optional<std::string> url = postgres_url();
  if (backend == Backend::Postgres && !url) {
    state.SkipWithError(
        "PTWIN_TEST_POSTGRES_URL is not set: run under a throw-away server with "
        "`bash scripts/with_postgres.sh <build>/bench/store/store_bench "
        "--benchmark_filter=FhirThroughput/postgres`");
    return;
  }
  const auto& workload = ptwin::bench::vital_sign_workload();
  if (static_cast<std::size_t>(state.range(0)) > workload.resources.size()) {
    state.SkipWithError("more resources per iteration than the workload holds");
    return;
  }
  const std::span<const sf::NewResource> resources =
      std::span(workload.resources).first(static_cast<std::size_t>(state.range(0)));
  Target target(backend, method, url);
  for (auto _ : state) target.write(method, resources);
  state.counters["resources/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(resources.size()),
      benchmark::Counter::kIsRate);
  state.counters["index_rows/resource"] = workload.index_rows_per_resource;
  state.SetLabel(label_of(backend, url));
}

const bool kRegistered = [] {
  constexpr std::pair<std::string_view, Backend> kBackends[] = {
      {"sqlite_full", Backend::SqliteFull},
      {"sqlite_normal", Backend::SqliteNormal},
      {"postgres", Backend::Postgres}};
  // Baselines first, so that a console reader meets them before the store's figures.
  constexpr std::pair<std::string_view, Method> kMethods[] = {
      {"plain_insert", Method::PlainInsert},
      {"plain_insert_indexed", Method::PlainInsertIndexed},
      {"store_transaction", Method::StoreTransaction},
      {"store_create_each", Method::StoreCreateEach}};
  for (const auto& [backend_name, backend] : kBackends) {
    for (const auto& [method_name, method] : kMethods) {
      const std::string name = fmt::format("FhirThroughput/{}/{}", backend_name, method_name);
      benchmark::RegisterBenchmark(name.c_str(), BM_FhirThroughput, backend, method)
          ->ArgName("resources")
          ->Arg(kResourcesPerIteration)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();  // commits wait for fsync or the server, which CPU time does not see
    }
  }
  return true;
}();

}  // namespace
