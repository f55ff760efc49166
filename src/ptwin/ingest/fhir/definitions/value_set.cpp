// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/definitions/value_set.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/definitions/package.hpp"

namespace ptwin::ingest::fhir::definitions {
namespace {

using CodeSet = ValueSetExpansion;

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string key_for(const CodeSet& set, std::string_view system, std::string_view code) {
  return set.case_insensitive_systems.contains(std::string(system)) ? lowercase(code)
                                                                    : std::string(code);
}

void add_code(CodeSet& set, const std::string& system, std::string_view code) {
  set.codes_by_system[system].insert(key_for(set, system, code));
}

void add_concepts(CodeSet& set, const CodeSystem& system, const std::vector<std::size_t>& indices) {
  for (const auto index : indices) add_code(set, system.url, system.concepts[index].code);
}

void union_into(CodeSet& target, const CodeSet& source) {
  target.case_insensitive_systems.insert(source.case_insensitive_systems.begin(),
                                         source.case_insensitive_systems.end());
  for (const auto& [system, codes] : source.codes_by_system) {
    target.codes_by_system[system].insert(codes.begin(), codes.end());
  }
}

CodeSet intersect(const CodeSet& left, const CodeSet& right) {
  CodeSet out;
  out.case_insensitive_systems = left.case_insensitive_systems;
  for (const auto& [system, codes] : left.codes_by_system) {
    const auto other = right.codes_by_system.find(system);
    if (other == right.codes_by_system.end()) continue;
    for (const auto& code : codes) {
      if (other->second.contains(code)) out.codes_by_system[system].insert(code);
    }
  }
  return out;
}

void subtract(CodeSet& target, const CodeSet& removed) {
  for (const auto& [system, codes] : removed.codes_by_system) {
    const auto it = target.codes_by_system.find(system);
    if (it == target.codes_by_system.end()) continue;
    for (const auto& code : codes) it->second.erase(code);
  }
}

struct Outcome {
  CodeSet codes;
  std::string failure;
};

Outcome fail(std::string reason) { return Outcome{{}, std::move(reason)}; }

// "=", "in" and "exists" on a concept property ("code"/"concept": the code itself).
std::vector<std::size_t> property_filter(const CodeSystem& system, std::string_view op,
                                         std::string_view property, const std::string& value) {
  std::vector<std::string> wanted;
  if (op == "in") {
    for (std::size_t start = 0; start <= value.size();) {
      const auto comma = std::min(value.find(',', start), value.size());
      wanted.push_back(value.substr(start, comma - start));
      start = comma + 1;
    }
  } else {
    wanted.push_back(value);
  }
  const auto is_wanted = [&](const std::string& text) {
    return std::find(wanted.begin(), wanted.end(), text) != wanted.end();
  };
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < system.concepts.size(); ++i) {
    const auto& concept_entry = system.concepts[i];
    if (property == "code" || property == "concept") {
      if (is_wanted(concept_entry.code)) out.push_back(i);
      continue;
    }
    const auto [first, last] = concept_entry.properties.equal_range(std::string(property));
    const bool has_property = first != last;
    const bool matches =
        std::any_of(first, last, [&](const auto& entry) { return is_wanted(entry.second); });
    if (op == "exists" ? (has_property == (value == "true")) : matches) out.push_back(i);
  }
  return out;
}

// Concepts of `system` selected by one filter; nullopt with `failure` set when unsupported.
std::optional<std::vector<std::size_t>> apply_filter(const CodeSystem& system,
                                                     const nlohmann::json& filter,
                                                     std::string& failure) {
  const auto op = filter.value("op", std::string());
  const auto property = filter.value("property", std::string());
  const auto value = filter.value("value", std::string());
  std::vector<std::size_t> out;
  const auto* anchor = system.find(value);
  const bool is_hierarchy_op =
      op == "is-a" || op == "descendent-of" || op == "is-not-a" || op == "generalizes";
  if (is_hierarchy_op && anchor == nullptr) {
    failure =
        fmt::format("filter {} {} names a code that {} does not define", op, value, system.url);
    return std::nullopt;
  }
  if (op == "is-a" || op == "descendent-of") {
    out = system.descendants(system.index_of(*anchor));
    if (op == "is-a") out.push_back(system.index_of(*anchor));
  } else if (op == "generalizes") {
    out = system.ancestors(system.index_of(*anchor));
    out.push_back(system.index_of(*anchor));
  } else if (op == "is-not-a") {
    auto excluded = system.descendants(system.index_of(*anchor));
    excluded.push_back(system.index_of(*anchor));
    std::sort(excluded.begin(), excluded.end());
    for (std::size_t i = 0; i < system.concepts.size(); ++i) {
      if (!std::binary_search(excluded.begin(), excluded.end(), i)) out.push_back(i);
    }
  } else if (op == "=" || op == "in" || op == "exists") {
    out = property_filter(system, op, property, value);
  } else {
    failure = fmt::format("filter operator '{}' on property '{}' is not supported", op, property);
    return std::nullopt;
  }
  return out;
}

Outcome expand_system_part(const nlohmann::json& item, const TerminologyLookup& lookup) {
  const auto system_url = item.value("system", std::string());
  Outcome outcome;
  const auto* system = lookup.code_system(system_url);
  if (system != nullptr && !system->is_case_sensitive) {
    outcome.codes.case_insensitive_systems.insert(system_url);
  }
  if (const auto listed = item.find("concept"); listed != item.end() && listed->is_array()) {
    // A listed concept belongs to the value set whether or not the package has its system.
    for (const auto& entry : *listed) add_code(outcome.codes, system_url, entry.value("code", ""));
    return outcome;
  }
  if (system == nullptr) {
    return fail(fmt::format("code system {} is not in the package", system_url));
  }
  if (!system->is_complete()) {
    return fail(fmt::format("code system {} has content '{}' in the package, not 'complete'",
                            system_url, system->content));
  }
  const auto filters = item.value("filter", nlohmann::json::array());
  if (filters.empty()) {
    for (const auto& concept_entry : system->concepts) {
      add_code(outcome.codes, system_url, concept_entry.code);
    }
    return outcome;
  }
  std::optional<CodeSet> selected;
  for (const auto& filter : filters) {
    std::string failure;
    const auto indices = apply_filter(*system, filter, failure);
    if (!indices) return fail(failure);
    CodeSet set;
    set.case_insensitive_systems = outcome.codes.case_insensitive_systems;
    add_concepts(set, *system, *indices);
    selected = selected ? intersect(*selected, set) : set;
  }
  union_into(outcome.codes, *selected);
  return outcome;
}

Outcome expand_item(const nlohmann::json& item, const TerminologyLookup& lookup) {
  std::optional<CodeSet> result;
  if (item.contains("system")) {
    auto part = expand_system_part(item, lookup);
    if (!part.failure.empty()) return part;
    result = std::move(part.codes);
  }
  for (const auto& canonical : item.value("valueSet", nlohmann::json::array())) {
    const auto url = canonical.is_string() ? canonical.get<std::string>() : std::string();
    const auto& imported = lookup.value_set_expansion(url);
    if (!imported.is_complete()) {
      return fail(
          fmt::format("imported value set {} cannot be expanded: {}", url, imported.failure));
    }
    result = result ? intersect(*result, imported) : imported;
  }
  if (!result) return fail("an include or exclude names neither a system nor a value set");
  return Outcome{std::move(*result), {}};
}

void add_expansion_contains(CodeSet& set, const nlohmann::json& contains) {
  for (const auto& entry : contains) {
    if (entry.contains("code")) add_code(set, entry.value("system", ""), entry.value("code", ""));
    if (const auto nested = entry.find("contains"); nested != entry.end() && nested->is_array()) {
      add_expansion_contains(set, *nested);
    }
  }
}

}  // namespace

