// SPDX-License-Identifier: Apache-2.0
#pragma once
// Validation issues and their OperationOutcome form. Severity and type codes are those of the
// R5 value sets issue-severity and issue-type; `expression` is a FHIRPath-style location such
// as "Observation.component[1].valueQuantity.unit" (choice elements keep their JSON name, array
// items their index).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ptwin::ingest::fhir::validation {

enum class IssueSeverity { Fatal, Error, Warning, Information };

/// The R5 IssueType codes the validator reports (http://hl7.org/fhir/issue-type).
enum class IssueType {
  Invalid,        // "invalid": content not valid in general
  Structure,      // "structure": unknown element, wrong JSON shape, array vs single value
  Required,       // "required": a required element is missing
  Value,          // "value": an element value breaks its type's lexical rule
  Invariant,      // "invariant": a constraint (FHIRPath) is violated
  CodeInvalid,    // "code-invalid": a code is not in the required value set
  NotFound,       // "not-found": a reference that must resolve does not
  NotSupported,   // "not-supported": something could not be checked (value set not expandable)
  TooCostly,      // "too-costly": the content is too deep or too large to check
  Informational,  // "informational"
};

struct Issue {
  IssueSeverity severity = IssueSeverity::Error;
  IssueType type = IssueType::Invalid;
  std::string expression;   // FHIRPath-style location
  std::string diagnostics;  // the rule broken, naming the offending value
  std::string value;        // the offending value as text (printable, cut), empty when none
};

struct ValidationResult {
  std::vector<Issue> issues;
  /// False when no invariant evaluator was given: constraints were not checked.
  bool invariants_evaluated = false;

  /// No fatal or error issue.
  [[nodiscard]] bool is_valid() const noexcept;
  [[nodiscard]] std::size_t count(IssueSeverity severity) const noexcept;
};

[[nodiscard]] std::string_view to_code(IssueSeverity severity) noexcept;
[[nodiscard]] std::string_view to_code(IssueType type) noexcept;

/// An R5 OperationOutcome resource for the result: one issue per finding with severity, code,
/// diagnostics and expression; a single "informational" issue when there are none (issue is
/// 1..*).
[[nodiscard]] nlohmann::json to_operation_outcome(const ValidationResult& result);

/// Throws InputError (BadInput) for the first fatal or error issue: where = `source` + the
/// issue's expression, value = the offending value, rule = the diagnostics plus a count of the
/// other errors. Does nothing for a valid result.
void throw_if_invalid(const ValidationResult& result, std::string_view source);

}  // namespace ptwin::ingest::fhir::validation
