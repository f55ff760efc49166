// SPDX-License-Identifier: Apache-2.0
// FHIR Bulk Data NDJSON import into SQLite against the limits of the same machine, in one run:
//   Bulk/parse               baseline: each line of the file parsed to JSON (nlohmann), nothing
//                            else; the rate no import through a JSON parser can beat.
//   Bulk/plain_sqlite_insert baseline: each line inserted as (id, json) with one prepared
//                            INSERT, all in one transaction, into a plain table (sqlite3 API,
//                            WAL, synchronous FULL); the id is found by a substring scan, not a
//                            parse. The rate of writing the same bytes with no store logic.
//   Bulk/import_sqlite       candidate: NdjsonImporter (parse, R5 validation with invariants,
//                            index extraction, update-as-create in batches of 500) into a fresh
//                            SqliteResourceStore (WAL, synchronous FULL); lines prepared on one
//                            thread per hardware thread but the writer's (the default) while
//                            the previous batch is written.
//   Bulk/import_sqlite_1_thread  the same with every line prepared on the writing thread.
//   Bulk/import_postgres     the same import into a PostgresResourceStore in a fresh schema on
//                            the server of $PTWIN_TEST_POSTGRES_URL (skipped, saying so, when
//                            it is not set; scripts/with_postgres.sh starts one).
// Each iteration handles the whole file once. Counter: resources/s (wall clock). main() prints
// the candidate's rate over each baseline's.
//
// The file: PTWIN_BULK_RESOURCES resources (default 2000, so the CI smoke run takes seconds),
// one Patient per 50 vital-sign Observations (heart rate, respiratory rate, SpO2, body
// temperature, blood-pressure panel with two components), shaped like the R5 vital-signs
// examples, ~0.7 kB per line; written under $PTWIN_BENCH_DIR (default: the temp dir).

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "ptwin/core/clock.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/ingest/fhir/bulk/ndjson_importer.hpp"
#include "ptwin/ingest/fhir/bulk/ndjson_line_reader.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/store/fhir/postgres_resource_store.hpp"
#include "ptwin/store/fhir/sqlite_resource_store.hpp"
#include "store/plain_insert.hpp"
#include "store/scratch_dir.hpp"
#include "support/benchmark_main.hpp"
#include "support/ratio_output.hpp"

