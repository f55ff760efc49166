// SPDX-License-Identifier: Apache-2.0
// FHIR R5 ingest cost per resource against JSON parsing alone (the FHIR R5 core issue's
// "validation cost per resource against parse cost alone"), on official R5 examples of twin
// resource types read from the hl7.fhir.r5.examples package. Per example, in one run:
//   parse          baseline: nlohmann::json::parse of the text
//   validate_text  Validator::validate_text of the same text (parses, then checks against the
//                  R5 StructureDefinitions), without invariants
//   validate_invariants  the same with the FHIRPath invariant evaluator, as the FHIR facade runs it
//   extract_index  IndexExtractor::extract on the parsed resource (FHIRPath SearchParameter
//                  expressions); for a Bundle, on each entry resource, as a transaction does
//   prepare        the facade's write path before the store: validate (invariants included),
//                  parse, extract
// Counter: resources/s on CPU time (a Bundle is one resource: one request body).
// After the benchmark table, main() prints each step's time / parse time per example.
// The definitions are loaded and each example is validated and indexed once before timing,
// so that lazy loading and FHIRPath compilation are not timed; an example that does not
// validate is reported as an error rather than timed.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ptwin/core/logging.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "support/ratio_output.hpp"

namespace {

namespace defs = ptwin::ingest::fhir::definitions;
namespace indexing = ptwin::ingest::fhir::indexing;
namespace validation = ptwin::ingest::fhir::validation;

struct Example {
  std::string_view name;
  std::string_view file;  // in hl7.fhir.r5.examples
};

// A vital sign with one value, one with components, a Patient with names, addresses and
// telecoms, and a transaction Bundle (POST/PUT/DELETE/GET entries).
constexpr Example kExamples[] = {
    {"observation_heart_rate", "Observation-heart-rate.json"},
    {"observation_blood_pressure", "Observation-blood-pressure.json"},
    {"patient", "Patient-example.json"},
    {"bundle_transaction", "Bundle-bundle-transaction.json"},
};

std::filesystem::path package_parent() {
  const char* configured = std::getenv(std::string(defs::kPackageDirEnvironmentVariable).c_str());
  return configured != nullptr ? std::filesystem::path(configured)
                               : std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR);
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error(
        fmt::format("ingest_bench: cannot read {} (install the examples with "
                    "scripts/install_fhir_packages.sh)",
                    path.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The definitions, validator and extractor shared by every benchmark (loaded on first use;
// benchmarks run on one thread).
struct Engine {
  Engine()
      : definitions(defs::Definitions::open(package_parent())),
        validator(*definitions),
        invariant_validator(*definitions, with_invariants(*definitions)),
        extractor(*definitions) {}
  static validation::ValidatorOptions with_invariants(const defs::Definitions& definitions) {
    validation::ValidatorOptions options;
    options.invariant_evaluator = validation::make_fhirpath_invariant_evaluator(definitions);
    return options;
  }
  std::unique_ptr<defs::Definitions> definitions;
  validation::Validator validator;
  validation::Validator invariant_validator;
  indexing::IndexExtractor extractor;
};

Engine& engine() {
  static Engine shared;
  return shared;
}

// Index rows of a resource, or of each entry resource of a Bundle.
std::size_t extract_index(const indexing::IndexExtractor& extractor,
                          const nlohmann::json& resource) {
  std::size_t rows = 0;
  const auto count = [&rows](const indexing::Extraction& extraction) {
    const auto& r = extraction.rows;
    rows += r.strings.size() + r.tokens.size() + r.dates.size() + r.numbers.size() +
            r.quantities.size() + r.references.size() + r.uris.size();
  };
  if (resource.value("resourceType", std::string()) != "Bundle") {
    count(extractor.extract(resource));
    return rows;
  }
  for (const auto& entry : resource.value("entry", nlohmann::json::array())) {
    if (entry.contains("resource")) count(extractor.extract(entry["resource"]));
  }
  return rows;
}

enum class Step { Parse, ValidateText, ValidateInvariants, ExtractIndex, Prepare };

void BM_FhirIngest(benchmark::State& state, std::size_t example_index, Step step) {
  const Example& example = kExamples[example_index];
  const std::string text = read_text(package_parent() / "hl7.fhir.r5.examples" / example.file);
  const Engine& shared = engine();
  const validation::ValidationResult warm_up = shared.invariant_validator.validate_text(text);
  if (!warm_up.is_valid()) {
    state.SkipWithError(fmt::format("{} does not validate: {}", example.file,
                                    validation::to_operation_outcome(warm_up).dump())
                            .c_str());
    return;
  }
  const nlohmann::json parsed = nlohmann::json::parse(text);
  const std::size_t index_rows = extract_index(shared.extractor, parsed);
  for (auto _ : state) {
    switch (step) {
      case Step::Parse:
        benchmark::DoNotOptimize(nlohmann::json::parse(text));
        break;
      case Step::ValidateText:
        benchmark::DoNotOptimize(shared.validator.validate_text(text));
        break;
      case Step::ValidateInvariants:
        benchmark::DoNotOptimize(shared.invariant_validator.validate_text(text));
        break;
      case Step::ExtractIndex:
        benchmark::DoNotOptimize(extract_index(shared.extractor, parsed));
        break;
      case Step::Prepare:
        benchmark::DoNotOptimize(shared.invariant_validator.validate_text(text).is_valid());
        benchmark::DoNotOptimize(extract_index(shared.extractor, nlohmann::json::parse(text)));
        break;
    }
  }
  state.counters["resources/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["index_rows"] = static_cast<double>(index_rows);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
  state.SetLabel(std::string(example.file));
}

const bool kRegistered = [] {
  constexpr std::pair<std::string_view, Step> kSteps[] = {{"parse", Step::Parse},
                                                          {"validate_text", Step::ValidateText},
                                                          {"validate_invariants", Step::ValidateInvariants},
                                                          {"extract_index", Step::ExtractIndex},
                                                          {"prepare", Step::Prepare}};
  for (std::size_t e = 0; e < std::size(kExamples); ++e) {
    for (const auto& [step_name, step] : kSteps) {
      const std::string name = fmt::format("FhirIngest/{}/{}", kExamples[e].name, step_name);
      benchmark::RegisterBenchmark(name.c_str(), BM_FhirIngest, e, step)
          ->Unit(benchmark::kMicrosecond);
    }
  }
  return true;
}();

// Forwards everything to the display reporter chosen by --benchmark_format and keeps the
// resources/s of each FhirIngest run, keyed "example/step".
class IngestCollector final : public benchmark::BenchmarkReporter {
 public:
  explicit IngestCollector(benchmark::BenchmarkReporter& display) : display_(display) {}

  bool ReportContext(const Context& context) override { return display_.ReportContext(context); }
  void ReportRuns(const std::vector<Run>& runs) override {
    display_.ReportRuns(runs);
    constexpr std::string_view kPrefix = "FhirIngest/";
    for (const Run& run : runs) {
      const std::string& name = run.run_name.function_name;
      if (run.error_occurred || name.compare(0, kPrefix.size(), kPrefix) != 0) continue;
      const auto counter = run.counters.find("resources/s");
      if (counter == run.counters.end()) continue;
      const std::string key = name.substr(kPrefix.size());
      if (run.run_type == Run::RT_Iteration) figures_[key].push_back(counter->second.value);
      // With --benchmark_report_aggregates_only only the aggregates arrive.
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median") {
        medians_[key] = counter->second.value;
      }
    }
  }
  void Finalize() override { display_.Finalize(); }

  /// Median CPU microseconds per resource of "example/step", NaN when it did not run.
  [[nodiscard]] double us_per_resource(const std::string& key) const {
    if (const auto median = medians_.find(key); median != medians_.end()) {
      return 1e6 / median->second;
    }
    const auto found = figures_.find(key);
    if (found == figures_.end()) return NAN;
    std::vector<double> rates = found->second;
    std::sort(rates.begin(), rates.end());
    const std::size_t middle = rates.size() / 2;
    const double rate =
        rates.size() % 2 == 1 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2;
    return 1e6 / rate;
  }

 private:
  benchmark::BenchmarkReporter& display_;
  std::map<std::string, std::vector<double>> figures_;  // resources/s of each repetition
  std::map<std::string, double> medians_;               // Google Benchmark's median aggregate
};

void print_ratios(std::FILE* out, const IngestCollector& collector) {
  bool has_header = false;
  for (const Example& example : kExamples) {
    double us[5];
    std::size_t k = 0;
    for (const std::string_view step :
         {"parse", "validate_text", "validate_invariants", "extract_index", "prepare"}) {
      us[k++] = collector.us_per_resource(fmt::format("{}/{}", example.name, step));
    }
    if (std::isnan(us[0])) continue;  // filtered out or skipped
    if (!has_header) {
      fmt::print(out,
                 "\nFHIR ingest, CPU us per resource, and candidate / parse (same run)\n"
                 "{:<28} {:>9} {:>9} {:>10} {:>9} {:>9} {:>15} {:>16} {:>15} {:>13}\n",
                 "example", "parse", "validate", "invariants", "extract", "prepare",
                 "validate/parse", "invariants/parse", "extract/parse", "prepare/parse");
      has_header = true;
    }
    fmt::print(out,
               "{:<28} {:>9.1f} {:>9.1f} {:>10.1f} {:>9.1f} {:>9.1f} {:>15.2f} {:>16.2f} {:>15.2f} "
               "{:>13.2f}\n",
               example.name, us[0], us[1], us[2], us[3], us[4], us[1] / us[0], us[2] / us[0],
               us[3] / us[0], us[4] / us[0]);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bool is_console = ptwin::bench::is_console_format(argc, argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  ptwin::logging::set_level("warn");  // lifecycle lines (a store opened) would break the table
  benchmark::AddCustomContext("ptwin_build_type", PTWIN_BUILD_TYPE);
  benchmark::AddCustomContext("fhir_packages", package_parent().string());
  try {
    IngestCollector collector(*benchmark::CreateDefaultDisplayReporter());
    benchmark::RunSpecifiedBenchmarks(&collector);
    std::fflush(stdout);
    print_ratios(is_console ? stdout : stderr, collector);
  } catch (const std::exception& error) {
    fmt::print(stderr, "ingest_bench: {}\n", error.what());
    benchmark::Shutdown();
    return 1;
  }
  benchmark::Shutdown();
  return 0;
}
