// SPDX-License-Identifier: Apache-2.0
#pragma once
// The parts of a FHIR R5 StructureDefinition that validation and type inference use: the
// snapshot's element definitions with cardinality, types, choice types, content references,
// bindings, constraints and fixed/pattern values, plus a parent -> children index.
// Narrative, mappings and the differential are not kept.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace ptwin::ingest::fhir::definitions {

/// ElementDefinition.max "*".
inline constexpr std::uint32_t kUnbounded = std::numeric_limits<std::uint32_t>::max();
/// Canonical url prefix of the core StructureDefinitions.
inline constexpr std::string_view kStructureDefinitionBase =
    "http://hl7.org/fhir/StructureDefinition/";

enum class StructureKind { PrimitiveType, ComplexType, Resource, Logical };
enum class BindingStrength { Required, Extensible, Preferred, Example };

/// One entry of ElementDefinition.type.
struct TypeRef {
  /// The FHIR type name ("string", "Quantity", "Reference", "Resource"). For the FHIRPath
  /// system types used by Element.id, Extension.url and Resource.id, the name given by the
  /// structuredefinition-fhir-type extension ("id", "uri", "string").
  std::string code;
  /// True for http://hl7.org/fhirpath/System.* types: a JSON property with no "_name" sibling.
  bool is_system_type = false;
  std::vector<std::string> profiles;  // canonical urls
  std::vector<std::string>
      target_profiles;  // canonical urls (Reference, canonical, CodeableReference)
};

struct Binding {
  BindingStrength strength = BindingStrength::Example;
  std::string value_set;  // canonical, possibly with a "|version" suffix; empty when none
};

/// ElementDefinition.constraint: an invariant written in FHIRPath.
struct Constraint {
  std::string key;         // e.g. "obs-6"
  std::string severity;    // "error" or "warning"
  std::string human;       // the rule in words
  std::string expression;  // FHIRPath
  std::string source;      // canonical of the defining StructureDefinition
};

struct ElementDefinition {
  std::string id;    // e.g. "Observation.component.value[x]"
  std::string path;  // e.g. "Observation.component.value[x]"
  std::string name;  // last path segment, e.g. "value[x]"
  std::string slice_name;
  std::string base_path;  // ElementDefinition.base.path: where the element is first defined
  std::uint32_t min = 0;
  std::uint32_t max = kUnbounded;
  std::vector<TypeRef> types;
  /// Path of the element whose content this one repeats ("Observation.referenceRange"), empty
  /// when none. Taken from the part after '#' of ElementDefinition.contentReference.
  std::string content_reference;
  std::optional<Binding> binding;
  std::vector<Constraint> constraints;
  nlohmann::json fixed;    // fixed[x] value, null when absent
  nlohmann::json pattern;  // pattern[x] value, null when absent
  bool is_modifier = false;
  bool is_summary = false;
  /// Indices (into StructureDefinition::elements) of the direct children, slices excluded.
  std::vector<std::size_t> children;

  [[nodiscard]] bool is_choice() const noexcept { return name.ends_with("[x]"); }
  /// "value" for "value[x]"; the name itself otherwise.
  [[nodiscard]] std::string_view choice_stem() const noexcept;
  [[nodiscard]] bool is_collection() const noexcept { return max > 1; }
  [[nodiscard]] const TypeRef* find_type(std::string_view code) const noexcept;
};

struct StructureDefinition {
  std::string url;
  std::string name;
  std::string type;             // the type it defines or constrains, e.g. "Observation"
  std::string base_definition;  // canonical of the parent, empty for Base
  std::string derivation;       // "specialization" or "constraint"
  std::string version;
  StructureKind kind = StructureKind::ComplexType;
  bool is_abstract = false;
  std::vector<ElementDefinition> elements;  // snapshot order; elements[0] is the root

  [[nodiscard]] const ElementDefinition& root() const { return elements.front(); }
  /// The unsliced element with this path, nullptr when none.
  [[nodiscard]] const ElementDefinition* find(std::string_view path) const;
  [[nodiscard]] std::size_t index_of(const ElementDefinition& element) const noexcept {
    return static_cast<std::size_t>(&element - elements.data());
  }
  /// The element whose children describe the content of `element`: the contentReference
  /// target when there is one, `element` itself otherwise.
  [[nodiscard]] const ElementDefinition& content_of(const ElementDefinition& element) const;

  std::unordered_map<std::string, std::size_t> index_by_path;
};

/// The name a choice element takes in JSON for one of its types: "value" + "Quantity" ->
/// "valueQuantity", "value" + "dateTime" -> "valueDateTime".
[[nodiscard]] std::string choice_json_name(std::string_view stem, std::string_view type_code);

/// Builds the model from a StructureDefinition resource. Throws InputError
/// (FhirDefinitionInvalid) naming `source` and the element when the snapshot is missing or an
/// element lacks its path, or a contentReference points at no element.
[[nodiscard]] StructureDefinition parse_structure_definition(const nlohmann::json& resource,
                                                             std::string_view source);

[[nodiscard]] std::string_view to_string(StructureKind kind) noexcept;
[[nodiscard]] std::string_view to_string(BindingStrength strength) noexcept;

}  // namespace ptwin::ingest::fhir::definitions
