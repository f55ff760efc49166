// SPDX-License-Identifier: Apache-2.0
// Invariants are FHIRPath; this only hands them to the evaluator the caller supplied
// (fhirpath_invariants.hpp provides one) and turns its verdicts into issues.
#include <algorithm>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "ptwin/ingest/fhir/validation/detail/walk.hpp"

namespace ptwin::ingest::fhir::validation::detail {

void Walk::invariants(const defs::ElementDefinition& element, const defs::ElementDefinition* also,
                      const json& focus, const json* extension, std::string_view focus_type,
                      const std::string& path, const ResourceFrame& frame) {
  if (!options_.invariant_evaluator) return;
  if (!invariant_budget_.is_spent) {
    invariant_budget_.remaining += options_.invariant_work_per_element;
  }
  std::vector<std::string_view> done;
  // Verdicts of this occurrence by expression: txt-1 and txt-2 are both "htmlChecks()".
  std::vector<std::pair<std::string_view, InvariantVerdict>> verdicts;
  const auto evaluate = [&](const defs::Constraint& constraint) {
    if (constraint.expression.empty()) return;
    for (const auto key : done) {
      if (key == constraint.key) return;
    }
    done.push_back(constraint.key);
    const auto earlier = std::find_if(verdicts.begin(), verdicts.end(), [&](const auto& entry) {
      return entry.first == constraint.expression;
    });
    const auto index = static_cast<std::size_t>(earlier - verdicts.begin());
    if (index == verdicts.size()) {
      const json& root = frame.root_resource != nullptr ? *frame.root_resource : frame.resource;
      const InvariantContext context{constraint, focus, extension,          focus_type,
                                     path,       frame.resource, root, frame.bundle,
                                     &invariant_budget_};
      verdicts.emplace_back(constraint.expression, options_.invariant_evaluator(context));
    }
    const InvariantVerdict& verdict = verdicts[index].second;
    if (verdict.outcome == InvariantOutcome::Violated) {
      // conformance-rules.html#constraints: error = "a rule that all resources must conform
      // to"; warning = "there may be a problem ..., but it is considered valid".
      const auto severity =
          constraint.severity == "warning" ? IssueSeverity::Warning : IssueSeverity::Error;
      auto diagnostics = fmt::format("constraint {} failed: {}", constraint.key, constraint.human);
      if (!verdict.detail.empty()) diagnostics += fmt::format(" ({})", verdict.detail);
      diagnostics += fmt::format(" [FHIRPath: {}]", constraint.expression);
      add(severity, IssueType::Invariant, path, std::move(diagnostics));
    } else if (verdict.outcome == InvariantOutcome::NotEvaluated) {
      // Once per constraint and validation: an unevaluable ele-1 would otherwise be reported
      // at every element.
      if (!unevaluated_invariants_.insert(constraint.key).second) return;
      add(IssueSeverity::Information, IssueType::NotSupported, path,
          fmt::format("invariant {} not evaluated (reported at its first occurrence only): {}",
                      constraint.key,
                      verdict.detail.empty() ? "no reason given" : verdict.detail));
    }
  };
  for (const auto& constraint : element.constraints) evaluate(constraint);
  if (also != nullptr) {
    for (const auto& constraint : also->constraints) evaluate(constraint);
  }
}

}  // namespace ptwin::ingest::fhir::validation::detail
