// SPDX-License-Identifier: Apache-2.0
// GET [base]/metadata: a CapabilityStatement (R5 capabilitystatement.html) that lists exactly
// what this facade serves: its resource types, the interactions routed in fhir_facade.cpp and
// bundle_interactions.cpp, and each type's indexed search parameters plus _id/_lastUpdated.
#include <array>
#include <string_view>

#include "ptwin/server/fhir/bulk/bulk_routes.hpp"
#include "ptwin/server/fhir/fhir_facade.hpp"

namespace ptwin::server::fhir {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 8> kTypeInteractions{
    "read", "vread", "update", "delete", "history-instance", "history-type", "create",
    "search-type"};

std::string_view type_code(ingest::fhir::indexing::IndexedType type) {
  using ingest::fhir::indexing::IndexedType;
  switch (type) {
    case IndexedType::String: return "string";
    case IndexedType::Token: return "token";
    case IndexedType::Date: return "date";
    case IndexedType::Number: return "number";
    case IndexedType::Quantity: return "quantity";
    case IndexedType::Reference: return "reference";
    case IndexedType::Uri: return "uri";
  }
  return "token";
}

}  // namespace

json FhirFacade::capability_statement() const {
  json resources = json::array();
  for (const std::string& type : types_) {
    json interactions = json::array();
    for (const std::string_view code : kTypeInteractions) interactions.push_back({{"code", code}});
    json params = json::array({{{"name", "_id"}, {"type", "token"}},
                               {{"name", "_lastUpdated"}, {"type", "date"}}});
    for (const auto& parameter : extractor_.parameters(type)) {
      json entry = {{"name", parameter.code}, {"type", type_code(parameter.type)}};
      if (parameter.definition != nullptr) entry["definition"] = parameter.definition->url;
      params.push_back(std::move(entry));
    }
    resources.push_back({{"type", type},
                         {"interaction", std::move(interactions)},
                         {"versioning", "versioned-update"},
                         {"readHistory", true},
                         {"updateCreate", true},
                         {"conditionalCreate", true},
                         {"conditionalRead", "not-supported"},
                         {"conditionalUpdate", false},
                         {"conditionalDelete", "not-supported"},
                         {"searchParam", std::move(params)}});
    if (type == "Subscription") add_subscription_capabilities(resources.back());
  }
  json statement = {{"resourceType", "CapabilityStatement"},
          {"status", "active"},
          {"date", "2024-01-01"},
          {"kind", "instance"},
          {"fhirVersion", "5.0.0"},
          {"format", json::array({"application/fhir+json", "json", "application/fhir+xml", "xml"})},
          {"software", {{"name", "ptwin"}}},
          {"implementation", {{"description", "ptwin FHIR R5 facade"}}},
          {"rest",
           json::array({{{"mode", "server"},
                         {"resource", std::move(resources)},
                         {"interaction", json::array({{{"code", "transaction"}},
                                                      {{"code", "batch"}},
                                                      {{"code", "history-system"}}})}}})}};
  if (settings_.bulk_export != nullptr) bulk::describe_bulk_export(statement);
  return statement;
}

}  // namespace ptwin::server::fhir
