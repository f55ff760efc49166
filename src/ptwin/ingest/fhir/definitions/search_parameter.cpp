// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/definitions/search_parameter.hpp"

#include <algorithm>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::fhir::definitions {
namespace {

std::vector<std::string> strings(const nlohmann::json& resource, std::string_view key) {
  std::vector<std::string> out;
  const auto it = resource.find(key);
  if (it == resource.end() || !it->is_array()) return out;
  for (const auto& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

bool SearchParameter::names_base(std::string_view resource_type) const {
  return std::find(base.begin(), base.end(), resource_type) != base.end();
}

SearchParameter parse_search_parameter(const nlohmann::json& resource, std::string_view source) {
  if (!resource.is_object() || resource.value("resourceType", "") != "SearchParameter") {
    throw InputError(ErrorCode::FhirDefinitionInvalid, std::string(source),
                     resource.is_object() ? resource.value("resourceType", "") : "",
                     "is not a SearchParameter");
  }
  SearchParameter parameter;
  parameter.url = resource.value("url", std::string());
  parameter.code = resource.value("code", std::string());
  parameter.type = resource.value("type", std::string());
  if (parameter.code.empty() || parameter.type.empty()) {
    throw InputError(ErrorCode::FhirDefinitionInvalid, std::string(source), parameter.url,
                     "has no code or no type");
  }
  parameter.base = strings(resource, "base");
  parameter.expression = resource.value("expression", std::string());
  parameter.processing_mode = resource.value("processingMode", std::string("normal"));
  parameter.target = strings(resource, "target");
  parameter.modifier = strings(resource, "modifier");
  parameter.comparator = strings(resource, "comparator");
  parameter.is_multiple_or = resource.value("multipleOr", true);
  parameter.is_multiple_and = resource.value("multipleAnd", true);
  for (const auto& component : resource.value("component", nlohmann::json::array())) {
    parameter.components.emplace_back(component.value("definition", ""),
                                      component.value("expression", ""));
  }
  return parameter;
}

}  // namespace ptwin::ingest::fhir::definitions
