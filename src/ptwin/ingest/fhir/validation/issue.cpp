// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/validation/issue.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::fhir::validation {
namespace {

bool is_error(const Issue& issue) {
  return issue.severity == IssueSeverity::Fatal || issue.severity == IssueSeverity::Error;
}

}  // namespace

bool ValidationResult::is_valid() const noexcept {
  return std::none_of(issues.begin(), issues.end(), is_error);
}

std::size_t ValidationResult::count(IssueSeverity severity) const noexcept {
  return static_cast<std::size_t>(
      std::count_if(issues.begin(), issues.end(),
                    [&](const Issue& issue) { return issue.severity == severity; }));
}

std::string_view to_code(IssueSeverity severity) noexcept {
  switch (severity) {
    case IssueSeverity::Fatal:
      return "fatal";
    case IssueSeverity::Error:
      return "error";
    case IssueSeverity::Warning:
      return "warning";
    case IssueSeverity::Information:
      return "information";
  }
  return "error";
}

std::string_view to_code(IssueType type) noexcept {
  switch (type) {
    case IssueType::Invalid:
      return "invalid";
    case IssueType::Structure:
      return "structure";
    case IssueType::Required:
      return "required";
    case IssueType::Value:
      return "value";
    case IssueType::Invariant:
      return "invariant";
    case IssueType::CodeInvalid:
      return "code-invalid";
    case IssueType::NotFound:
      return "not-found";
    case IssueType::NotSupported:
      return "not-supported";
    case IssueType::TooCostly:
      return "too-costly";
    case IssueType::Informational:
      return "informational";
  }
  return "invalid";
}

nlohmann::json to_operation_outcome(const ValidationResult& result) {
  nlohmann::json issues = nlohmann::json::array();
  for (const auto& issue : result.issues) {
    nlohmann::json entry{{"severity", to_code(issue.severity)}, {"code", to_code(issue.type)}};
    if (!issue.diagnostics.empty()) entry["diagnostics"] = issue.diagnostics;
    if (!issue.expression.empty()) entry["expression"] = nlohmann::json::array({issue.expression});
    issues.push_back(std::move(entry));
  }
  if (issues.empty()) {
    issues.push_back({{"severity", "information"},
                      {"code", "informational"},
                      {"diagnostics", result.invariants_evaluated
                                          ? "no issues found"
                                          : "no issues found (invariants not evaluated)"}});
  }
  return {{"resourceType", "OperationOutcome"}, {"issue", std::move(issues)}};
}

void throw_if_invalid(const ValidationResult& result, std::string_view source) {
  const auto first = std::find_if(result.issues.begin(), result.issues.end(), is_error);
  if (first == result.issues.end()) return;
  const auto errors = result.count(IssueSeverity::Fatal) + result.count(IssueSeverity::Error);
  auto rule = first->diagnostics;
  if (errors > 1) rule += fmt::format(" (and {} more error{})", errors - 1, errors > 2 ? "s" : "");
  throw InputError(ErrorCode::BadInput, fmt::format("{}: {}", source, first->expression),
                   first->value, rule);
}

}  // namespace ptwin::ingest::fhir::validation
