// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/bulk/element_subset.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"

namespace ptwin::server::fhir::bulk {
namespace {

namespace defs = ingest::fhir::definitions;

constexpr std::string_view kSubsettedSystem =
    "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

struct RootElement {
  std::string name;  // the JSON name, or the stem of a choice ("value" for value[x])
  bool is_choice = false;
  bool is_mandatory = false;
};

std::vector<RootElement> root_elements(const defs::StructureDefinition& structure) {
  std::vector<RootElement> roots;
  for (const std::size_t child : structure.root().children) {
    const auto& element = structure.elements[child];
    roots.push_back({.name = std::string(element.choice_stem()),
                     .is_choice = element.is_choice(),
                     .is_mandatory = element.min >= 1});
  }
  return roots;
}

const RootElement* find_root(const std::vector<RootElement>& roots, std::string_view name) {
  const auto found = std::find_if(roots.begin(), roots.end(),
                                  [&](const RootElement& root) { return root.name == name; });
  return found == roots.end() ? nullptr : &*found;
}

[[noreturn]] void refuse(const std::string& selection, const std::string& why) {
  throw FhirError(400, "invalid",
                  fmt::format("_elements '{}' {}", printable_value(selection), why), "_elements");
}

}  // namespace

ElementSubset::ElementSubset(const std::vector<std::string>& selections,
                             const std::vector<std::string>& types,
                             const defs::Definitions& definitions) {
  if (selections.empty()) return;
  std::map<std::string, std::vector<RootElement>, std::less<>> roots;
  for (const auto& type : types) roots[type] = root_elements(definitions.structure(type));
  const auto keep = [&](const std::string& type, const RootElement& root) {
    auto& kept = kept_[type];
    if (kept.names.empty()) {
      kept.names = {"resourceType", "id", "meta"};
      for (const auto& other : roots.at(type)) {
        if (!other.is_mandatory) continue;
        (other.is_choice ? kept.choice_stems : kept.names).insert(other.name);
      }
    }
    (root.is_choice ? kept.choice_stems : kept.names).insert(root.name);
  };
  for (const auto& selection : selections) {
    const auto dot = selection.find('.');
    if (dot != std::string::npos) {
      const std::string type = selection.substr(0, dot);
      const auto type_roots = roots.find(type);
      if (type_roots == roots.end()) {
        refuse(selection, fmt::format("names type {}, which this export does not include "
                                      "(add it to _type, or drop the type prefix)",
                                      type));
      }
      const auto* root = find_root(type_roots->second, selection.substr(dot + 1));
      if (root == nullptr) {
        refuse(selection, fmt::format("is not a root element of {} (only root elements can be "
                                      "selected, e.g. {}.{})",
                                      type, type, type_roots->second.front().name));
      }
      keep(type, *root);
      continue;
    }
    bool is_applicable = false;
    for (const auto& [type, type_roots] : roots) {
      if (const auto* root = find_root(type_roots, selection)) {
        keep(type, *root);
        is_applicable = true;
      }
    }
    if (!is_applicable) {
      refuse(selection, "is a root element of none of the exported types");
    }
  }
}

bool ElementSubset::applies_to(const std::string& type) const { return kept_.contains(type); }

nlohmann::json ElementSubset::subset(const nlohmann::json& resource) const {
  const auto& kept = kept_.at(resource.at("resourceType").get<std::string>());
  const auto is_kept = [&](std::string_view key) {
    if (key.starts_with('_')) key.remove_prefix(1);  // a primitive's extensions go with it
    if (kept.names.contains(key)) return true;
    return std::any_of(kept.choice_stems.begin(), kept.choice_stems.end(), [&](const auto& stem) {
      return key.size() > stem.size() && key.starts_with(stem) &&
             std::isupper(static_cast<unsigned char>(key[stem.size()])) != 0;
    });
  };
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : resource.items()) {
    if (is_kept(key)) out[key] = value;
  }
  auto& tags = out["meta"]["tag"];
  if (!tags.is_array()) tags = nlohmann::json::array();
  tags.push_back({{"system", kSubsettedSystem}, {"code", "SUBSETTED"}});
  return out;
}

}  // namespace ptwin::server::fhir::bulk
