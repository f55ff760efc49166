// SPDX-License-Identifier: Apache-2.0
// Validates every official example of the twin's resource types (docs/fhir.md#acceptance).
// The examples are published as valid, so an example rejected here is a validator bug unless
// the example itself contradicts the R5 definitions; those few are listed below with the
// element at fault, and the test fails if the list and the rejections differ in either
// direction.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"
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
