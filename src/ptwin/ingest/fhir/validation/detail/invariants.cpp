// SPDX-License-Identifier: Apache-2.0
// Invariants are FHIRPath; this only hands them to the evaluator the caller supplied.
#include <fmt/format.h>

#include "ptwin/ingest/fhir/validation/detail/walk.hpp"

namespace ptwin::ingest::fhir::validation::detail {

void Walk::invariants(const defs::ElementDefinition& element, const defs::ElementDefinition* also,
                      const json& focus, const json* extension, std::string_view focus_type,
                      const std::string& path, const ResourceFrame& frame) {
  if (!options_.invariant_evaluator) return;
  std::vector<std::string_view> done;
  const auto evaluate = [&](const defs::Constraint& constraint) {
    if (constraint.expression.empty()) return;
    for (const auto key : done) {
      if (key == constraint.key) return;
    }
    done.push_back(constraint.key);
    const InvariantContext context{constraint, focus,          extension, focus_type,
                                   path,       frame.resource, root_};
    const auto verdict = options_.invariant_evaluator(context);
    if (verdict.outcome == InvariantOutcome::Violated) {
      const auto severity =
          constraint.severity == "warning" ? IssueSeverity::Warning : IssueSeverity::Error;
      auto diagnostics = fmt::format("{}: {}", constraint.key, constraint.human);
      if (!verdict.detail.empty()) diagnostics += fmt::format(" ({})", verdict.detail);
      add(severity, IssueType::Invariant, path, std::move(diagnostics));
    } else if (verdict.outcome == InvariantOutcome::NotEvaluated) {
      add(IssueSeverity::Information, IssueType::NotSupported, path,
          fmt::format("invariant {} not evaluated: {}", constraint.key,
                      verdict.detail.empty() ? "no reason given" : verdict.detail));
    }
  };
  for (const auto& constraint : element.constraints) evaluate(constraint);
  if (also != nullptr) {
    for (const auto& constraint : also->constraints) evaluate(constraint);
  }
}

}  // namespace ptwin::ingest::fhir::validation::detail
