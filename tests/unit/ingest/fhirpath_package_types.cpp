// SPDX-License-Identifier: Apache-2.0
#include "fhirpath_package_types.hpp"

#include <fstream>

#include <nlohmann/json.hpp>

namespace ptwin::ingest::fhir::fhirpath::testing {
namespace {

using nlohmann::json;

constexpr std::string_view kSystemPrefix = "http://hl7.org/fhirpath/System.";
constexpr std::string_view kFhirTypeExtension =
    "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type";

std::string last_segment(const std::string& url) {
  const auto slash = url.rfind('/');
  return slash == std::string::npos ? url : url.substr(slash + 1);
}

// The FHIR type name of one ElementDefinition.type entry.
std::string type_code(const json& type) {
  const std::string code = type.value("code", "");
  if (code.rfind(kSystemPrefix, 0) != 0) return code;
  // id, Extension.url, primitive values: the FHIR type is given by an extension.
  for (const auto& extension : type.value("extension", json::array())) {
    if (extension.value("url", "") == kFhirTypeExtension) return extension.value("valueUrl", code);
  }
  const std::string system = code.substr(kSystemPrefix.size());
  if (system == "String") return "string";
  if (system == "Boolean") return "boolean";
  if (system == "Integer") return "integer";
  if (system == "Decimal") return "decimal";
  if (system == "Date") return "date";
  if (system == "DateTime") return "dateTime";
  if (system == "Time") return "time";
  return "string";
}

}  // namespace

void PackageTypes::load(const std::string& root_type) const {
  if (loaded_.count(root_type) != 0) return;
  const auto file = package_dir_ / ("StructureDefinition-" + root_type + ".json");
  std::ifstream stream(file);
  loaded_[root_type] = stream.good();
  if (!stream.good()) return;
  const json definition = json::parse(stream);
  TypeDefinition& root = types_[root_type];
  const bool is_constraint = definition.value("derivation", "") == "constraint";
  root.base = is_constraint ? definition.value("type", "")
                            : last_segment(definition.value("baseDefinition", ""));
  for (const auto& element : definition.at("snapshot").at("element")) {
    std::string path = element.value("path", "");
    if (element.contains("sliceName") || path.find(':') != std::string::npos) continue;
    const auto first_dot = path.find('.');
    if (first_dot == std::string::npos) continue;
    path = root_type + path.substr(first_dot);  // constraints name their base type in paths
    const auto last_dot = path.rfind('.');
    const std::string parent = path.substr(0, last_dot);
    std::string name = path.substr(last_dot + 1);
    ElementInfo info;
    if (name.size() > 3 && name.compare(name.size() - 3, 3, "[x]") == 0) {
      name.resize(name.size() - 3);
      info.is_choice = true;
    }
    info.is_collection = element.value("max", "1") != "1";
    if (element.contains("contentReference")) {
      const std::string reference = element.at("contentReference").get<std::string>();
      const std::string target = reference.substr(reference.find('#') + 1);
      info.types.push_back(root_type + target.substr(target.find('.')));
    } else {
      for (const auto& type : element.value("type", json::array())) {
        const std::string code = type_code(type);
        const bool is_backbone = code == "BackboneElement" || code == "Element";
        if (is_backbone) {
          info.types.push_back(path);
          types_[path].base = code;
        } else {
          info.types.push_back(code);
        }
      }
    }
    types_[parent].elements[name] = std::move(info);
  }
}

const PackageTypes::TypeDefinition* PackageTypes::find(std::string_view type_name) const {
  const std::string root(type_name.substr(0, type_name.find('.')));
  if (root.empty() || root.find('/') != std::string::npos) return nullptr;
  load(root);
  const auto it = types_.find(type_name);
  return it == types_.end() ? nullptr : &it->second;
}

std::optional<ElementInfo> PackageTypes::element(std::string_view type_name,
                                                 std::string_view element_name) const {
  const std::lock_guard lock(mutex_);
  const TypeDefinition* type = find(type_name);
  if (type == nullptr) return std::nullopt;
  const auto it = type->elements.find(element_name);
  if (it == type->elements.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> PackageTypes::base_type(std::string_view type_name) const {
  const std::lock_guard lock(mutex_);
  const TypeDefinition* type = find(type_name);
  if (type == nullptr) return std::nullopt;
  return type->base;
}

}  // namespace ptwin::ingest::fhir::fhirpath::testing
