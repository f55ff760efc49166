// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/indexing/definition_types.hpp"

#include "ptwin/ingest/fhir/definitions/structure_definition.hpp"

namespace ptwin::ingest::fhir::indexing {
namespace {

namespace defs = definitions;

struct Located {
  const defs::StructureDefinition* structure = nullptr;
  const defs::ElementDefinition* element = nullptr;
};

// A type name is a StructureDefinition type ("Timing") or the path of an inline structure in
// it ("Timing.repeat", "Questionnaire.item").
Located locate(const defs::Definitions& definitions, std::string_view type_name) {
  const std::string_view root = type_name.substr(0, type_name.find('.'));
  const defs::StructureDefinition* structure = definitions.find_structure(root);
  if (structure == nullptr || structure->elements.empty()) return {};
  const defs::ElementDefinition* element = structure->find(type_name);
  if (element == nullptr) return {};
  return {structure, element};
}

bool is_inline_structure(const defs::StructureDefinition& structure,
                         const defs::ElementDefinition& element) {
  return !element.content_reference.empty() || !structure.content_of(element).children.empty();
}

}  // namespace

std::optional<fhirpath::ElementInfo> DefinitionTypes::element(
    std::string_view type_name, std::string_view element_name) const {
  const Located parent = locate(definitions_, type_name);
  if (parent.element == nullptr) return std::nullopt;
  const defs::ElementDefinition& content = parent.structure->content_of(*parent.element);
  for (const std::size_t index : content.children) {
    const defs::ElementDefinition& child = parent.structure->elements.at(index);
    const bool is_match =
        child.is_choice() ? child.choice_stem() == element_name : child.name == element_name;
    if (!is_match) continue;
    fhirpath::ElementInfo info;
    info.is_choice = child.is_choice();
    info.is_collection = child.is_collection();
    if (is_inline_structure(*parent.structure, child) &&
        (child.types.empty() || child.types.front().code == "BackboneElement" ||
         child.types.front().code == "Element")) {
      info.types.push_back(parent.structure->content_of(child).path);
      return info;
    }
    for (const defs::TypeRef& type : child.types) info.types.push_back(type.code);
    return info;
  }
  return std::nullopt;
}

std::optional<std::string> DefinitionTypes::base_type(std::string_view type_name) const {
  if (type_name.find('.') != std::string_view::npos) {
    const Located located = locate(definitions_, type_name);
    if (located.element == nullptr) return std::nullopt;
    if (!located.element->types.empty() && located.element->types.front().code == "Element") {
      return std::string("Element");
    }
    return std::string("BackboneElement");
  }
  if (definitions_.find_structure(type_name) == nullptr) return std::nullopt;
  return definitions_.base_type_of(type_name);
}

}  // namespace ptwin::ingest::fhir::indexing
