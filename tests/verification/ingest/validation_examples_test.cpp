// SPDX-License-Identifier: Apache-2.0
// Validates every official example of the twin's resource types (docs/fhir.md#acceptance).
// The examples are published as valid, so an example rejected here is a validator bug unless
// the example itself contradicts the R5 definitions; those few are listed below with the
// element at fault, and the test fails if the list and the rejections differ in either
// direction.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "verification/verification_case.hpp"

namespace ptwin::ingest::fhir::validation {
namespace {

namespace defs = ::ptwin::ingest::fhir::definitions;

const std::filesystem::path kExamples =
    std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR) / "hl7.fhir.r5.examples";

// Examples that break a rule of the R5 definitions they claim to follow, with the element at
// fault. Each is a known erratum of the 5.0.0 examples, not a validator choice.
const std::map<std::string, std::string> kExampleErrata{
    // Encounter.careTeam is Reference(CareTeam); the example points at Encounter/example.
    {"Encounter-example.json", "Encounter.careTeam[0].reference"},
    // ImagingStudy.procedure is CodeableReference(PlanDefinition | ActivityDefinition); the
    // example points at Procedure/example.
    {"ImagingStudy-example-xr.json", "ImagingStudy.procedure[0].reference.reference"},
};

const testing::VerificationCase kCase{
    .id = "ingest.fhir.validation.official_examples",
    .source = "hl7.fhir.r5.examples 5.0.0 (npm), all examples of the 16 twin resource types",
    .quantity = "examples rejected (an error or fatal issue) that are not listed errata",
    .norm = "count",
    .tolerance = 0.0,
    .tolerance_reason =
        "the examples are normative illustrations: every unexplained rejection "
        "is a validator bug",
};

// Examples rejected only once invariants are evaluated, with the constraint at fault: an
// example that breaks a core invariant (checked by reading the expression, not assumed).
const std::map<std::string, std::string> kInvariantErrata{};

// Constraints the FHIRPath evaluator reports not evaluated on these examples, and why. eld-11
// (ElementDefinition, in the StructureDefinitions of the definition Bundles) is published as
// `type.code.contains(":")`: a double-quoted string is not FHIRPath (N1 grammar: STRING is
// single-quoted), so the expression does not compile.
const std::set<std::string> kNotEvaluated{"eld-11"};

const testing::VerificationCase kInvariantCase{
    .id = "ingest.fhir.validation.official_examples_invariants",
    .source = "hl7.fhir.r5.examples 5.0.0 (npm), all examples of the 16 twin resource types, "
              "validated with the FHIRPath invariants of hl7.fhir.r5.core 5.0.0",
    .quantity = "examples rejected with invariants on that are not listed errata",
    .norm = "count",
    .tolerance = 0.0,
    .tolerance_reason =
        "the examples are normative illustrations: every unexplained invariant failure is an "
        "engine or validator bug until the expression shows the example wrong",
};

std::string read(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

std::vector<std::filesystem::path> twin_examples() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kExamples)) {
    const auto name = entry.path().filename().string();
    for (const auto type : defs::kTwinResourceTypes) {
      if (name.starts_with(fmt::format("{}-", type)) && name.ends_with(".json")) {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

const Issue* first_error(const ValidationResult& result) {
  for (const auto& issue : result.issues) {
    if (issue.severity == IssueSeverity::Error || issue.severity == IssueSeverity::Fatal)
      return &issue;
  }
  return nullptr;
}

TEST(FhirOfficialExamples, AllTwinResourceExamplesValidateExceptListedErrata) {
  // Startup cost of a first validation: a fresh Definitions reads what one Observation needs.
  const auto first_start = std::chrono::steady_clock::now();
  {
    const auto fresh = defs::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
    const auto result =
        Validator(*fresh).validate_text(read(kExamples / "Observation-example.json"));
    EXPECT_TRUE(result.is_valid());
  }
  const auto first_done = std::chrono::steady_clock::now();
  const auto start = std::chrono::steady_clock::now();
  const auto definitions = defs::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  const auto preloaded = definitions->preload(defs::kTwinResourceTypes);
  const auto preloaded_bytes = definitions->statistics().bytes_parsed;
  const auto loaded = std::chrono::steady_clock::now();
  const Validator validator(*definitions);
  const auto files = twin_examples();
  ASSERT_GE(files.size(), 250U)
      << "examples package incomplete: run scripts/install_fhir_packages.sh";
  std::size_t accepted = 0;
  std::size_t unexplained = 0;
  std::size_t bytes = 0;
  std::map<std::string, std::string> rejected;
  for (const auto& file : files) {
    const auto text = read(file);
    bytes += text.size();
    const auto result = validator.validate_text(text);
    if (result.is_valid()) {
      ++accepted;
      continue;
    }
    const auto name = file.filename().string();
    rejected[name] = first_error(result)->expression;
    if (!kExampleErrata.contains(name)) {
      ++unexplained;
      for (const auto& issue : result.issues) {
        if (issue.severity == IssueSeverity::Information) continue;
        ADD_FAILURE() << name << ": " << to_code(issue.severity) << " " << to_code(issue.type)
                      << " " << issue.expression << ": " << issue.diagnostics;
      }
    }
  }
  const auto done = std::chrono::steady_clock::now();
  EXPECT_EQ(rejected, kExampleErrata);
  const auto milliseconds = [](auto from, auto to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
  };
  // Timings are recorded for docs/fhir.md, never asserted (STYLE.md §11).
  ::testing::Test::RecordProperty("examples_total", std::to_string(files.size()));
  ::testing::Test::RecordProperty("examples_accepted", std::to_string(accepted));
  ::testing::Test::RecordProperty("definitions_preloaded", std::to_string(preloaded));
  ::testing::Test::RecordProperty("definitions_load_ms",
                                  fmt::format("{:.1f}", milliseconds(start, loaded)));
  ::testing::Test::RecordProperty("validation_ms",
                                  fmt::format("{:.1f}", milliseconds(loaded, done)));
  ::testing::Test::RecordProperty("first_observation_ms",
                                  fmt::format("{:.1f}", milliseconds(first_start, first_done)));
  std::cout << fmt::format(
      "official examples: {}/{} accepted ({:.2f} %), {} listed errata\n"
      "first Observation with fresh definitions: {:.1f} ms\n"
      "definitions of the twin types: {} StructureDefinitions, {:.1f} MB, loaded in {:.1f} ms\n"
      "examples: {:.1f} MB validated in {:.1f} ms\n",
      accepted, files.size(),
      100.0 * static_cast<double>(accepted) / static_cast<double>(files.size()),
      kExampleErrata.size(), milliseconds(first_start, first_done), preloaded,
      static_cast<double>(preloaded_bytes) / 1e6, milliseconds(start, loaded),
      static_cast<double>(bytes) / 1e6, milliseconds(loaded, done));
  testing::record_verification(kCase, static_cast<double>(unexplained));
  EXPECT_LE(static_cast<double>(unexplained), kCase.tolerance);
}

// The specification's definitions published as example Bundles (StructureDefinitions,
// SearchParameters, value sets, ...): 57 MB of the 65 MB, and the bulk of the invariant cost
// (the ElementDefinition constraints eld-*), so their timing is reported apart.
const std::set<std::string> kDefinitionBundles{
    "Bundle-conceptmaps.json",      "Bundle-dataelements.json", "Bundle-profiles-others.json",
    "Bundle-resources.json",        "Bundle-searchParams.json", "Bundle-terminologies.json",
    "Bundle-types.json",            "Bundle-valuesets.json"};

// One pass over the examples held in memory (file reading is not timed).
struct ExamplesRun {
  std::size_t accepted = 0;
  std::map<std::string, std::string> rejected;  // file -> first error's expression
  std::vector<std::string> failures;            // every error of a rejected file
  // Constraint key -> number of examples where it was reported not evaluated, and -> number
  // of warnings it gave.
  std::map<std::string, std::size_t> not_evaluated;
  std::map<std::string, std::size_t> warnings;
  double definitions_ms = 0.0;  // the kDefinitionBundles
  double others_ms = 0.0;       // every other example
};

std::string constraint_key(const Issue& issue) {
  // Diagnostics start "constraint <key> failed" or "invariant <key> not evaluated".
  const auto start = issue.diagnostics.find(' ') + 1;
  return issue.diagnostics.substr(start, issue.diagnostics.find(' ', start) - start);
}

ExamplesRun validate_examples(const Validator& validator,
                              const std::vector<std::pair<std::string, std::string>>& examples) {
  ExamplesRun run;
  for (const auto& [name, text] : examples) {
    const auto start = std::chrono::steady_clock::now();
    const auto result = validator.validate_text(text);
    const auto elapsed_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count();
    (kDefinitionBundles.contains(name) ? run.definitions_ms : run.others_ms) += elapsed_ms;
    for (const auto& issue : result.issues) {
      if (issue.type == IssueType::NotSupported && issue.diagnostics.starts_with("invariant ")) {
        ++run.not_evaluated[constraint_key(issue)];
      } else if (issue.type == IssueType::Invariant && issue.severity == IssueSeverity::Warning) {
        ++run.warnings[constraint_key(issue)];
      }
    }
    if (result.is_valid()) {
      ++run.accepted;
      continue;
    }
    run.rejected[name] = first_error(result)->expression;
    for (const auto& issue : result.issues) {
      const bool is_error =
          issue.severity == IssueSeverity::Error || issue.severity == IssueSeverity::Fatal;
      if (!is_error) continue;
      run.failures.push_back(fmt::format("{}: {} {}: {}", name, to_code(issue.type),
                                         issue.expression, issue.diagnostics));
    }
  }
  return run;
}

// Time spent per constraint key, gathered around the evaluator (two clock reads per call,
// about 1 % of the invariant time).
class ConstraintProfile {
 public:
  void add(const std::string& key, double milliseconds) {
    const std::lock_guard lock(mutex_);
    auto& [total_ms, calls] = entries_[key];
    total_ms += milliseconds;
    ++calls;
  }
  /// The `count` most costly keys: "eld-20 3640 ms (22738 calls, 160 us each)".
  [[nodiscard]] std::string top(std::size_t count) const {
    std::vector<std::pair<double, std::string>> rows;
    for (const auto& [key, entry] : entries_) {
      rows.emplace_back(entry.first,
                        fmt::format("  {} {:.0f} ms ({} calls, {:.2f} us each)\n", key,
                                    entry.first, entry.second,
                                    1000.0 * entry.first / static_cast<double>(entry.second)));
    }
    std::sort(rows.rbegin(), rows.rend());
    std::string text;
    for (std::size_t i = 0; i < rows.size() && i < count; ++i) text += rows[i].second;
    return text;
  }
  [[nodiscard]] std::size_t calls() const {
    std::size_t total = 0;
    for (const auto& [key, entry] : entries_) total += entry.second;
    return total;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::pair<double, std::size_t>> entries_;
};

TEST(FhirOfficialExamples, AllTwinResourceExamplesSatisfyTheirInvariantsExceptListedErrata) {
  const auto milliseconds = [](auto from, auto to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
  };
  // Startup cost of a first validation with invariants: a fresh Definitions and cache.
  const auto first_start = std::chrono::steady_clock::now();
  {
    const auto fresh = defs::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
    ValidatorOptions fresh_options;
    fresh_options.invariant_evaluator = make_fhirpath_invariant_evaluator(*fresh);
    const auto result = Validator(*fresh, std::move(fresh_options))
                            .validate_text(read(kExamples / "Observation-example.json"));
    EXPECT_TRUE(result.is_valid());
  }
  const auto first_done = std::chrono::steady_clock::now();
  const auto definitions = defs::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  const auto load_start = std::chrono::steady_clock::now();
  (void)definitions->preload(defs::kTwinResourceTypes);
  const auto loaded = std::chrono::steady_clock::now();
  const FhirPathInvariants invariants(*definitions);
  const auto compiled = invariants.precompile(defs::kTwinResourceTypes);
  const auto precompiled = std::chrono::steady_clock::now();
  ConstraintProfile profile;
  ValidatorOptions options;
  options.invariant_evaluator = [&](const InvariantContext& context) {
    const auto start = std::chrono::steady_clock::now();
    auto verdict = invariants.evaluate(context);
    profile.add(context.constraint.key, milliseconds(start, std::chrono::steady_clock::now()));
    return verdict;
  };
  const Validator plain(*definitions);
  const Validator checked(*definitions, options);

  std::vector<std::pair<std::string, std::string>> examples;
  std::size_t bytes = 0;
  for (const auto& file : twin_examples()) {
    examples.emplace_back(file.filename().string(), read(file));
    bytes += examples.back().second.size();
  }
  ASSERT_GE(examples.size(), 250U)
      << "examples package incomplete: run scripts/install_fhir_packages.sh";
  // Baseline and candidate in the same run, on the same definitions (STYLE.md §11), after a
  // pass that loads every definition and value set the examples need, so that neither pays
  // for lazy loading.
  (void)validate_examples(plain, examples);
  const ExamplesRun baseline = validate_examples(plain, examples);
  const ExamplesRun with_invariants = validate_examples(checked, examples);

  auto expected = kExampleErrata;
  expected.insert(kInvariantErrata.begin(), kInvariantErrata.end());
  EXPECT_EQ(with_invariants.rejected, expected);
  std::size_t unexplained = 0;
  for (const auto& failure : with_invariants.failures) {
    if (expected.contains(failure.substr(0, failure.find(':')))) continue;
    ++unexplained;
    ADD_FAILURE() << failure;
  }
  std::string not_evaluated;
  std::set<std::string> not_evaluated_keys;
  for (const auto& [key, count] : with_invariants.not_evaluated) {
    not_evaluated += fmt::format(" {} ({})", key, count);
    not_evaluated_keys.insert(key);
  }
  EXPECT_EQ(not_evaluated_keys, kNotEvaluated);
  std::string warnings;
  for (const auto& [key, count] : with_invariants.warnings) {
    warnings += fmt::format(" {} ({})", key, count);
  }
  // Timings are recorded for docs/fhir.md, never asserted (STYLE.md §11).
  const auto record = [](const char* name, double value) {
    ::testing::Test::RecordProperty(name, fmt::format("{:.1f}", value));
  };
  ::testing::Test::RecordProperty("examples_accepted_with_invariants",
                                  std::to_string(with_invariants.accepted));
  ::testing::Test::RecordProperty("invariant_expressions_compiled", std::to_string(compiled));
  record("precompile_ms", milliseconds(loaded, precompiled));
  record("first_observation_with_invariants_ms", milliseconds(first_start, first_done));
  record("definition_bundles_ms_without_invariants", baseline.definitions_ms);
  record("definition_bundles_ms_with_invariants", with_invariants.definitions_ms);
  record("other_examples_ms_without_invariants", baseline.others_ms);
  record("other_examples_ms_with_invariants", with_invariants.others_ms);
  const double total_without = baseline.definitions_ms + baseline.others_ms;
  const double total_with = with_invariants.definitions_ms + with_invariants.others_ms;
  std::cout << fmt::format(
      "official examples with invariants: {}/{} accepted, {} listed errata\n"
      "first Observation with fresh definitions and invariants: {:.1f} ms\n"
      "twin types preloaded in {:.1f} ms; {} invariant expressions compiled in {:.1f} ms\n"
      "{:.1f} MB validated: {:.0f} ms without invariants, {:.0f} ms with (x{:.2f})\n"
      "  {} definition Bundles: {:.0f} ms -> {:.0f} ms (x{:.2f})\n"
      "  {} other examples: {:.0f} ms -> {:.0f} ms (x{:.2f})\n"
      "{} invariant evaluations; most costly:\n{}"
      "not evaluated (examples):{}\n"
      "warnings (count):{}\n",
      with_invariants.accepted, examples.size(), expected.size(),
      milliseconds(first_start, first_done), milliseconds(load_start, loaded),
      compiled, milliseconds(loaded, precompiled), static_cast<double>(bytes) / 1e6,
      total_without, total_with, total_with / total_without, kDefinitionBundles.size(),
      baseline.definitions_ms, with_invariants.definitions_ms,
      with_invariants.definitions_ms / baseline.definitions_ms,
      examples.size() - kDefinitionBundles.size(), baseline.others_ms, with_invariants.others_ms,
      with_invariants.others_ms / baseline.others_ms, profile.calls(), profile.top(8),
      not_evaluated, warnings);
  testing::record_verification(kInvariantCase, static_cast<double>(unexplained));
  EXPECT_LE(static_cast<double>(unexplained), kInvariantCase.tolerance);
}

TEST(FhirOfficialExamples, EachAcceptedExampleIsRejectedOnceAnUnknownElementIsAdded) {
  // Guards the acceptance rate against a validator that accepts too much.
  const auto definitions = defs::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  const Validator validator(*definitions);
  for (const auto& file : twin_examples()) {
    if (kExampleErrata.contains(file.filename().string())) continue;
    auto resource = nlohmann::json::parse(read(file));
    resource["notAnElement"] = true;
    const auto result = validator.validate(resource);
    const auto* issue = first_error(result);
    ASSERT_NE(issue, nullptr) << file.filename();
    EXPECT_EQ(issue->expression, resource.at("resourceType").get<std::string>() + ".notAnElement")
        << file.filename();
  }
}

}  // namespace
}  // namespace ptwin::ingest::fhir::validation
