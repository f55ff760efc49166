// SPDX-License-Identifier: Apache-2.0
// The writer thread's path of `ptwin serve` (docs/serve.md#output-queue): one batch of twin
// outputs (per patient a RiskAssessment and the estimated SVR and CO Observations, built by
// clinical::fhir's writers) written to the FHIR facade on SQLite. Three ways, in one run, on
// the same resources:
//   transaction   candidate: every output of the batch in one transaction Bundle of PUTs, as
//                 serve's FacadeWriter does (validation with invariants, search indexes, one
//                 commit)
//   one_by_one    baseline: one PUT request per resource (what the writer did before batching,
//                 and what it falls back to when a transaction is refused)
//   store_only    baseline: the same JSON stored through the resource store in one transaction,
//                 without validation or search indexes (the floor the facade adds to)
// Argument: outputs per batch (1: a patient alone; 20: the load test's patients at once).
// Counter: outputs/s (wall clock; the store commits with synchronous=FULL, as serve's does).
// After the table, main() prints each way's outputs/s over store_only's and one_by_one's.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ptwin/clinical/alerts/risk_alert_episodes.hpp"
#include "ptwin/clinical/fhir/output_writer.hpp"
#include "ptwin/clinical/fhir/twin_output_stage.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/server/fhir/fhir_facade.hpp"
#include "ptwin/store/fhir/sqlite_resource_store.hpp"
#include "ptwin/twin/live/hypotension_risk_stage.hpp"
#include "ptwin/vv/gate/model_gate.hpp"
#include "ptwin/vv/gate/model_identity.hpp"
#include "store/scratch_dir.hpp"
#include "support/benchmark_main.hpp"
#include "support/rate_collector.hpp"

