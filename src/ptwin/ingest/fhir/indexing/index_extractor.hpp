// SPDX-License-Identifier: Apache-2.0
#pragma once
// Extracts the resource store's index rows from a resource by evaluating the official R5
// SearchParameter expressions (Definitions::search_parameters) with the FHIRPath engine and
// mapping each selected value by the parameter's type (value_rows.hpp).
//
//   const IndexExtractor extractor(definitions);
//   const Extraction extraction = extractor.extract(patient_json);
//   store.create({.resource_type = "Patient", .json = text, .index = extraction.rows});
//
// Parameters the store answers itself (_id, _lastUpdated), types it does not index
// (composite, special, resource) and parameters whose processingMode is not "normal" (_in,
// phonetic) are not extracted.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/fhirpath/cached_type_info.hpp"
#include "ptwin/ingest/fhir/fhirpath/fhirpath.hpp"
#include "ptwin/ingest/fhir/indexing/definition_types.hpp"
#include "ptwin/ingest/fhir/indexing/value_rows.hpp"
#include "ptwin/store/fhir/index_rows.hpp"
#include "ptwin/store/fhir/search_query.hpp"

namespace ptwin::ingest::fhir::indexing {

/// A search parameter as the extractor and the search facade use it.
struct IndexedParameter {
  std::string code;  // the name in a search ("family", "value-quantity")
  IndexedType type = IndexedType::Token;
  const definitions::SearchParameter* definition = nullptr;
};

/// The store's type for an indexed parameter type.
[[nodiscard]] store::fhir::SearchParamType to_store_type(IndexedType type);
/// The indexed type for a SearchParameter.type code; nullopt for composite, special, resource.
[[nodiscard]] std::optional<IndexedType> indexed_type(std::string_view type_code);

/// A parameter whose expression could not be evaluated on this resource, or a selected value
/// its type cannot index (a bare id for a reference parameter). Named policy
/// "skip-unevaluable-parameter": the resource is stored without that parameter's rows; the
/// caller logs the parameter (never the resource) so that the gap is visible.
struct SkippedParameter {
  std::string code;
  std::string reason;
};

struct Extraction {
  store::fhir::IndexRows rows;
  std::vector<SkippedParameter> skipped;
};

/// Thread-safe: compiled expressions are cached per resource type under a mutex and are
/// immutable once compiled.
class IndexExtractor {
 public:
  /// `definitions` must outlive the extractor.
  explicit IndexExtractor(const definitions::Definitions& definitions);

  /// The indexed search parameters of `resource_type` (empty for an unknown type).
  [[nodiscard]] const std::vector<IndexedParameter>& parameters(
      std::string_view resource_type) const;
  /// The parameter `code` of `resource_type`, nullptr when it is not indexed.
  [[nodiscard]] const IndexedParameter* find_parameter(std::string_view resource_type,
                                                       std::string_view code) const;

  /// The rows of `resource` (a JSON object with resourceType); values that cannot be indexed
  /// are reported in `skipped`. Throws InputError (BadInput) for a JSON value without a string
  /// resourceType.
  [[nodiscard]] Extraction extract(const nlohmann::json& resource) const;

 private:
  struct Compiled {
    IndexedParameter parameter;
    std::optional<fhirpath::Expression> expression;  // nullopt: it did not compile
    std::string compile_error;
  };
  const std::vector<Compiled>& compiled(std::string_view resource_type) const;

  const definitions::Definitions& definitions_;
  DefinitionTypes definition_types_;
  // Every resource of a type asks the type model the same questions (bench/ingest).
  fhirpath::CachedTypeInfo types_{definition_types_};
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::unique_ptr<std::vector<Compiled>>, std::less<>> cache_;
  mutable std::map<std::string, std::vector<IndexedParameter>, std::less<>> parameter_lists_;
};

}  // namespace ptwin::ingest::fhir::indexing
