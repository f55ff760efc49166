// SPDX-License-Identifier: Apache-2.0
#pragma once
// FHIR R5 SearchParameter definitions: what the resource store indexes and what a search
// request may name. Only the computable parts are kept (no narrative).

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ptwin::ingest::fhir::definitions {

struct SearchParameter {
  std::string url;
  std::string code;                     // the name used in a search, e.g. "value-quantity"
  std::vector<std::string> base;        // resource types it applies to
  std::string type;                     // number | date | string | token | reference | composite
                                        // | quantity | uri | special | resource
  std::string expression;               // FHIRPath selecting the indexed values
  std::string processing_mode;          // normal | phonetic | other
  std::vector<std::string> target;      // resource types a reference parameter may point at
  std::vector<std::string> modifier;    // allowed modifiers, e.g. "missing", "exact"
  std::vector<std::string> comparator;  // allowed prefixes, e.g. "eq", "gt"
  bool is_multiple_or = true;           // multipleOr (absent: allowed)
  bool is_multiple_and = true;          // multipleAnd (absent: allowed)
  /// composite parameters: (definition canonical, FHIRPath) of each component.
  std::vector<std::pair<std::string, std::string>> components;

  /// True when `resource_type` is listed in base (no inheritance: see Definitions).
  [[nodiscard]] bool names_base(std::string_view resource_type) const;
};

/// Builds the model from a SearchParameter resource. Throws InputError (FhirDefinitionInvalid)
/// naming `source` when it is not a SearchParameter or has no code or type.
[[nodiscard]] SearchParameter parse_search_parameter(const nlohmann::json& resource,
                                                     std::string_view source);

}  // namespace ptwin::ingest::fhir::definitions
