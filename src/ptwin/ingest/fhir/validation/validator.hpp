// SPDX-License-Identifier: Apache-2.0
#pragma once
// Validates FHIR R5 JSON resources against the core StructureDefinitions (docs/fhir.md):
//   - JSON shape: objects, arrays exactly where max > 1, no empty objects/arrays/strings,
//     null only inside primitive arrays paired with a "_name" entry, resourceType known and
//     concrete;
//   - unknown elements, cardinality (min/max), choice types (one value[x], of an allowed type);
//   - primitive lexical forms and JSON kinds, "_name" primitive extension siblings;
//   - complex datatypes recursively, contained resources and Bundle.entry.resource;
//   - required bindings (code, Coding with system, CodeableConcept, Quantity) against value
//     sets expanded from the package; a value set that cannot be expanded is reported as
//     "not-supported" information, never as a pass or a failure;
//   - references: literal format, target type against targetProfile, #contained and Bundle
//     resolution (urn:uuid references of a transaction must resolve to an entry fullUrl);
//   - fixed[x] / pattern[x] values where a definition has them.
// Invariants (ElementDefinition.constraint, FHIRPath) are checked only through the optional
// InvariantEvaluator: without one they are skipped and the result says so.
// make_fhirpath_invariant_evaluator (fhirpath_invariants.hpp) is the FHIRPath-backed one.
//
// Profiles (meta.profile) are not applied: a resource is checked against its base type.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/issue.hpp"

namespace ptwin::ingest::fhir::validation {

/// Work an invariant evaluator may still spend within one validation, in the evaluator's own
/// unit (the FHIRPath evaluator counts the elements its navigation produces, and the Bundle
/// entries resolve() looks at).
/// The validator grants ValidatorOptions::invariant_work_per_element for every element
/// occurrence it walks, before evaluating that element's invariants, so that the time spent on
/// invariants grows at most linearly with the resource whatever the constraints do (dom-3
/// visits the whole resource once per contained resource). Once an evaluation finds it
/// exhausted it stays spent for the rest of the validation (an evaluation may do a little work
/// before it finds out; refilling would let every later one do that again), and the evaluator
/// answers NotEvaluated.
struct InvariantBudget {
  std::size_t remaining = 0;
  bool is_spent = false;
};

/// What an invariant evaluator receives for one constraint on one element occurrence.
struct InvariantContext {
  const definitions::Constraint& constraint;
  /// The element: a JSON object for complex types and resources; for a primitive, its JSON
  /// value (null when only the "_name" companion is present).
  const nlohmann::json& focus;
  /// The "_name" companion of a primitive (id, extension), nullptr when absent or complex.
  const nlohmann::json* focus_extension;
  /// FHIR type of the focus as FHIRPath names it: "Quantity", "code", "Observation"; for an
  /// inline backbone element the path that defines its content ("Observation.component").
  std::string_view focus_type;
  std::string_view expression;     // location of the focus, e.g. "Observation.component[0]"
  const nlohmann::json& resource;  // %resource: the resource holding the focus
  /// %rootResource: the container when %resource is a contained resource, else %resource
  /// itself (also for a Bundle entry: an entry is not contained in its Bundle).
  const nlohmann::json& root_resource;
  /// The innermost Bundle that holds %rootResource as an entry, nullptr when none: resolve()
  /// finds the other entries through it.
  const nlohmann::json* bundle = nullptr;
  /// The validation's remaining invariant work; nullptr: no limit. Only the validating thread
  /// uses it.
  InvariantBudget* budget = nullptr;
};

enum class InvariantOutcome { Satisfied, Violated, NotEvaluated };

struct InvariantVerdict {
  InvariantOutcome outcome = InvariantOutcome::NotEvaluated;
  /// Why it could not be evaluated, or extra detail on a violation; may be empty.
  std::string detail;
};

/// Evaluates one FHIRPath constraint. Must not throw for an expression it cannot handle:
/// answer NotEvaluated with the reason (reported as an "information" issue).
using InvariantEvaluator = std::function<InvariantVerdict(const InvariantContext&)>;

struct ValidatorOptions {
  /// Empty: invariants are not evaluated (ValidationResult::invariants_evaluated is false).
  /// Called on the validating thread; must be safe to call concurrently when one Validator
  /// serves several threads.
  InvariantEvaluator invariant_evaluator;
  /// Invariant work granted per element occurrence (InvariantBudget). The official R5
  /// examples need 16 with the FHIRPath evaluator (8 leaves dom-3 unevaluated in three of
  /// them); 64 keeps a margin while bounding a hostile resource's invariant time to a few tens
  /// of microseconds per element (docs/fhir.md#invariants).
  std::size_t invariant_work_per_element = 64;
  /// Report each required binding whose value set cannot be expanded (information, once per
  /// value set per validation).
  bool report_unchecked_bindings = true;
  /// Validation stops adding errors after this many (a "too-costly" error says so), and
  /// stops listing warnings and information issues after this many (a "too-costly"
  /// information issue counts the rest): many warnings never make a resource invalid.
  /// "not-supported" notes (once per value set or constraint) are always listed.
  std::size_t max_issues = 500;
  /// Deeper JSON nesting is reported as "too-costly" and not descended into: protects the
  /// stack from hostile input. R5 resources nest to about 12 levels; nested extensions and
  /// contained Bundles add a few.
  std::size_t max_depth = 64;
};

/// Checks resources against the definitions it is given. Holds no per-call state: one
/// Validator may serve several threads (Definitions loads lazily under its own lock).
class Validator {
 public:
  explicit Validator(const definitions::Definitions& definitions, ValidatorOptions options = {});

  /// Validates one resource (any R5 resource type; Bundle entries and contained resources
  /// included).
  [[nodiscard]] ValidationResult validate(const nlohmann::json& resource) const;

  /// Parses `json_text` first: text that is not JSON gives one "fatal" structure issue naming
  /// the byte offset, and duplicate property names (not allowed in FHIR JSON) give errors.
  [[nodiscard]] ValidationResult validate_text(std::string_view json_text) const;
  /// The same, handing the parsed document to `parsed` (left discarded when the text is not
  /// JSON), so that a caller that needs the JSON as well parses it once.
  [[nodiscard]] ValidationResult validate_text(std::string_view json_text,
                                               nlohmann::json& parsed) const;

 private:
  const definitions::Definitions& definitions_;
  ValidatorOptions options_;
};

}  // namespace ptwin::ingest::fhir::validation
