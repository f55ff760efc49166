// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/definitions/structure_definition.hpp"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::fhir::definitions {
namespace {

constexpr std::string_view kSystemTypePrefix = "http://hl7.org/fhirpath/System.";
constexpr std::string_view kFhirTypeExtension =
    "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type";

[[noreturn]] void invalid(std::string_view source, std::string_view where, std::string_view value,
                          std::string_view rule) {
  throw InputError(ErrorCode::FhirDefinitionInvalid, fmt::format("{}: {}", source, where),
                   std::string(value), std::string(rule));
}

std::vector<std::string> string_list(const nlohmann::json& object, std::string_view key) {
  std::vector<std::string> out;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return out;
  for (const auto& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

// FHIRPath system type -> the FHIR primitive it stands for when no fhir-type extension says.
std::string system_type_fallback(std::string_view system_name) {
  if (system_name == "Boolean") return "boolean";
  if (system_name == "Integer") return "integer";
  if (system_name == "Decimal") return "decimal";
  if (system_name == "Date") return "date";
  if (system_name == "DateTime") return "dateTime";
  if (system_name == "Time") return "time";
  return "string";
}

TypeRef parse_type(const nlohmann::json& type) {
  TypeRef ref;
  ref.code = type.value("code", std::string());
  if (ref.code.starts_with(kSystemTypePrefix)) {
    ref.is_system_type = true;
    std::string fhir_type;
    for (const auto& extension : type.value("extension", nlohmann::json::array())) {
      if (extension.value("url", "") == kFhirTypeExtension) {
        fhir_type = extension.value("valueUrl", extension.value("valueUri", std::string()));
      }
    }
    ref.code =
        fhir_type.empty()
            ? system_type_fallback(std::string_view(ref.code).substr(kSystemTypePrefix.size()))
            : fhir_type;
  }
  ref.profiles = string_list(type, "profile");
  ref.target_profiles = string_list(type, "targetProfile");
  return ref;
}

BindingStrength parse_strength(std::string_view text, std::string_view source,
                               std::string_view where) {
  if (text == "required") return BindingStrength::Required;
  if (text == "extensible") return BindingStrength::Extensible;
  if (text == "preferred") return BindingStrength::Preferred;
  if (text == "example") return BindingStrength::Example;
  invalid(source, where, text, "is not a binding strength");
}

std::uint32_t parse_max(const nlohmann::json& element, std::string_view source,
                        std::string_view where) {
  const auto text = element.value("max", std::string("*"));
  if (text == "*") return kUnbounded;
  std::uint32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    invalid(source, fmt::format("{}.max", where), text, "is not '*' or a count");
  }
  return value;
}

// fixed[x] / pattern[x]: the one member whose name is the prefix followed by a type name.
nlohmann::json typed_member(const nlohmann::json& element, std::string_view prefix) {
  for (const auto& [key, value] : element.items()) {
    if (key.size() > prefix.size() && key.starts_with(prefix) &&
        std::isupper(static_cast<unsigned char>(key[prefix.size()])) != 0) {
      return value;
    }
  }
  return nullptr;
}

ElementDefinition parse_element(const nlohmann::json& element, std::string_view source) {
  ElementDefinition def;
  def.path = element.value("path", std::string());
  if (def.path.empty()) invalid(source, "snapshot.element", element.value("id", ""), "has no path");
  def.id = element.value("id", def.path);
  const auto dot = def.path.rfind('.');
  def.name = dot == std::string::npos ? def.path : def.path.substr(dot + 1);
  def.slice_name = element.value("sliceName", std::string());
  if (const auto base = element.find("base"); base != element.end() && base->is_object()) {
    def.base_path = base->value("path", std::string());
  }
  def.min = element.value("min", 0U);
  def.max = parse_max(element, source, def.id);
  for (const auto& type : element.value("type", nlohmann::json::array())) {
    def.types.push_back(parse_type(type));
  }
  // Element.id is a string in the Element definition, and element ids such as
  // "Observation.value[x]" or "Patient.name:official" are not valid ids; yet the 5.0.0
  // snapshots of the types derived from Element label their inherited id "id". The defining
  // Element definition wins.
  if (def.base_path == "Element.id" && def.types.size() == 1 && def.types.front().is_system_type) {
    def.types.front().code = "string";
  }
  const auto reference = element.value("contentReference", std::string());
  if (!reference.empty()) def.content_reference = reference.substr(reference.find('#') + 1);
  if (const auto binding = element.find("binding"); binding != element.end()) {
    def.binding = Binding{parse_strength(binding->value("strength", ""), source, def.id),
                          binding->value("valueSet", std::string())};
  }
  for (const auto& constraint : element.value("constraint", nlohmann::json::array())) {
    def.constraints.push_back({constraint.value("key", ""), constraint.value("severity", "error"),
                               constraint.value("human", ""), constraint.value("expression", ""),
                               constraint.value("source", "")});
  }
  def.fixed = typed_member(element, "fixed");
  def.pattern = typed_member(element, "pattern");
  def.is_modifier = element.value("isModifier", false);
  def.is_summary = element.value("isSummary", false);
  return def;
}

StructureKind parse_kind(std::string_view text, std::string_view source) {
  if (text == "primitive-type") return StructureKind::PrimitiveType;
  if (text == "complex-type") return StructureKind::ComplexType;
  if (text == "resource") return StructureKind::Resource;
  if (text == "logical") return StructureKind::Logical;
  invalid(source, "kind", text, "is not a StructureDefinition kind");
}

void link_children(StructureDefinition& sd, std::string_view source) {
  for (std::size_t i = 0; i < sd.elements.size(); ++i) {
    const auto& element = sd.elements[i];
    // Slices repeat their element's path; the unsliced element is the one walked.
    if (element.id.find(':') != std::string::npos) continue;
    sd.index_by_path.emplace(element.path, i);
    const auto dot = element.path.rfind('.');
    if (dot == std::string::npos) continue;
    const auto parent = sd.index_by_path.find(element.path.substr(0, dot));
    if (parent == sd.index_by_path.end()) {
      invalid(source, element.id, element.path, "has no parent element before it in the snapshot");
    }
    sd.elements[parent->second].children.push_back(i);
  }
  for (const auto& element : sd.elements) {
    if (!element.content_reference.empty() &&
        sd.index_by_path.find(element.content_reference) == sd.index_by_path.end()) {
      invalid(source, element.id, element.content_reference,
              "contentReference names no element of this StructureDefinition");
    }
  }
}

}  // namespace

std::string_view ElementDefinition::choice_stem() const noexcept {
  const std::string_view view(name);
  return is_choice() ? view.substr(0, view.size() - 3) : view;
}

const TypeRef* ElementDefinition::find_type(std::string_view code) const noexcept {
  for (const auto& type : types) {
    if (type.code == code) return &type;
  }
  return nullptr;
}

const ElementDefinition* StructureDefinition::find(std::string_view path) const {
  const auto it = index_by_path.find(std::string(path));
  return it == index_by_path.end() ? nullptr : &elements[it->second];
}

const ElementDefinition& StructureDefinition::content_of(const ElementDefinition& element) const {
  if (element.content_reference.empty()) return element;
  return elements[index_by_path.at(element.content_reference)];
}

std::string choice_json_name(std::string_view stem, std::string_view type_code) {
  std::string name(stem);
  if (type_code.empty()) return name;
  name += static_cast<char>(std::toupper(static_cast<unsigned char>(type_code.front())));
  name += type_code.substr(1);
  return name;
}

StructureDefinition parse_structure_definition(const nlohmann::json& resource,
                                               std::string_view source) {
  if (!resource.is_object() || resource.value("resourceType", "") != "StructureDefinition") {
    invalid(source, "resourceType", resource.is_object() ? resource.value("resourceType", "") : "",
            "is not a StructureDefinition");
  }
  StructureDefinition sd;
  sd.url = resource.value("url", std::string());
  sd.name = resource.value("name", std::string());
  sd.type = resource.value("type", std::string());
  sd.base_definition = resource.value("baseDefinition", std::string());
  sd.derivation = resource.value("derivation", std::string());
  sd.version = resource.value("version", std::string());
  sd.kind = parse_kind(resource.value("kind", ""), source);
  sd.is_abstract = resource.value("abstract", false);
  const auto snapshot = resource.find("snapshot");
  if (snapshot == resource.end() || !snapshot->contains("element") ||
      !snapshot->at("element").is_array() || snapshot->at("element").empty()) {
    invalid(source, "snapshot", sd.url, "has no snapshot elements");
  }
  const auto& elements = snapshot->at("element");
  sd.elements.reserve(elements.size());
  for (const auto& element : elements) sd.elements.push_back(parse_element(element, source));
  link_children(sd, source);
  return sd;
}

std::string_view to_string(StructureKind kind) noexcept {
  switch (kind) {
    case StructureKind::PrimitiveType:
      return "primitive-type";
    case StructureKind::ComplexType:
      return "complex-type";
    case StructureKind::Resource:
      return "resource";
    case StructureKind::Logical:
      return "logical";
  }
  return "complex-type";
}

std::string_view to_string(BindingStrength strength) noexcept {
  switch (strength) {
    case BindingStrength::Required:
      return "required";
    case BindingStrength::Extensible:
      return "extensible";
    case BindingStrength::Preferred:
      return "preferred";
    case BindingStrength::Example:
      return "example";
  }
  return "example";
}

}  // namespace ptwin::ingest::fhir::definitions
