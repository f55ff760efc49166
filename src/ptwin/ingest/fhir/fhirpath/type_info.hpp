// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the FHIRPath engine needs to know about the FHIR type model, and nothing more: the
// elements of each type with their types, and each type's base. `is`, `as`, `ofType()`, choice
// (value[x]) navigation and the strict path check read it. The StructureDefinition loader in
// ingest/fhir/definitions implements it; tests use a small reader of the core package.
//
// Names are FHIR type names as in StructureDefinition.type ("Patient", "HumanName", "code").
// A backbone element's type is its path in the defining resource ("Questionnaire.item"), and an
// element given by contentReference ("Questionnaire.item.item") has the type of the element it
// refers to ("Questionnaire.item").

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptwin::ingest::fhir::fhirpath {

/// One element of a type.
struct ElementInfo {
  /// The element's type names: one for an ordinary element, all allowed types for a choice
  /// element (value[x]), in StructureDefinition order. Primitive FHIR types keep their FHIR name
  /// ("string", not "System.String"); a backbone element names its own path.
  std::vector<std::string> types;
  /// True for a choice element; its JSON key is the name followed by the capitalised type name
  /// ("valueQuantity").
  bool is_choice = false;
  /// True when the element may repeat (max is not "1").
  bool is_collection = false;
};

/// Read-only view of the FHIR type model. Implementations must be safe to call from several
/// threads at once, because compiled expressions are shared.
class TypeInfoProvider {
 public:
  TypeInfoProvider() = default;
  TypeInfoProvider(const TypeInfoProvider&) = delete;
  TypeInfoProvider& operator=(const TypeInfoProvider&) = delete;
  virtual ~TypeInfoProvider() = default;

  /// The element `element_name` (for a choice element without "[x]") of `type_name`, including
  /// elements inherited from base types; nullopt when the type has no such element or is unknown.
  [[nodiscard]] virtual std::optional<ElementInfo> element(std::string_view type_name,
                                                           std::string_view element_name) const = 0;

  /// The direct base type of `type_name` ("code" -> "string", "Patient" -> "DomainResource",
  /// "Questionnaire.item" -> "BackboneElement"); an empty string for a root type ("Base");
  /// nullopt when `type_name` is not a known type.
  [[nodiscard]] virtual std::optional<std::string> base_type(std::string_view type_name) const = 0;
};

}  // namespace ptwin::ingest::fhir::fhirpath