namespace {

namespace fs = std::filesystem;
namespace bulk = ptwin::ingest::fhir::bulk;
using nlohmann::json;

constexpr std::size_t kMaxLineBytes = 1U << 20U;

std::int64_t resource_count() {
  const char* text = std::getenv("PTWIN_BULK_RESOURCES");
  if (text == nullptr || *text == '\0') return 2000;
  char* end = nullptr;
  const long long value = std::strtoll(text, &end, 10);
  if (*end != '\0' || value < 1) {
    throw std::runtime_error(fmt::format("PTWIN_BULK_RESOURCES='{}': give a positive integer", text));
  }
  return value;
}

json coding(const char* system, const char* code, const char* display) {
  return {{"system", system}, {"code", code}, {"display", display}};
}

json quantity(double value, const char* unit, const char* code) {
  return {{"value", value}, {"unit", unit}, {"system", "http://unitsofmeasure.org"},
          {"code", code}};
}

// The k-th vital sign of a patient, k = 0..4 cycling through the five kinds.
json vital_sign(std::int64_t number, const std::string& patient, int kind) {
  static const std::array<std::array<const char*, 3>, 5> kCodes{{
      {"8867-4", "Heart rate", "/min"},
      {"9279-1", "Respiratory rate", "/min"},
      {"2708-6", "Oxygen saturation in Arterial blood", "%"},
      {"8310-5", "Body temperature", "Cel"},
      {"85354-9", "Blood pressure panel with all children optional", ""}}};
  const auto& code = kCodes[static_cast<std::size_t>(kind)];
  const std::int64_t minute = number % 1440;
  json observation = {
      {"resourceType", "Observation"},
      {"id", fmt::format("vs-{:08d}", number)},
      {"status", "final"},
      {"category", {{{"coding", {coding("http://terminology.hl7.org/CodeSystem/observation-category",
                                        "vital-signs", "Vital Signs")}},
                      {"text", "Vital Signs"}}}},
      {"code", {{"coding", {coding("http://loinc.org", code[0], code[1])}}, {"text", code[1]}}},
      {"subject", {{"reference", "Patient/" + patient}}},
      {"effectiveDateTime", fmt::format("2024-05-01T{:02d}:{:02d}:00Z", minute / 60, minute % 60)},
      {"device", {{"reference", "Device/monitor-1"}}}};
  const double wobble = static_cast<double>(number % 17);
  switch (kind) {
    case 0: observation["valueQuantity"] = quantity(60 + wobble, "beats/minute", "/min"); break;
    case 1: observation["valueQuantity"] = quantity(12 + wobble / 4, "breaths/minute", "/min"); break;
    case 2: observation["valueQuantity"] = quantity(90 + wobble / 2, "%", "%"); break;
    case 3: observation["valueQuantity"] = quantity(36.5 + wobble / 20, "C", "Cel"); break;
    default:
      observation["component"] = {
          {{"code", {{"coding", {coding("http://loinc.org", "8480-6", "Systolic blood pressure")}}}},
           {"valueQuantity", quantity(110 + wobble, "mmHg", "mm[Hg]")}},
          {{"code", {{"coding", {coding("http://loinc.org", "8462-4", "Diastolic blood pressure")}}}},
           {"valueQuantity", quantity(70 + wobble, "mmHg", "mm[Hg]")}}};
  }
  return observation;
}

json patient(std::int64_t number) {
  return {{"resourceType", "Patient"},
          {"id", fmt::format("pt-{:06d}", number)},
          {"identifier", {{{"system", "urn:oid:1.2.36.146.595.217.0.1"},
                           {"value", fmt::format("MRN{:07d}", number)}}}},
          {"name", {{{"family", fmt::format("Family{}", number)}, {"given", {"Alex"}}}}},
          {"gender", number % 2 == 0 ? "female" : "male"},
          {"birthDate", fmt::format("19{:02d}-0{}-1{}", 40 + number % 50, 1 + number % 9, number % 10)}};
}

struct Workload {
  ptwin::bench::ScratchDir directory{"ptwin-bulk-bench"};
  fs::path file;
  std::int64_t resources = 0;
  std::uint64_t bytes = 0;
};

const Workload& workload() {
  static const std::unique_ptr<Workload> instance = [] {
    auto made = std::make_unique<Workload>();
    made->file = made->directory.file("bulk.ndjson");
    made->resources = resource_count();
    std::ofstream out(made->file, std::ios::binary);
    std::string current_patient;
    std::int64_t observations = 0;
    for (std::int64_t i = 0; i < made->resources; ++i) {
      if (i % 51 == 0) {
        const json p = patient(i / 51);
        current_patient = p.at("id").get<std::string>();
        out << p.dump() << '\n';
      } else {
        out << vital_sign(observations, current_patient, static_cast<int>(observations % 5)).dump()
            << '\n';
        ++observations;
      }
    }
    out.close();
    made->bytes = fs::file_size(made->file);
    return made;
  }();
  return *instance;
}

struct Fhir {
  std::unique_ptr<ptwin::ingest::fhir::definitions::Definitions> definitions;
  std::unique_ptr<ptwin::ingest::fhir::validation::Validator> validator;
  std::unique_ptr<ptwin::ingest::fhir::indexing::IndexExtractor> extractor;
};

const Fhir& fhir() {
  static const Fhir instance = [] {
    Fhir made;
    made.definitions = ptwin::ingest::fhir::definitions::Definitions::open(PTWIN_FHIR_PACKAGE_DIR);
    ptwin::ingest::fhir::validation::ValidatorOptions options;
    options.invariant_evaluator =
        ptwin::ingest::fhir::validation::make_fhirpath_invariant_evaluator(*made.definitions);
    made.validator = std::make_unique<ptwin::ingest::fhir::validation::Validator>(
        *made.definitions, std::move(options));
    made.extractor =
        std::make_unique<ptwin::ingest::fhir::indexing::IndexExtractor>(*made.definitions);
    // Definitions load lazily: validate one resource of each kind first, so that loading them
    // is not timed.
    std::ifstream input(workload().file, std::ios::binary);
    bulk::NdjsonLineReader reader(input, kMaxLineBytes);
    for (int i = 0; i < 12; ++i) {
      const auto line = reader.next();
      if (!line) break;
      json resource;
      benchmark::DoNotOptimize(made.validator->validate_text(line->bytes, resource));
      benchmark::DoNotOptimize(made.extractor->extract(resource));
    }
    return made;
  }();
  return instance;
}

void set_counters(benchmark::State& state, std::int64_t resources) {
  state.counters["resources/s"] = benchmark::Counter(
      static_cast<double>(resources * static_cast<std::int64_t>(state.iterations())),
      benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(workload().bytes) *
                          static_cast<std::int64_t>(state.iterations()));
}

void BM_Parse(benchmark::State& state) {
  const Workload& work = workload();
  for (auto _ : state) {
    std::ifstream input(work.file, std::ios::binary);
    bulk::NdjsonLineReader reader(input, kMaxLineBytes);
    std::int64_t count = 0;
    while (const auto line = reader.next()) {
      benchmark::DoNotOptimize(json::parse(line->bytes));
      ++count;
    }
    if (count != work.resources) state.SkipWithError("parse: wrong line count");
  }
  set_counters(state, work.resources);
}

void check(int code, sqlite3* db, const char* what) {
  if (code != SQLITE_OK && code != SQLITE_DONE && code != SQLITE_ROW) {
    throw std::runtime_error(fmt::format("plain insert: {}: {}", what, sqlite3_errmsg(db)));
  }
}

void plain_insert(const fs::path& database, const fs::path& file) {
  sqlite3* db = nullptr;
  check(sqlite3_open(database.c_str(), &db), db, "open");
  const std::unique_ptr<sqlite3, decltype(&sqlite3_close)> owner(db, &sqlite3_close);
  check(sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                     "CREATE TABLE plain (id TEXT PRIMARY KEY, json TEXT NOT NULL);",
                     nullptr, nullptr, nullptr),
        db, "schema");
  sqlite3_stmt* raw = nullptr;
  check(sqlite3_prepare_v2(db, "INSERT INTO plain (id, json) VALUES (?, ?)", -1, &raw, nullptr), db,
        "prepare");
  const std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> insert(raw, &sqlite3_finalize);
  check(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
  std::ifstream input(file, std::ios::binary);
  bulk::NdjsonLineReader reader(input, kMaxLineBytes);
  constexpr std::string_view kIdKey = "\"id\":\"";
  while (const auto line = reader.next()) {
    const std::size_t start = line->bytes.find(kIdKey) + kIdKey.size();
    const std::string_view id = line->bytes.substr(start, line->bytes.find('"', start) - start);
    sqlite3_bind_text(raw, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    sqlite3_bind_text(raw, 2, line->bytes.data(), static_cast<int>(line->bytes.size()), SQLITE_STATIC);
    check(sqlite3_step(raw), db, "insert");
    sqlite3_reset(raw);
  }
  check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
}

void BM_PlainInsert(benchmark::State& state) {
  const Workload& work = workload();
  int run = 0;
  for (auto _ : state) {
    const fs::path database = work.directory.file(fmt::format("plain-{}.db", run++));
    plain_insert(database, work.file);
    state.PauseTiming();
    fs::remove(database);
    fs::remove(fs::path(database.string() + "-wal"));
    fs::remove(fs::path(database.string() + "-shm"));
    state.ResumeTiming();
  }
  set_counters(state, work.resources);
}

enum class ImportBackend { Sqlite, Postgres };

std::optional<std::string> postgres_url() {
  const char* url = std::getenv("PTWIN_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

void BM_Import(benchmark::State& state, ImportBackend backend, std::size_t prepare_threads) {
  const std::optional<std::string> url = postgres_url();
  if (backend == ImportBackend::Postgres && !url) {
    state.SkipWithError(
        "PTWIN_TEST_POSTGRES_URL is not set: run under a throw-away server with `bash "
        "scripts/with_postgres.sh <build>/bench/ingest/fhir_bulk_bench`");
    return;
  }
  const Workload& work = workload();
  const Fhir& definitions = fhir();
  const ptwin::time::SystemClock clock;
  std::string first_rejection;
  int run = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const fs::path database = work.directory.file(fmt::format("store-{}.db", run++));
    const std::string schema =
        fmt::format("ptwin_bulk_bench_{}_{:08x}", getpid(), std::random_device{}());
    std::unique_ptr<ptwin::store::fhir::ResourceStore> store;
    if (backend == ImportBackend::Postgres) {
      store = std::make_unique<ptwin::store::fhir::PostgresResourceStore>(
          *url, clock, ptwin::store::fhir::PostgresOptions{.schema = schema});
    } else {
      store = std::make_unique<ptwin::store::fhir::SqliteResourceStore>(database, clock);
    }
    bulk::NdjsonImporter importer(
        *store, *definitions.validator, *definitions.extractor,
        [&](const ptwin::store::QuarantineEntry& entry) {
          if (first_rejection.empty()) first_rejection = entry.source + ": " + entry.reason;
        },
        bulk::NdjsonImportSettings{.batch_size = 500,
                                   .max_line_bytes = kMaxLineBytes,
                                   .prepare_threads = prepare_threads});
    state.ResumeTiming();
    const bulk::NdjsonImportSummary summary = importer.import_file(work.file, std::nullopt);
    state.PauseTiming();
    store.reset();
    if (backend == ImportBackend::Postgres) {
      ptwin::bench::drop_postgres_schema(*url, schema);
    } else {
      fs::remove(database);
      fs::remove(fs::path(database.string() + "-wal"));
      fs::remove(fs::path(database.string() + "-shm"));
    }
    state.ResumeTiming();
    if (summary.accepted != work.resources) {
      state.SkipWithError(fmt::format("import accepted {} of {} (first rejection: {})",
                                      summary.accepted, work.resources, first_rejection)
                              .c_str());
      return;
    }
  }
  set_counters(state, work.resources);
}

// Forwards to the display reporter and keeps each Bulk run's resources/s.
class BulkCollector final : public benchmark::BenchmarkReporter {
 public:
  explicit BulkCollector(benchmark::BenchmarkReporter& display) : display_(display) {}
  bool ReportContext(const Context& context) override { return display_.ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override {
    display_.ReportRuns(runs);
    for (const Run& run : runs) {
      const auto counter = run.counters.find("resources/s");
      if (run.error_occurred || counter == run.counters.end()) continue;
      if (run.run_type == Run::RT_Iteration) rates_[run.run_name.function_name] = counter->second.value;
    }
  }
  void Finalize() override { display_.Finalize(); }
  [[nodiscard]] double rate(const std::string& name) const {
    const auto found = rates_.find(name);
    return found == rates_.end() ? NAN : found->second;
  }

 private:
  benchmark::BenchmarkReporter& display_;
  std::map<std::string, double> rates_;
};

void print_ratios(std::FILE* out, const BulkCollector& collector) {
  const Workload& work = workload();
  const double parse = collector.rate("Bulk/parse");
  const double plain = collector.rate("Bulk/plain_sqlite_insert");
  fmt::print(out,
             "\nBulk NDJSON: {} resources, {} bytes ({:.0f} B/line); resources/s (wall clock) "
             "and ratios (same run)\n{:<28} {:>12} {:>10} {:>16}\n",
             work.resources, work.bytes,
             static_cast<double>(work.bytes) / static_cast<double>(work.resources), "benchmark",
             "resources/s", "/ parse", "/ plain insert");
  for (const char* name : {"Bulk/parse", "Bulk/plain_sqlite_insert", "Bulk/import_sqlite",
                           "Bulk/import_sqlite_1_thread", "Bulk/import_postgres"}) {
    const double rate = collector.rate(name);
    if (std::isnan(rate)) continue;
    fmt::print(out, "{:<28} {:>12.0f} {:>10.3f} {:>16.3f}\n", name, rate, rate / parse,
               rate / plain);
  }
}

}  // namespace

int main(int argc, char** argv) {
  return ptwin::bench::run_benchmark_main(argc, argv, "fhir_bulk_bench", [](std::FILE* out) {
    benchmark::AddCustomContext("bulk_resources", std::to_string(workload().resources));
    // One pass over the whole file per iteration; a pass is the unit, not a line.
    benchmark::RegisterBenchmark("Bulk/parse", BM_Parse)->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("Bulk/plain_sqlite_insert", BM_PlainInsert)
        ->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("Bulk/import_sqlite", BM_Import, ImportBackend::Sqlite,
                                 std::size_t{0})
        ->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("Bulk/import_sqlite_1_thread", BM_Import, ImportBackend::Sqlite,
                                 std::size_t{1})
        ->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("Bulk/import_postgres", BM_Import, ImportBackend::Postgres,
                                 std::size_t{0})
        ->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
    BulkCollector collector(*benchmark::CreateDefaultDisplayReporter());
    benchmark::RunSpecifiedBenchmarks(&collector);
    std::fflush(stdout);
    print_ratios(out, collector);
  });
}
