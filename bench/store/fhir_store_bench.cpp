// SPDX-License-Identifier: Apache-2.0
// FHIR resource store on SQLite. Two ratios, each measured in one run on the same inputs:
// - create: a transaction Bundle of N creates in one ResourceTransaction (candidate) against
//   the same N creates with one transaction each (baseline), at both synchronous levels;
// - token search over N Observations: the indexed search (candidate, code=system|code through
//   fhir_token_index) against a full scan that reads every Observation through the store and
//   tests its JSON (baseline: what the store would do without search indexes).
// Report candidate/baseline of the resources/s and searches/s counters for the same N.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ptwin/core/clock.hpp"
#include "ptwin/store/fhir/sqlite_resource_store.hpp"
#include "scratch_dir.hpp"

namespace {

using ptwin::store::SqliteOptions;
using ptwin::store::SqliteSynchronous;
namespace fhir = ptwin::store::fhir;

constexpr std::string_view kLoinc = "http://loinc.org";
constexpr int kDistinctCodes = 50;  // a code search selects 2 % of the Observations

// One scratch database per benchmark run.
class ScratchFile {
 public:
  [[nodiscard]] std::filesystem::path path() const { return dir_.file("fhir.sqlite"); }

 private:
  ptwin::bench::ScratchDir dir_{"ptwin-fhir-bench"};
};

std::string code_of(std::int64_t index) {
  return fmt::format("{}-{}", 1000 + index % kDistinctCodes, 7);
}

// A vital-sign Observation as an extractor would hand it over: JSON plus index rows.
fhir::NewResource observation(std::int64_t index) {
  const std::string code = code_of(index);
  fhir::NewResource resource{
      .resource_type = "Observation",
      .json = fmt::format(
          R"({{"resourceType":"Observation","status":"final","code":{{"coding":[{{"system":"{}",)"
          R"("code":"{}"}}]}},"subject":{{"reference":"Patient/p{}"}},)"
          R"("effectiveDateTime":"2024-05-01T10:{:02}:00Z","valueQuantity":{{"value":{}.5,)"
          R"("unit":"mm[Hg]","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}}})",
          kLoinc, code, index % 100, index % 60, 60 + index % 80),
      .index = {}};
  resource.index.tokens = {fhir::TokenIndex{
      .param = "code", .system = std::string(kLoinc), .code = code, .text = std::nullopt}};
  resource.index.references = {
      fhir::reference_index("subject", fmt::format("Patient/p{}", index % 100))};
  resource.index.dates = {
      fhir::date_index("date", fmt::format("2024-05-01T10:{:02}:00Z", index % 60))};
  resource.index.quantities = {
      fhir::quantity_index("value-quantity", fmt::format("{}.5", 60 + index % 80),
                           "http://unitsofmeasure.org", "mm[Hg]", "mm[Hg]")};
  return resource;
}

SqliteSynchronous synchronous_of(const benchmark::State& state) {
  return state.range(1) == 0 ? SqliteSynchronous::Full : SqliteSynchronous::Normal;
}

void count_resources(benchmark::State& state, std::int64_t per_iteration) {
  state.counters["resources/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * static_cast<double>(per_iteration),
      benchmark::Counter::kIsRate);
  state.SetLabel(synchronous_of(state) == SqliteSynchronous::Full ? "synchronous=FULL"
                                                                  : "synchronous=NORMAL");
}

// Baseline: N creates, one transaction (one commit) each.
void BM_FhirCreateOneTransactionEach(benchmark::State& state) {
  const std::int64_t count = state.range(0);
  const ScratchFile file;
  const ptwin::time::SystemClock clock;
  fhir::SqliteResourceStore store(file.path(), clock,
                                  SqliteOptions{.synchronous = synchronous_of(state)});
  std::int64_t next = 0;
  for (auto _ : state) {
    for (std::int64_t i = 0; i < count; ++i)
      benchmark::DoNotOptimize(store.create(observation(next++)));
  }
  count_resources(state, count);
}

