// SPDX-License-Identifier: Apache-2.0
#pragma once
// Value set expansion from ValueSet.compose, for the cases the core package can answer without
// a terminology server (hl7.fhir.r5.expansions is not installed):
//   include/exclude of whole code systems (content = complete), of listed concepts, of other
//   value sets (intersected when several are listed in one include, as the spec says), and the
//   hierarchy filters is-a, descendent-of, is-not-a, generalizes, plus "=" / "in" / "exists" on
//   concept properties.
// A value set that needs anything else (a code system that is not in the package, such as
// LOINC, SNOMED CT, UCUM or BCP-47, a code system whose content is not complete, another filter)
// is reported as not expandable with the reason; it is never treated as empty.

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/definitions/code_system.hpp"

namespace ptwin::ingest::fhir::definitions {

struct ValueSetExpansion {
  std::string url;
  /// Empty when the expansion is complete; otherwise why the value set could not be expanded.
  std::string failure;
  /// system -> codes. Codes of case-insensitive systems are stored lowercased.
  std::unordered_map<std::string, std::unordered_set<std::string>> codes_by_system;
  std::unordered_set<std::string> case_insensitive_systems;

  [[nodiscard]] bool is_complete() const noexcept { return failure.empty(); }
  [[nodiscard]] bool contains(std::string_view system, std::string_view code) const;
  /// True when some system of the expansion has this code (for `code` elements, which carry no
  /// system).
  [[nodiscard]] bool contains_code(std::string_view code) const;
  [[nodiscard]] std::size_t size() const;
  /// Up to `limit` "system|code" entries, sorted, for messages.
  [[nodiscard]] std::string sample(std::size_t limit) const;
};

/// What the expander needs from the package. code_system returns nullptr when the package has
/// no such CodeSystem; value_set_expansion expands another value set (cycles are the caller's
/// to detect and report as a failure).
struct TerminologyLookup {
  std::function<const CodeSystem*(std::string_view url)> code_system;
  std::function<const ValueSetExpansion&(std::string_view canonical)> value_set_expansion;
};

/// Expands one ValueSet resource. Never throws for an unsupported construct: the result's
/// failure says why. Throws InputError (FhirDefinitionInvalid) when `resource` is not a ValueSet.
[[nodiscard]] ValueSetExpansion expand_value_set(const nlohmann::json& resource,
                                                 const TerminologyLookup& lookup,
                                                 std::string_view source);

}  // namespace ptwin::ingest::fhir::definitions