bool ValueSetExpansion::contains(std::string_view system, std::string_view code) const {
  const auto it = codes_by_system.find(std::string(system));
  return it != codes_by_system.end() && it->second.contains(key_for(*this, system, code));
}

bool ValueSetExpansion::contains_code(std::string_view code) const {
  return std::any_of(codes_by_system.begin(), codes_by_system.end(), [&](const auto& entry) {
    return entry.second.contains(key_for(*this, entry.first, code));
  });
}

std::size_t ValueSetExpansion::size() const {
  std::size_t count = 0;
  for (const auto& [system, codes] : codes_by_system) count += codes.size();
  return count;
}

std::string ValueSetExpansion::sample(std::size_t limit) const {
  std::vector<std::string> entries;
  for (const auto& [system, codes] : codes_by_system) {
    for (const auto& code : codes) entries.push_back(fmt::format("{}|{}", system, code));
  }
  std::sort(entries.begin(), entries.end());
  const auto total = entries.size();
  const auto shown = std::min(limit, total);
  entries.resize(shown);
  auto text = fmt::format("{}", fmt::join(entries, ", "));
  if (total > shown) text += fmt::format(", ... ({} codes)", total);
  return text;
}

ValueSetExpansion expand_value_set(const nlohmann::json& resource, const TerminologyLookup& lookup,
                                   std::string_view source) {
  if (!resource.is_object() || resource.value("resourceType", "") != "ValueSet") {
    throw InputError(ErrorCode::FhirDefinitionInvalid, std::string(source),
                     resource.is_object() ? resource.value("resourceType", "") : "",
                     "is not a ValueSet");
  }
  ValueSetExpansion expansion;
  expansion.url = resource.value("url", std::string());
  if (const auto given = resource.find("expansion"); given != resource.end()) {
    add_expansion_contains(expansion, given->value("contains", nlohmann::json::array()));
    return expansion;
  }
  const auto compose = resource.find("compose");
  if (compose == resource.end()) {
    expansion.failure = "the ValueSet has neither compose nor expansion";
    return expansion;
  }
  for (const auto& include : compose->value("include", nlohmann::json::array())) {
    auto part = expand_item(include, lookup);
    if (!part.failure.empty()) {
      expansion.failure = std::move(part.failure);
      return expansion;
    }
    union_into(expansion, part.codes);
  }
  for (const auto& exclude : compose->value("exclude", nlohmann::json::array())) {
    auto part = expand_item(exclude, lookup);
    if (!part.failure.empty()) {
      expansion.failure = fmt::format("exclude: {}", part.failure);
      return expansion;
    }
    subtract(expansion, part.codes);
  }
  return expansion;
}

}  // namespace ptwin::ingest::fhir::definitions