// Candidate: the same N creates in one transaction (a FHIR transaction Bundle).
void BM_FhirCreateBundle(benchmark::State& state) {
  const std::int64_t count = state.range(0);
  const ScratchFile file;
  const ptwin::time::SystemClock clock;
  fhir::SqliteResourceStore store(file.path(), clock,
                                  SqliteOptions{.synchronous = synchronous_of(state)});
  std::int64_t next = 0;
  for (auto _ : state) {
    const auto transaction = store.begin(fhir::TransactionMode::ReadWrite);
    for (std::int64_t i = 0; i < count; ++i) {
      benchmark::DoNotOptimize(transaction->create(observation(next++)));
    }
    transaction->commit();
  }
  count_resources(state, count);
}

void create_arguments(benchmark::internal::Benchmark* bench) {
  bench->ArgNames({"resources", "normal"});
  for (const std::int64_t synchronous : {0, 1}) bench->Args({100, synchronous});
  bench->Unit(benchmark::kMillisecond);
  bench->UseRealTime();  // commits wait for fsync, which CPU time does not see
}

BENCHMARK(BM_FhirCreateOneTransactionEach)->Apply(create_arguments);
BENCHMARK(BM_FhirCreateBundle)->Apply(create_arguments);

// --- token search ----------------------------------------------------------------------------

// A database of `count` Observations, loaded in one transaction.
struct SearchDatabase {
  explicit SearchDatabase(std::int64_t count)
      : store(file.path(), clock, SqliteOptions{.synchronous = SqliteSynchronous::Normal}) {
    const auto transaction = store.begin(fhir::TransactionMode::ReadWrite);
    for (std::int64_t i = 0; i < count; ++i) (void)transaction->create(observation(i));
    transaction->commit();
  }
  ScratchFile file;
  ptwin::time::SystemClock clock;
  fhir::SqliteResourceStore store;
};

const std::string kSearchedCode = code_of(17);

std::vector<std::string> indexed_search(fhir::ResourceStore& store) {
  const fhir::SearchQuery query{
      .resource_type = "Observation",
      .criteria = {fhir::Criterion{
          .param = "code",
          .type = fhir::SearchParamType::Token,
          .values = {fhir::TokenValue{std::string(kLoinc), kSearchedCode}}}},
      .count = fhir::kMaxPageSize};
  std::vector<std::string> ids;
  for (const auto& match : store.search(query).matches) ids.push_back(match.id);
  return ids;
}

bool has_code(const nlohmann::json& resource) {
  for (const auto& coding : resource["code"]["coding"]) {
    if (coding.value("system", "") == kLoinc && coding.value("code", "") == kSearchedCode) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> full_scan(fhir::ResourceStore& store) {
  std::vector<std::string> ids;
  fhir::SearchQuery page{.resource_type = "Observation", .count = fhir::kMaxPageSize};
  while (true) {
    const fhir::SearchResult result = store.search(page);
    for (const auto& resource : result.matches) {
      if (has_code(nlohmann::json::parse(resource.json))) ids.push_back(resource.id);
    }
    if (!result.next_offset) return ids;
    page.offset = *result.next_offset;
  }
}

template <std::vector<std::string> (*Search)(fhir::ResourceStore&)>
void BM_FhirTokenSearch(benchmark::State& state) {
  SearchDatabase database(state.range(0));
  if (indexed_search(database.store) != full_scan(database.store)) {
    state.SkipWithError("indexed search and full scan disagree");
    return;
  }
  std::size_t found = 0;
  for (auto _ : state) {
    const std::vector<std::string> ids = Search(database.store);
    found = ids.size();
    benchmark::DoNotOptimize(ids.data());
  }
  state.counters["searches/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["matches"] = static_cast<double>(found);
}

void search_arguments(benchmark::internal::Benchmark* bench) {
  bench->ArgNames({"observations"});
  for (const std::int64_t count : {1000, 10000}) bench->Args({count});
  bench->Unit(benchmark::kMillisecond);
}

// Baseline, then candidate.
BENCHMARK(BM_FhirTokenSearch<full_scan>)
    ->Name("BM_FhirTokenSearchFullScan")
    ->Apply(search_arguments);
BENCHMARK(BM_FhirTokenSearch<indexed_search>)
    ->Name("BM_FhirTokenSearchIndexed")
    ->Apply(search_arguments);

}  // namespace
