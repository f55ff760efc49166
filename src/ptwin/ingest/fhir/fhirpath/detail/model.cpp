// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/fhirpath/detail/model.hpp"

#include <array>
#include <cctype>
#include <utility>

#include <fmt/format.h>

#include "ptwin/ingest/fhir/fhirpath/errors.hpp"

namespace ptwin::ingest::fhir::fhirpath::detail {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 9> kSystemTypes{
    "Any", "Boolean", "String", "Integer", "Long", "Decimal", "Date", "DateTime", "Time"};

bool is_system_type(std::string_view name) {
  return name == "Quantity" ||
         std::find(kSystemTypes.begin(), kSystemTypes.end(), name) != kSystemTypes.end();
}

// Base types used when no provider is given: the primitive specialisations and the Quantity
// family of FHIR R5 (https://hl7.org/fhir/R5/datatypes.html).
struct BuiltinBase {
  std::string_view type;
  std::string_view base;
};
constexpr std::array kBuiltinBases{
    BuiltinBase{"code", "string"},
    BuiltinBase{"id", "string"},
    BuiltinBase{"markdown", "string"},
    BuiltinBase{"url", "uri"},
    BuiltinBase{"canonical", "uri"},
    BuiltinBase{"oid", "uri"},
    BuiltinBase{"uuid", "uri"},
    BuiltinBase{"positiveInt", "integer"},
    BuiltinBase{"unsignedInt", "integer"},
    BuiltinBase{"Age", "Quantity"},
    BuiltinBase{"Count", "Quantity"},
    BuiltinBase{"Distance", "Quantity"},
    BuiltinBase{"Duration", "Quantity"},
    BuiltinBase{"MoneyQuantity", "Quantity"},
    BuiltinBase{"SimpleQuantity", "Quantity"},
};

std::string capitalized(std::string_view name) {
  std::string out(name);
  if (!out.empty())
    out.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(out.front())));
  return out;
}

// The FHIR type a choice suffix names when no provider can say: "DateTime" -> "dateTime",
// "Quantity" -> "Quantity".
std::string type_from_suffix(std::string_view suffix) {
  std::string lower(suffix);
  lower.front() = static_cast<char>(std::tolower(static_cast<unsigned char>(lower.front())));
  return is_fhir_primitive(lower) ? lower : std::string(suffix);
}

// The FHIR type of a JSON value that carries no type information of its own.
std::string type_from_json(const json& value) {
  if (value.is_boolean()) return "boolean";
  if (value.is_number_integer()) return "integer";
  if (value.is_number()) return "decimal";
  if (value.is_string()) return "string";
  return {};
}

std::string node_type(const Node& node) {
  if (!node.type.empty() || node.value == nullptr) return node.type;
  return type_from_json(*node.value);
}

}  // namespace

TypeSpecifier parse_type_specifier(std::string_view qualified_name) {
  const auto dot = qualified_name.find('.');
  if (dot != std::string_view::npos) {
    const auto space = qualified_name.substr(0, dot);
    if (space == "System" || space == "FHIR") {
      return {std::string(space), std::string(qualified_name.substr(dot + 1))};
    }
  }
  return {{}, std::string(qualified_name)};
}

Node Model::resource_node(const json& resource) {
  Node node;
  node.value = &resource;
  if (resource.is_object()) {
    const auto it = resource.find("resourceType");
    if (it != resource.end() && it->is_string()) node.type = it->get<std::string>();
  }
  return node;
}

void Model::append_key(const json& object, const std::string& key, const std::string& type,
                       Collection& out) const {
  const auto value_it = object.find(key);
  const auto extension_it = object.find(fmt::format("_{}", key));
  const json* values = value_it != object.end() ? &*value_it : nullptr;
  const json* extensions = extension_it != object.end() ? &*extension_it : nullptr;
  const auto make = [&](const json* value, const json* extension) {
    if ((value == nullptr || value->is_null()) && (extension == nullptr || extension->is_null())) {
      return;
    }
    Node node;
    node.value = value != nullptr && !value->is_null() ? value : nullptr;
    node.extension_part = extension != nullptr && !extension->is_null() ? extension : nullptr;
    node.type = type;
    if (node.value != nullptr && node.value->is_object()) {
      const auto resource_type = node.value->find("resourceType");
      if (resource_type != node.value->end() && resource_type->is_string()) {
        node.type = resource_type->get<std::string>();
      }
    }
    out.emplace_back(std::move(node));
  };
  const bool values_are_array = values != nullptr && values->is_array();
  const bool extensions_are_array = extensions != nullptr && extensions->is_array();
  if (!values_are_array && !extensions_are_array) {
    make(values, extensions);
    return;
  }
  const std::size_t count = std::max(values_are_array ? values->size() : 0,
                                     extensions_are_array ? extensions->size() : 0);
  for (std::size_t i = 0; i < count; ++i) {
    make(values_are_array && i < values->size() ? &(*values)[i] : nullptr,
         extensions_are_array && i < extensions->size() ? &(*extensions)[i] : nullptr);
  }
}

