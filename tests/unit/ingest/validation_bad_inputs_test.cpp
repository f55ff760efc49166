// SPDX-License-Identifier: Apache-2.0
// Every file in tests/data/bad_inputs/fhir_resources/ is an invalid resource; expected.json says
// which issue code and element path (FHIRPath-style expression) its OperationOutcome must name,
// and which offending value its diagnostics must quote. The first error must be that issue, so
// that throw_if_invalid reports the right element. Invariants are evaluated, as in the FHIR
// facade, so the corpus also holds resources that break only a FHIRPath constraint.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"

namespace ptwin::ingest::fhir::validation {
namespace {

using nlohmann::json;

const std::filesystem::path kCaseDir =
    std::filesystem::path(PTWIN_SOURCE_DIR) / "tests/data/bad_inputs/fhir_resources";

std::string read(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

json expectations() { return json::parse(read(kCaseDir / "expected.json")); }

TEST(FhirBadInputs, EveryCaseFileHasAnExpectationAndViceVersa) {
  const auto expected = expectations();
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kCaseDir)) {
    const auto name = entry.path().filename().string();
    if (!name.ends_with(".json") || name == "expected.json") continue;
    ++files;
    EXPECT_TRUE(expected.contains(name)) << name << " has no entry in expected.json";
  }
  EXPECT_EQ(files, expected.size());
  EXPECT_GE(files, 40U);
}

TEST(FhirBadInputs, EachGivesAnOperationOutcomeNamingTheElement) {
  const auto definitions =
      definitions::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  ValidatorOptions options;
  options.invariant_evaluator = make_fhirpath_invariant_evaluator(*definitions);
  const Validator validator(*definitions, std::move(options));
  const auto cases = expectations();
  for (const auto& [name, expected] : cases.items()) {
    SCOPED_TRACE(name);
    const auto result = validator.validate_text(read(kCaseDir / name));
    EXPECT_FALSE(result.is_valid());
    const auto outcome = to_operation_outcome(result);
    ASSERT_EQ(outcome.at("resourceType"), "OperationOutcome");
    const json* first_error = nullptr;
    for (const auto& issue : outcome.at("issue")) {
      if (issue.at("severity") == "error" || issue.at("severity") == "fatal") {
        first_error = &issue;
        break;
      }
    }
    ASSERT_NE(first_error, nullptr) << outcome.dump(2);
    EXPECT_EQ(first_error->at("code"), expected.at("code")) << outcome.dump(2);
    const auto& wanted_expression = expected.at("expression");
    if (wanted_expression.is_string() && !wanted_expression.get<std::string>().empty()) {
      ASSERT_TRUE(first_error->contains("expression")) << outcome.dump(2);
      EXPECT_EQ(first_error->at("expression").at(0), wanted_expression) << outcome.dump(2);
    }
    if (expected.contains("value")) {
      EXPECT_NE(first_error->at("diagnostics")
                    .get<std::string>()
                    .find(expected.at("value").get<std::string>()),
                std::string::npos)
          << outcome.dump(2);
    }
  }
}

}  // namespace
}  // namespace ptwin::ingest::fhir::validation
