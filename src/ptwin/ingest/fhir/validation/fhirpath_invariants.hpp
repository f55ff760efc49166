// SPDX-License-Identifier: Apache-2.0
#pragma once
// FHIR invariants (ElementDefinition.constraint.expression) evaluated with ptwin's FHIRPath
// engine: the InvariantEvaluator that the Validator calls for every constraint of every
// element occurrence (docs/fhir.md#invariants).
//
//   const auto definitions = definitions::Definitions::open();
//   validation::ValidatorOptions options;
//   options.invariant_evaluator = validation::make_fhirpath_invariant_evaluator(*definitions);
//   const validation::Validator validator(*definitions, std::move(options));
//
// Verdicts (FHIR R5 conformance-rules.html#constraints: the expression is "a FHIRPath
// expression that must evaluate to true when run on the element"):
//   - true                                  -> Satisfied
//   - false, or an empty collection         -> Violated (empty is not true; FHIRPath N1
//                                              §"Singleton Evaluation of Collections" leaves
//                                              an empty result empty, it does not make it true)
//   - one item that is not a Boolean        -> Satisfied (the same section: a single item
//                                              where a Boolean is expected evaluates to true)
//   - several items, an EvaluationError, an expression the engine cannot compile, a function
//     it does not support (memberOf, subsumes, conformsTo of a non-core profile, ...)
//                                           -> NotEvaluated, with the engine's message.
// trace() output is added to a violation's detail (R5 fhirpath.html: "the log contents should
// be added to the error message constructed when the invariant is violated").
// The work of each evaluation is charged to the validation's InvariantBudget (the elements the
// engine's navigation produces, the Bundle entries resolve() looks at); once it is spent the
// answer is NotEvaluated ("too costly"), which keeps crafted resources from making quadratic
// constraints (ref-1, dom-3) run for minutes.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/fhirpath/fhirpath.hpp"
#include "ptwin/ingest/fhir/indexing/definition_types.hpp"
#include "ptwin/ingest/fhir/fhirpath/cached_type_info.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"

namespace ptwin::ingest::fhir::validation {

struct FhirPathInvariantOptions {
  /// Source of now(), today() and timeOfDay(). Without one, an invariant that calls them is
  /// NotEvaluated (no core R5 invariant does; profiles may).
  const time::Clock* clock = nullptr;
  /// Resolves references that are neither contained nor entries of the Bundle being
  /// validated (for example a server's store); must be safe to call from several threads.
  /// Without one, resolve() finds nothing for them and the invariants that follow such a
  /// reference see an empty collection.
  const fhirpath::ReferenceResolver* references = nullptr;
};

/// What the expression cache holds.
struct InvariantCacheStatistics {
  std::size_t expressions = 0;  // distinct expression texts seen
  std::size_t unparseable = 0;  // of those, texts the engine could not compile
};

/// Compiles each distinct constraint expression once, on first use, and evaluates it with
/// the focus element as %context and $this, %resource and %rootResource from the context, and
/// the Definitions as the FHIRPath type model.
///
/// Thread-safety: evaluate() and precompile() may be called from several threads at once (the
/// cache takes a shared lock to read, an exclusive one to add an expression). `definitions`
/// must outlive this object.
class FhirPathInvariants {
 public:
  explicit FhirPathInvariants(const definitions::Definitions& definitions,
                              FhirPathInvariantOptions options = {});
  FhirPathInvariants(const FhirPathInvariants&) = delete;
  FhirPathInvariants& operator=(const FhirPathInvariants&) = delete;
  ~FhirPathInvariants();

  /// The verdict on one constraint at one element occurrence. Never throws for a bad or
  /// unsupported expression (NotEvaluated says why).
  [[nodiscard]] InvariantVerdict evaluate(const InvariantContext& context) const;

  /// Compiles the constraints of `types` and of every type their elements use, transitively
  /// (loading their StructureDefinitions), so that a first validation does not pay for it.
  /// Returns the number of expressions compiled by this call. Throws what
  /// Definitions::find_structure throws for a broken definition.
  std::size_t precompile(std::span<const std::string_view> types) const;

  [[nodiscard]] InvariantCacheStatistics statistics() const;

 private:
  struct Compiled {
    std::optional<fhirpath::Expression> expression;  // empty: could not compile
    std::string error;                               // why not
  };
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };

  /// The cache entry for `text`, compiled on first use; `is_new` (optional) says whether this
  /// call compiled it.
  const Compiled& compiled(const std::string& text, bool* is_new = nullptr) const;

  const definitions::Definitions& definitions_;
  FhirPathInvariantOptions options_;
  indexing::DefinitionTypes definition_types_;
  fhirpath::CachedTypeInfo types_{definition_types_};  // what the engine asks
  mutable std::shared_mutex mutex_;
  // Nodes of an unordered_map do not move, so references to a Compiled stay valid.
  mutable std::unordered_map<std::string, Compiled, TextHash, std::equal_to<>> cache_;
};

/// An InvariantEvaluator for ValidatorOptions backed by one FhirPathInvariants, which the
/// returned function (and its copies) own. Thread-safe; `definitions` must outlive it.
[[nodiscard]] InvariantEvaluator make_fhirpath_invariant_evaluator(
    const definitions::Definitions& definitions, FhirPathInvariantOptions options = {});

}  // namespace ptwin::ingest::fhir::validation
