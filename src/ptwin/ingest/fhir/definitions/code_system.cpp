// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/definitions/code_system.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::fhir::definitions {
namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string property_text(const nlohmann::json& property) {
  for (const auto& [key, value] : property.items()) {
    if (!key.starts_with("value")) continue;
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
  }
  return {};
}

struct Parser {
  CodeSystem& system;
  std::string_view source;
  // (child, parent code) pairs from "parent"/"subsumedBy" properties, resolved once all
  // concepts are known.
  std::vector<std::pair<std::size_t, std::string>> pending_parents;

  void add(const nlohmann::json& concepts, std::optional<std::size_t> parent) {
    for (const auto& item : concepts) {
      Concept entry;
      entry.code = item.value("code", std::string());
      if (entry.code.empty()) {
        throw InputError(ErrorCode::FhirDefinitionInvalid, fmt::format("{}: concept", source),
                         item.dump().substr(0, 64), "has no code");
      }
      entry.display = item.value("display", std::string());
      for (const auto& property : item.value("property", nlohmann::json::array())) {
        entry.properties.emplace(property.value("code", ""), property_text(property));
      }
      const auto index = system.concepts.size();
      for (const auto& [code, value] : entry.properties) {
        if (code == "parent" || code == "subsumedBy") pending_parents.emplace_back(index, value);
      }
      if (parent) entry.parents.push_back(*parent);
      system.concepts.push_back(std::move(entry));
      system.index_by_code.emplace(system.lookup_key(system.concepts[index].code), index);
      if (parent) system.concepts[*parent].children.push_back(index);
      if (const auto nested = item.find("concept"); nested != item.end() && nested->is_array()) {
        add(*nested, index);
      }
    }
  }

  void resolve_parents() {
    for (const auto& [child, parent_code] : pending_parents) {
      const auto* parent = system.find(parent_code);
      if (parent == nullptr) continue;
      const auto parent_index = system.index_of(*parent);
      auto& parents = system.concepts[child].parents;
      if (std::find(parents.begin(), parents.end(), parent_index) != parents.end()) continue;
      parents.push_back(parent_index);
      system.concepts[parent_index].children.push_back(child);
    }
  }
};

template <typename Next>
std::vector<std::size_t> closure(std::size_t start, std::size_t count, Next next) {
  std::vector<bool> seen(count, false);
  std::vector<std::size_t> out;
  std::vector<std::size_t> stack{start};
  seen[start] = true;
  while (!stack.empty()) {
    const auto current = stack.back();
    stack.pop_back();
    for (const auto neighbour : next(current)) {
      if (seen[neighbour]) continue;
      seen[neighbour] = true;
      out.push_back(neighbour);
      stack.push_back(neighbour);
    }
  }
  return out;
}

}  // namespace

std::string CodeSystem::lookup_key(std::string_view code) const {
  return is_case_sensitive ? std::string(code) : lowercase(code);
}

const Concept* CodeSystem::find(std::string_view code) const {
  const auto it = index_by_code.find(lookup_key(code));
  return it == index_by_code.end() ? nullptr : &concepts[it->second];
}

std::vector<std::size_t> CodeSystem::descendants(std::size_t index) const {
  return closure(index, concepts.size(), [this](std::size_t i) -> const std::vector<std::size_t>& {
    return concepts[i].children;
  });
}

std::vector<std::size_t> CodeSystem::ancestors(std::size_t index) const {
  return closure(index, concepts.size(), [this](std::size_t i) -> const std::vector<std::size_t>& {
    return concepts[i].parents;
  });
}

CodeSystem parse_code_system(const nlohmann::json& resource, std::string_view source) {
  if (!resource.is_object() || resource.value("resourceType", "") != "CodeSystem") {
    throw InputError(ErrorCode::FhirDefinitionInvalid, std::string(source),
                     resource.is_object() ? resource.value("resourceType", "") : "",
                     "is not a CodeSystem");
  }
  CodeSystem system;
  system.url = resource.value("url", std::string());
  system.version = resource.value("version", std::string());
  system.content = resource.value("content", std::string());
  system.is_case_sensitive = resource.value("caseSensitive", true);
  Parser parser{system, source, {}};
  parser.add(resource.value("concept", nlohmann::json::array()), std::nullopt);
  parser.resolve_parents();
  return system;
}

}  // namespace ptwin::ingest::fhir::definitions