std::string Model::choice_type_for_key(const std::string& parent_type, std::string_view key,
                                       std::string& element) const {
  // Only a provider can tell "valueQuantity" (a choice) from "birthDate" (an element).
  if (types_ == nullptr || parent_type.empty()) return {};
  for (std::size_t split = 1; split < key.size(); ++split) {
    if (!std::isupper(static_cast<unsigned char>(key[split]))) continue;
    const auto base = key.substr(0, split);
    const auto suffix = key.substr(split);
    const auto info = types_->element(parent_type, base);
    if (!info || !info->is_choice) continue;
    for (const auto& type : info->types) {
      if (capitalized(type) == suffix) {
        element = std::string(base);
        return type;
      }
    }
  }
  return {};
}

Model::Lookup Model::child(const Node& parent, std::string_view name, Collection& out) const {
  const json* object = parent.value != nullptr && parent.value->is_object() ? parent.value
                       : parent.extension_part != nullptr && parent.extension_part->is_object()
                           ? parent.extension_part
                           : nullptr;
  const bool has_type_information =
      types_ != nullptr && !parent.type.empty() && base_of(parent.type);
  if (has_type_information) {
    if (const auto info = types_->element(parent.type, name)) {
      if (object == nullptr) return Lookup::Defined;
      if (!info->is_choice) {
        append_key(*object, std::string(name),
                   info->types.empty() ? std::string() : info->types.front(), out);
        return Lookup::Defined;
      }
      for (const auto& type : info->types) {
        const std::size_t before = out.size();
        append_key(*object, fmt::format("{}{}", name, capitalized(type)), type, out);
        if (out.size() != before) break;  // a choice element holds one type at a time
      }
      return Lookup::Defined;
    }
  }
  const Lookup outcome = has_type_information ? Lookup::Undefined : Lookup::NoTypeInformation;
  if (object == nullptr) return outcome;
  const std::string key(name);
  if (object->contains(key)) {
    std::string element;
    const std::string type = choice_type_for_key(parent.type, key, element);
    append_key(*object, key, type, out);
    return outcome;
  }
  if (has_type_information) return outcome;
  // No type information: a key "<name><Suffix>" is this choice element in the suffix's type.
  for (const auto& [candidate, value] : object->items()) {
    if (candidate.size() > name.size() && candidate.compare(0, name.size(), name) == 0 &&
        std::isupper(static_cast<unsigned char>(candidate[name.size()]))) {
      append_key(*object, candidate,
                 type_from_suffix(std::string_view(candidate).substr(name.size())), out);
      break;
    }
  }
  return outcome;
}

void Model::children(const Node& parent, Collection& out) const {
  const json* object = parent.value != nullptr && parent.value->is_object() ? parent.value
                       : parent.extension_part != nullptr && parent.extension_part->is_object()
                           ? parent.extension_part
                           : nullptr;
  if (object == nullptr) return;
  for (const auto& [key, value] : object->items()) {
    if (key == "resourceType" || key.empty()) continue;
    if (key.front() == '_' && object->contains(key.substr(1))) continue;  // merged with its value
    const std::string name = key.front() == '_' ? key.substr(1) : key;
    std::string type;
    if (types_ != nullptr && !parent.type.empty()) {
      if (const auto info = types_->element(parent.type, name); info && !info->is_choice) {
        type = info->types.empty() ? std::string() : info->types.front();
      } else {
        std::string element;
        type = choice_type_for_key(parent.type, name, element);
      }
    }
    append_key(*object, name, type, out);
  }
}

std::optional<std::string> Model::base_of(std::string_view type) const {
  if (types_ != nullptr) return types_->base_type(type);
  for (const auto& entry : kBuiltinBases) {
    if (entry.type == type) return std::string(entry.base);
  }
  return std::nullopt;
}

bool Model::is_subtype(std::string_view type, std::string_view ancestor) const {
  std::string current(type);
  // A FHIR type hierarchy is a few levels deep; the bound only guards against a cyclic provider.
  for (int depth = 0; depth < 32 && !current.empty(); ++depth) {
    if (current == ancestor) return true;
    const auto base = base_of(current);
    if (!base) return false;
    current = *base;
  }
  return false;
}

bool Model::is_known_type(std::string_view type) const {
  return types_ == nullptr || types_->base_type(type).has_value();
}

bool Model::matches(const Item& item, const TypeSpecifier& type, bool exact) const {
  const bool is_system_name = is_system_type(type.name);
  if (type.namespace_name != "System" && !is_system_name && !is_known_type(type.name)) {
    throw EvaluationError("type test", type.name, "is not a known FHIR or System type");
  }
  if (const auto* node = std::get_if<Node>(&item)) {
    if (type.namespace_name == "System") return false;
    const std::string actual = node_type(*node);
    if (actual.empty()) return false;
    if (exact && is_fhir_primitive(actual)) return actual == type.name;
    return is_subtype(actual, type.name);
  }
  if (type.namespace_name == "FHIR") return false;
  return type.name == "Any" || type_of(item).name == type.name;
}

}  // namespace ptwin::ingest::fhir::fhirpath::detail
