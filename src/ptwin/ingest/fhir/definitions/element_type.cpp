// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/definitions/element_type.hpp"

namespace ptwin::ingest::fhir::definitions {
namespace {

std::vector<std::string> codes_of(const ElementDefinition& element) {
  std::vector<std::string> codes;
  for (const auto& type : element.types) codes.push_back(type.code);
  return codes;
}

ElementRef make_ref(const StructureDefinition& structure, const ElementDefinition& element) {
  ElementRef ref{&structure, &element, codes_of(structure.content_of(element)),
                 element.is_collection()};
  if (ref.type_codes.empty()) ref.type_codes.push_back(structure.type);  // the root element
  return ref;
}

// Where the children of `parent` are: (definition, element whose children they are).
std::optional<std::pair<const StructureDefinition*, const ElementDefinition*>> content_holder(
    const Definitions& definitions, const ElementRef& parent) {
  const auto& content = parent.structure->content_of(*parent.element);
  if (!content.children.empty()) return std::pair{parent.structure, &content};
  if (parent.type_codes.size() != 1) return std::nullopt;
  const auto* type = definitions.find_structure(parent.type_codes.front());
  if (type == nullptr) return std::nullopt;
  return std::pair{type, &type->root()};
}

}  // namespace

std::optional<ElementRef> resolve_root(const Definitions& definitions, std::string_view type) {
  const auto* structure = definitions.find_structure(type);
  if (structure == nullptr) return std::nullopt;
  auto ref = make_ref(*structure, structure->root());
  ref.type_codes = {structure->type};
  ref.is_collection = false;
  return ref;
}

std::optional<ElementRef> resolve_child(const Definitions& definitions, const ElementRef& parent,
                                        std::string_view name) {
  if (parent.structure == nullptr || parent.element == nullptr) return std::nullopt;
  const auto holder = content_holder(definitions, parent);
  if (!holder) return std::nullopt;
  const auto& [structure, content] = *holder;
  for (const auto index : content->children) {
    const auto& child = structure->elements[index];
    if (child.name == name) return make_ref(*structure, child);
    if (!child.is_choice()) continue;
    const auto stem = child.choice_stem();
    if (name == stem) return make_ref(*structure, child);
    if (!name.starts_with(stem)) continue;
    for (const auto& type : child.types) {
      if (choice_json_name(stem, type.code) == name) {
        auto ref = make_ref(*structure, child);
        ref.type_codes = {type.code};
        return ref;
      }
    }
  }
  return std::nullopt;
}

std::optional<ElementRef> narrow_to_type(const ElementRef& ref, std::string_view type) {
  for (const auto& code : ref.type_codes) {
    if (code == type) {
      auto narrowed = ref;
      narrowed.type_codes = {code};
      return narrowed;
    }
  }
  return std::nullopt;
}

std::optional<ElementRef> resolve_path(const Definitions& definitions, std::string_view type,
                                       std::string_view dotted_path) {
  auto current = resolve_root(definitions, type);
  while (current && !dotted_path.empty()) {
    const auto dot = dotted_path.find('.');
    const auto segment = dotted_path.substr(0, dot);
    current = resolve_child(definitions, *current, segment);
    dotted_path = dot == std::string_view::npos ? std::string_view() : dotted_path.substr(dot + 1);
  }
  return current;
}

std::vector<ElementRef> children_of(const Definitions& definitions, const ElementRef& parent) {
  std::vector<ElementRef> out;
  if (parent.structure == nullptr || parent.element == nullptr) return out;
  const auto holder = content_holder(definitions, parent);
  if (!holder) return out;
  const auto& [structure, content] = *holder;
  for (const auto index : content->children) {
    out.push_back(make_ref(*structure, structure->elements[index]));
  }
  return out;
}

std::optional<ElementRef> resolve_element(const Definitions& definitions,
                                          std::string_view type_name, std::string_view name) {
  const auto dot = type_name.find('.');
  const auto owner =
      dot == std::string_view::npos
          ? resolve_root(definitions, type_name)
          : resolve_path(definitions, type_name.substr(0, dot), type_name.substr(dot + 1));
  if (!owner) return std::nullopt;
  return resolve_child(definitions, *owner, name);
}

std::vector<std::string> type_names(const ElementRef& ref) {
  if (ref.structure == nullptr || ref.element == nullptr) return {};
  const auto& content = ref.structure->content_of(*ref.element);
  if (!content.children.empty() && ref.element != &ref.structure->root()) return {content.path};
  return ref.type_codes;
}

std::optional<std::string> base_type_name(const Definitions& definitions,
                                          std::string_view type_name) {
  if (type_name.find('.') == std::string_view::npos) {
    if (definitions.find_structure(type_name) == nullptr) return std::nullopt;
    return definitions.base_type_of(type_name);
  }
  const auto dot = type_name.find('.');
  const auto ref = resolve_path(definitions, type_name.substr(0, dot), type_name.substr(dot + 1));
  if (!ref || ref->type_codes.size() != 1) return std::nullopt;
  return ref->type_codes.front();
}

}  // namespace ptwin::ingest::fhir::definitions
