// SPDX-License-Identifier: Apache-2.0
#pragma once
// Element-level type information: what type an element path has, with choice types and
// content references resolved. This is the question a FHIRPath engine's type provider asks
// ("what is Observation.component.value?", "is valueQuantity a Quantity?"); an adapter maps
// its calls onto resolve_path / resolve_child and Definitions::is_subtype_of.
//
//   const auto ref = resolve_path(definitions, "Observation", "component.valueQuantity");
//   // ref->type_codes == {"Quantity"}, ref->is_collection == false
//   const auto unit = resolve_child(definitions, *ref, "unit");  // {"string"}

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"

namespace ptwin::ingest::fhir::definitions {

/// One element of one StructureDefinition, as reached by a path.
struct ElementRef {
  const StructureDefinition* structure = nullptr;  // where `element` is defined
  const ElementDefinition* element = nullptr;
  /// The types the element may hold at this point: all of a choice element's types when
  /// reached by its stem ("value"), the one named when reached by its JSON name
  /// ("valueQuantity"). "BackboneElement" / "Element" for inline structures.
  std::vector<std::string> type_codes;
  /// True when the element repeats (max > 1) at its own level.
  bool is_collection = false;

  [[nodiscard]] bool is_choice() const noexcept {
    return element != nullptr && element->is_choice();
  }
};

/// The root element of a type ("Observation", "Quantity"); nullopt for an unknown type.
[[nodiscard]] std::optional<ElementRef> resolve_root(const Definitions& definitions,
                                                     std::string_view type);

/// The child `name` of `parent`: an element name, a choice stem ("value") or a choice
/// element's JSON name ("valueQuantity"). Follows contentReference and, for a parent of a
/// single complex type, that type's definition. nullopt when there is no such child, or when
/// `parent` still has several types (narrow it first with narrow_to_type).
[[nodiscard]] std::optional<ElementRef> resolve_child(const Definitions& definitions,
                                                      const ElementRef& parent,
                                                      std::string_view name);

/// `ref` restricted to one of its types (FHIRPath ofType / as); nullopt when it cannot hold it.
[[nodiscard]] std::optional<ElementRef> narrow_to_type(const ElementRef& ref,
                                                       std::string_view type);

/// resolve_child along a dotted path below `type`: ("Observation", "component.value").
[[nodiscard]] std::optional<ElementRef> resolve_path(const Definitions& definitions,
                                                     std::string_view type,
                                                     std::string_view dotted_path);

/// The element `name` of `type_name`, where `type_name` is a type ("Observation") or, as
/// FHIRPath engines name backbone types, the path of a backbone element
/// ("Observation.component", "Questionnaire.item"). `name` is an element name or a choice stem.
[[nodiscard]] std::optional<ElementRef> resolve_element(const Definitions& definitions,
                                                        std::string_view type_name,
                                                        std::string_view name);

/// The type names of an element in FHIRPath's naming: its type codes, except that an inline
/// backbone element is named by the path of the element holding its content
/// ("Observation.component"; "Observation.referenceRange" for the contentReference
/// Observation.component.referenceRange).
[[nodiscard]] std::vector<std::string> type_names(const ElementRef& ref);

/// The base of a type or backbone path: "Observation" -> "DomainResource", "code" -> "string",
/// "Observation.component" -> "BackboneElement", "Timing.repeat" -> "Element"; empty for Base;
/// nullopt when the name is unknown.
[[nodiscard]] std::optional<std::string> base_type_name(const Definitions& definitions,
                                                        std::string_view type_name);

/// The element definitions below `parent` (its content: inline children or its single
/// type's root children), in snapshot order; empty for a primitive or an unresolved choice.
[[nodiscard]] std::vector<ElementRef> children_of(const Definitions& definitions,
                                                  const ElementRef& parent);

}  // namespace ptwin::ingest::fhir::definitions
