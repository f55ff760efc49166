// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: FHIR R5 resource validation (JSON text -> issues -> OperationOutcome).
// Validation must never throw for any input: every problem is an issue. A finding is any
// exception, a crash or sanitizer report, an issue without diagnostics, an error without an
// element path (only unparseable text has none), a control character in an OperationOutcome
// string, or an OperationOutcome that the validator itself rejects.
//
// The definitions come from PTWIN_FHIR_PACKAGE_DIR (environment), else from the folder the
// build was configured with. Seeds: tests/data/bad_inputs/fhir_resources/ and, for coverage of
// valid content, a few files of .cache/fhir/hl7.fhir.r5.examples/ (docs/fhir.md#fuzzing).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"

namespace {

namespace defs = ptwin::ingest::fhir::definitions;
namespace validation = ptwin::ingest::fhir::validation;

const defs::Definitions& definitions() {
  static const auto loaded = [] {
    if (std::getenv(std::string(defs::kPackageDirEnvironmentVariable).c_str()) != nullptr) {
      return defs::Definitions::open();
    }
    return defs::Definitions::open(std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  }();
  return *loaded;
}

bool has_control_character(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return true;
  }
  return false;
}

void check_result(const validation::ValidationResult& result) {
  for (const auto& issue : result.issues) {
    if (issue.diagnostics.empty()) std::abort();
    const bool is_error = issue.severity == validation::IssueSeverity::Error ||
                          issue.severity == validation::IssueSeverity::Fatal;
    const bool is_unparseable = issue.severity == validation::IssueSeverity::Fatal &&
                                issue.type == validation::IssueType::Structure;
    if (is_error && issue.expression.empty() && !is_unparseable &&
        issue.type != validation::IssueType::TooCostly) {
      std::abort();
    }
    if (has_control_character(issue.expression) || has_control_character(issue.diagnostics)) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const validation::Validator validator(definitions());
  const auto result = validator.validate_text(text);
  check_result(result);
  const auto outcome = validation::to_operation_outcome(result);
  if (!validator.validate(outcome).is_valid()) std::abort();
  return 0;
}
