// SPDX-License-Identifier: Apache-2.0
#pragma once
// The state of one validation: walks a resource's JSON alongside the snapshot of its
// StructureDefinition and collects issues. Split by concern over walk_elements.cpp (objects,
// cardinality, primitives), walk_resources.cpp (resources, contained, Bundle), bindings.cpp and
// references.cpp. Not part of the API; used only by Validator.

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/issue.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"

namespace ptwin::ingest::fhir::validation::detail {

namespace defs = ::ptwin::ingest::fhir::definitions;
using nlohmann::json;

/// A resource being walked: what "#id" references resolve against.
struct ResourceFrame {
  const json& resource;
  std::string type;
  /// id -> resourceType of the contained resources of the outermost container (contained
  /// resources resolve "#id" against their container's list).
  const std::unordered_map<std::string, std::string>* contained_types = nullptr;
  std::string container_type;  // type of the resource "#" refers to
  /// FHIRPath %rootResource: the container of a contained resource, else the resource itself
  /// (a Bundle entry is not contained: its %rootResource is the entry's resource).
  const json* root_resource = nullptr;
  /// The innermost Bundle holding the resource (or its container) as an entry; nullptr when
  /// none. Invariants resolve references between entries through it.
  const json* bundle = nullptr;
};

/// A Bundle being walked: what urn:uuid and absolute references resolve against.
struct BundleFrame {
  const json* bundle = nullptr;                                 // the Bundle resource
  std::string bundle_type;                                      // Bundle.type
  std::unordered_map<std::string, std::string> full_url_types;  // fullUrl -> resourceType
};

/// One JSON member (and its "_name" companion) matched to a child element.
struct Occurrence {
  const json* value = nullptr;          // "name"
  const json* extension = nullptr;      // "_name"
  std::string json_name;                // "valueQuantity"
  const defs::TypeRef* type = nullptr;  // the type chosen by the JSON name, or the only type
};

/// What a literal reference points at.
struct ReferenceTarget {
  std::optional<std::string> type;  // the target's resource type, when known
  bool is_well_formed = true;       // false: an error was reported, nothing more to check
};

class Walk {
 public:
  Walk(const defs::Definitions& definitions, const ValidatorOptions& options);

  /// Validates a resource at `path`; `allowed_profiles` (ElementDefinition.type.profile of a
  /// Resource-typed element) restrict its type when not empty.
  void resource(const json& value, const std::string& path, const ResourceFrame* container,
                const std::vector<std::string>& allowed_profiles, std::size_t depth);

  /// The issues found; ends with an information issue counting the warnings and information
  /// issues left out beyond ValidatorOptions::max_issues, if any.
  [[nodiscard]] std::vector<Issue> take_issues();

  void add(IssueSeverity severity, IssueType type, std::string expression, std::string diagnostics,
           std::string_view value = {});

 private:
  // walk_elements.cpp, walk_primitives.cpp
  void object(const json& value, const defs::StructureDefinition& sd,
              const defs::ElementDefinition& content, const std::string& path,
              const ResourceFrame& frame, std::size_t depth, bool is_resource_root,
              bool is_primitive_companion);
  void occurrence(const defs::StructureDefinition& sd, const defs::ElementDefinition& element,
                  const Occurrence& found, const std::string& path, const ResourceFrame& frame,
                  std::size_t depth);
  void cardinality(const defs::ElementDefinition& element, std::size_t count,
                   const std::string& path);
  std::size_t primitive(const defs::ElementDefinition& element, const Occurrence& found,
                        const defs::TypeRef& type, const std::string& path,
                        const ResourceFrame& frame, std::size_t depth);
  void primitive_item(const defs::ElementDefinition& element, const json* value,
                      const json* extension, const defs::TypeRef& type_ref,
                      const std::string& path, const ResourceFrame& frame, std::size_t depth);
  void complex_item(const json& value, const defs::StructureDefinition& sd,
                    const defs::ElementDefinition& element, const defs::TypeRef* type,
                    const std::string& path, const ResourceFrame& frame, std::size_t depth);
  void fixed_and_pattern(const defs::ElementDefinition& element, const json& value,
                         const std::string& path);
  // invariants.cpp: the constraints of `element` and of `also` (a type's root, or the target
  // of a contentReference; may be nullptr), each key once.
  void invariants(const defs::ElementDefinition& element, const defs::ElementDefinition* also,
                  const json& focus, const json* extension, std::string_view focus_type,
                  const std::string& path, const ResourceFrame& frame);

  // bindings.cpp
  void code_binding(const defs::ElementDefinition& element, const json& value,
                    const std::string& path);
  void complex_binding(const defs::ElementDefinition& element, std::string_view type,
                       const json& value, const std::string& path);
  void coding_binding(const json& coding, const std::string& path,
                      const defs::ValueSetExpansion& expansion);
  void concept_binding(const json& concept_json, const std::string& path,
                       const defs::ValueSetExpansion& expansion);
  const defs::ValueSetExpansion* required_expansion(const defs::ElementDefinition& element,
                                                    const std::string& path);

  // references.cpp
  void reference(const json& value, const std::vector<std::string>& target_profiles,
                 const std::string& path, const ResourceFrame& frame);
  ReferenceTarget target_of(std::string_view reference, const std::string& path,
                            const ResourceFrame& frame);
  ReferenceTarget contained_target(std::string_view reference, const std::string& path,
                                   const ResourceFrame& frame);
  ReferenceTarget urn_target(std::string_view reference, const std::string& path);
  ReferenceTarget relative_target(std::string_view reference, const std::string& path);
  ReferenceTarget malformed(std::string_view reference, const std::string& path, IssueType type,
                            std::string rule);
  std::optional<std::string> bundle_entry_type(std::string_view full_url) const;
  bool is_allowed_target(std::string_view type, const std::vector<std::string>& target_profiles);

  // walk_resources.cpp
  BundleFrame bundle_frame(const json& bundle) const;

  const defs::Definitions& definitions_;
  const ValidatorOptions& options_;
  const json null_;
  std::vector<Issue> issues_;
  // Errors and fatal issues stop at max_issues with a "too-costly" error; warnings and
  // information have their own cap, so that many warnings (dom-6 on every entry of a large
  // Bundle) neither hide an error nor turn into one. "not-supported" notes are not capped.
  std::size_t error_count_ = 0;
  std::size_t other_count_ = 0;
  std::size_t other_dropped_ = 0;
  bool is_truncated_ = false;
  std::vector<BundleFrame> bundles_;                         // innermost last
  std::set<std::string, std::less<>> unchecked_value_sets_;  // reported once each
  std::set<std::string, std::less<>> unevaluated_invariants_;  // constraint keys, once each
  InvariantBudget invariant_budget_;
};

/// "Observation.component" + "[2]".
[[nodiscard]] std::string indexed(const std::string& path, std::size_t index);

}  // namespace ptwin::ingest::fhir::validation::detail
