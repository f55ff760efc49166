// SPDX-License-Identifier: Apache-2.0
#pragma once
// A FHIR R5 CodeSystem as needed to expand value sets: its concepts with their hierarchy
// (nested concepts, or the "parent" / "subsumedBy" properties) and property values.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

namespace ptwin::ingest::fhir::definitions {

struct Concept {
  std::string code;
  std::string display;
  std::vector<std::size_t> parents;   // indices into CodeSystem::concepts
  std::vector<std::size_t> children;  // indices into CodeSystem::concepts
  /// Property code -> values as text (valueCode, valueString, valueBoolean "true"/"false", ...).
  std::unordered_multimap<std::string, std::string> properties;
};

struct CodeSystem {
  std::string url;
  std::string version;
  /// CodeSystem.content: only "complete" lists every code, so only then can a value set that
  /// includes the whole system, or filters it, be expanded.
  std::string content;
  bool is_case_sensitive = true;
  std::vector<Concept> concepts;

  [[nodiscard]] bool is_complete() const noexcept { return content == "complete"; }
  /// Index of the concept with this code (case-folded when the system is case-insensitive).
  [[nodiscard]] const Concept* find(std::string_view code) const;
  [[nodiscard]] std::size_t index_of(const Concept& concept_entry) const noexcept {
    return static_cast<std::size_t>(&concept_entry - concepts.data());
  }
  /// All concepts below `index` in the hierarchy (not including it), each once.
  [[nodiscard]] std::vector<std::size_t> descendants(std::size_t index) const;
  /// All concepts above `index` in the hierarchy (not including it), each once.
  [[nodiscard]] std::vector<std::size_t> ancestors(std::size_t index) const;
  /// The key under which a code is looked up (lowercase when the system is case-insensitive).
  [[nodiscard]] std::string lookup_key(std::string_view code) const;

  std::unordered_map<std::string, std::size_t> index_by_code;
};

/// Builds the model from a CodeSystem resource. Throws InputError (FhirDefinitionInvalid)
/// naming `source` when the resource is not a CodeSystem or a concept has no code.
[[nodiscard]] CodeSystem parse_code_system(const nlohmann::json& resource, std::string_view source);

}  // namespace ptwin::ingest::fhir::definitions
