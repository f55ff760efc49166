// SPDX-License-Identifier: Apache-2.0
#pragma once
// FHIRPath 2.0.0 (http://hl7.org/fhirpath/N1) with the FHIR R5 additions
// (https://hl7.org/fhir/R5/fhirpath.html), evaluated over FHIR JSON held in nlohmann::json.
// Used to extract search-parameter values from the official SearchParameter expressions and to
// evaluate SubscriptionTopic criteria. What is covered and what is not: docs/fhirpath.md.
//
//   const auto expression = fhirpath::Expression::compile("Patient.name.where(use =
//   'official').family"); fhirpath::EvaluationOptions options; options.types = &definitions;   // a
//   TypeInfoProvider const fhirpath::Collection family = fhirpath::evaluate(expression,
//   patient_json, options);
//
// A compiled Expression is immutable and may be evaluated from several threads at once.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/fhirpath/ast.hpp"
#include "ptwin/ingest/fhir/fhirpath/errors.hpp"
#include "ptwin/ingest/fhir/fhirpath/type_info.hpp"
#include "ptwin/ingest/fhir/fhirpath/value.hpp"

namespace ptwin::ingest::fhir::fhirpath {

/// Finds the resource a reference names, for resolve() (after contained resources and the
/// entries of a Bundle being evaluated, which the engine finds itself).
class ReferenceResolver {
 public:
  ReferenceResolver() = default;
  ReferenceResolver(const ReferenceResolver&) = delete;
  ReferenceResolver& operator=(const ReferenceResolver&) = delete;
  virtual ~ReferenceResolver() = default;
  /// The resource for `reference` ("Patient/123" or an absolute URL), or nullptr when unknown.
  /// The JSON must stay alive as long as the evaluation's result is used.
  [[nodiscard]] virtual const nlohmann::json* resolve(std::string_view reference) const = 0;
};

/// Receives trace() output. The values may hold patient data: a sink must not log them.
using TraceSink = std::function<void(std::string_view name, const Collection& values)>;

struct EvaluationOptions {
  /// The FHIR type model; without it, navigation is by JSON key and `is`/`ofType()` know only
  /// the resource types, System types and primitive specialisations (code is a string, ...).
  const TypeInfoProvider* types = nullptr;
  /// Source of now(), today() and timeOfDay(); without one they throw EvaluationError.
  const time::Clock* clock = nullptr;
  /// The offset (local time minus UTC) that now() reports its date-time in.
  std::chrono::minutes local_offset{0};
  /// An element name that a known type does not define is an error instead of an empty result
  /// (needs `types`). Off by default: the official SearchParameter expressions apply one
  /// expression to many resource types (`Appointment.start | Observation.effective`).
  bool strict_paths = false;
  /// resolve() for references that are not contained and not in the Bundle being evaluated.
  const ReferenceResolver* references = nullptr;
  /// Named policy for search indexing: a relative reference "Type/id" that cannot be resolved
  /// becomes a stub resource {resourceType, id}, so that `where(resolve() is Patient)` can test
  /// the reference's type without fetching it. Off: such a reference resolves to nothing.
  bool stub_unresolved_references = false;
  /// Where trace() sends its values; trace() passes its input through unchanged without one.
  TraceSink trace;
  /// Environment variables, read as %name.
  std::map<std::string, Collection, std::less<>> variables;
  /// Elements that navigation (member access, children(), descendants(), extension()) may
  /// still produce; each one produced is subtracted, and the evaluation throws EvaluationError
  /// ("too costly") once none is left. nullptr: no limit. Several evaluations may share one
  /// counter, one at a time, so that a caller bounds their total work on untrusted data:
  /// FHIR invariants run at every element, and some navigate the whole resource each time
  /// (ref-1: `%rootResource.contained.id` for every Reference).
  std::size_t* navigation_budget = nullptr;
};

/// A parsed and checked expression.
class Expression {
 public:
  /// Parses `text` and checks that every function exists and has an allowed number of
  /// arguments. Throws ParseError naming the expression and the position.
  [[nodiscard]] static Expression compile(std::string_view text);

  /// This expression without the top-level union branches (`A.x | B.y | ...`) that start at a
  /// known type other than `type` and its bases, which select nothing on a `type` resource.
  /// The result is equivalent on resources of `type`, and cheaper; text() is unchanged.
  [[nodiscard]] Expression for_resource_type(std::string_view type,
                                             const TypeInfoProvider& types) const;

  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  [[nodiscard]] const AstNode& root() const noexcept { return *root_; }

 private:
  Expression(std::string text, std::shared_ptr<const AstNode> root)
      : text_(std::move(text)), root_(std::move(root)) {}
  std::string text_;
  std::shared_ptr<const AstNode> root_;  // immutable; copies of an Expression share it
};

/// Where an evaluation starts: the focus (%context and the first $this) and the resources
/// that %resource and %rootResource name.
struct EvaluationContext {
  Collection focus;
  const nlohmann::json* resource = nullptr;
  /// The resource that contains `resource` when it is a contained one; `resource` if null.
  const nlohmann::json* root_resource = nullptr;
};

/// A Node for a whole resource; its type is its resourceType.
[[nodiscard]] Node resource_node(const nlohmann::json& resource);

/// Evaluates against a resource (which is the focus, %context, %resource and %rootResource).
/// Throws EvaluationError (see errors.hpp); the result points into `resource`.
[[nodiscard]] Collection evaluate(const Expression& expression, const nlohmann::json& resource,
                                  const EvaluationOptions& options = {});
[[nodiscard]] Collection evaluate(const Expression& expression, const EvaluationContext& context,
                                  const EvaluationOptions& options = {});

}  // namespace ptwin::ingest::fhir::fhirpath