namespace {

using nlohmann::json;
namespace cf = ptwin::clinical::fhir;
namespace sf = ptwin::store::fhir;
namespace validation = ptwin::ingest::fhir::validation;

class NoWriter final : public cf::OutputWriter {
 public:
  void write(const std::vector<json>& /*resources*/) override {}
};

// One output of the warm-up patient as serve's writer thread builds it, without the Device and
// the DetectedIssue (which go once, and on alerts): RiskAssessment + Observations.
std::vector<json> one_output() {
  ptwin::twin::live::HypotensionRiskStage risk;
  ptwin::vv::gate::ModelGate gate(ptwin::vv::gate::hypotension_risk_model_identity({}), {});
  const ptwin::time::ManualClock clock(ptwin::time::from_epoch_ms(1'767'225'600'000));
  ptwin::clinical::alerts::RiskAlertEpisodes alerts(
      risk, ptwin::clinical::alerts::RiskAlertEpisodes::default_rules(), clock);
  NoWriter writer;
  cf::TwinOutputStage stage(risk, gate, writer, alerts, {});
  std::vector<json> out;
  for (auto& r : stage.example_outputs()) {
    const auto& type = r.at("resourceType").get_ref<const std::string&>();
    if (type == "RiskAssessment" || type == "Observation") out.push_back(std::move(r));
  }
  return out;
}

// The facade on a scratch database, with serve's validator (FHIRPath invariants included).
struct Facade {
  Facade()
      : definitions(ptwin::ingest::fhir::definitions::Definitions::open(PTWIN_FHIR_PACKAGE_DIR)),
        validator(*definitions,
                  validation::ValidatorOptions{
                      .invariant_evaluator = validation::make_fhirpath_invariant_evaluator(*definitions)}),
        store(dir.file("outputs.db"), clock),
        facade(store, *definitions, validator, {}) {
    for (const auto& r : one_output()) facade.warm_up(r);  // lazy loading is not timed
  }
  ptwin::bench::ScratchDir dir{"ptwin-output-bench"};
  ptwin::time::SystemClock clock;
  std::unique_ptr<ptwin::ingest::fhir::definitions::Definitions> definitions;
  validation::Validator validator;
  sf::SqliteResourceStore store;
  ptwin::server::fhir::FhirFacade facade;
};

// `outputs` patients' outputs with fresh ids (serve's ids derive from patient and time, so each
// output is a create), patient k's resources pointing at Patient/bench-k.
std::vector<json> batch_of(const std::vector<json>& template_output, int outputs,
                           std::int64_t& serial) {
  std::vector<json> out;
  for (int k = 0; k < outputs; ++k) {
    ++serial;
    for (json r : template_output) {
      r["id"] = fmt::format("b{}-{}", serial, r.at("id").get<std::string>()).substr(0, 64);
      r["subject"]["reference"] = fmt::format("Patient/bench-{}", k);
      out.push_back(std::move(r));
    }
  }
  return out;
}

ptwin::server::HttpRequest request(std::string method, std::string target, std::string body) {
  ptwin::server::HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.headers["Host"] = "localhost";
  r.headers["Content-Type"] = "application/fhir+json";
  r.body = std::move(body);
  return r;
}

std::string url_of(const json& r) {
  return fmt::format("{}/{}", r.at("resourceType").get<std::string>(), r.at("id").get<std::string>());
}

enum class Way { Transaction, OneByOne, StoreOnly };

void BM_Write(benchmark::State& state, Way way) {
  const int outputs = static_cast<int>(state.range(0));
  Facade f;
  const auto output = one_output();
  std::int64_t serial = 0;
  for (auto _ : state) {
    const auto resources = batch_of(output, outputs, serial);
    if (way == Way::Transaction) {
      json bundle{{"resourceType", "Bundle"}, {"type", "transaction"}, {"entry", json::array()}};
      for (const auto& r : resources) {
        bundle["entry"].push_back({{"resource", r}, {"request", {{"method", "PUT"}, {"url", url_of(r)}}}});
      }
      const auto response = f.facade.handle(request("POST", "", bundle.dump()));
      if (response.status != 200) state.SkipWithError(("transaction refused: " + response.body).c_str());
    } else if (way == Way::OneByOne) {
      for (const auto& r : resources) {
        const auto response = f.facade.handle(request("PUT", "/" + url_of(r), r.dump()));
        if (response.status != 201) state.SkipWithError(("PUT refused: " + response.body).c_str());
      }
    } else {
      auto transaction = f.store.begin(sf::TransactionMode::ReadWrite);
      for (const auto& r : resources) {
        const sf::NewResource resource{.resource_type = r.at("resourceType").get<std::string>(),
                                       .json = r.dump(), .index = {}};
        (void)transaction->update(resource, r.at("id").get<std::string>(),
                                  {.allows_create = true, .expected_version = std::nullopt});
      }
      transaction->commit();
    }
  }
  state.counters["outputs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * outputs), benchmark::Counter::kIsRate);
}

const bool kRegistered = [] {
  for (const auto& [name, way] : {std::pair{"Output/transaction", Way::Transaction},
                                  std::pair{"Output/one_by_one", Way::OneByOne},
                                  std::pair{"Output/store_only", Way::StoreOnly}}) {
    benchmark::RegisterBenchmark(name, BM_Write, way)
        ->ArgName("outputs")
        ->Arg(1)
        ->Arg(20)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  return true;
}();

void print_ratios(std::FILE* out, const ptwin::bench::RateCollector& rates) {
  fmt::print(out, "\nFHIR outputs written, outputs/s (wall clock) and ratios (same run)\n"
                  "{:<36} {:>12} {:>14} {:>16} {:>14}\n",
             "benchmark", "outputs/s", "ms per output", "/ one_by_one", "/ store_only");
  for (const int outputs : {1, 20}) {
    const auto key = [&](std::string_view way) {
      return fmt::format("Output/{}/outputs:{}/real_time", way, outputs);
    };
    const double one = rates.rate(key("one_by_one"));
    const double floor = rates.rate(key("store_only"));
    for (const std::string_view way : {"transaction", "one_by_one", "store_only"}) {
      const double rate = rates.rate(key(way));
      if (std::isnan(rate)) continue;
      fmt::print(out, "{:<36} {:>12.0f} {:>14.3f} {:>16.2f} {:>14.2f}\n",
                 fmt::format("{}/outputs:{}", way, outputs), rate, 1000.0 / rate, rate / one,
                 rate / floor);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  return ptwin::bench::run_benchmark_main(argc, argv, "output_write_bench", [](std::FILE* out) {
    ptwin::bench::RateCollector rates(*benchmark::CreateDefaultDisplayReporter(), "outputs/s");
    benchmark::RunSpecifiedBenchmarks(&rates);
    std::fflush(stdout);
    print_ratios(out, rates);
  });
}
