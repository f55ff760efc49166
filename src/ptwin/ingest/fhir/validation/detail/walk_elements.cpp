// SPDX-License-Identifier: Apache-2.0
// Objects, cardinality and primitives (json.html: arrays exactly for max > 1, "_name"
// companions of primitives, no empty objects/arrays/strings, null only as a placeholder).
#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/validation/detail/excerpt.hpp"
#include "ptwin/ingest/fhir/validation/detail/walk.hpp"
#include "ptwin/ingest/fhir/validation/primitive_types.hpp"

namespace ptwin::ingest::fhir::validation::detail {
namespace {

struct ChildMatch {
  std::size_t index;
  const defs::TypeRef* type;
};

// The child of `content` that JSON member `name` stands for: an element name, or a choice
// element's stem followed by one of its type names.
std::optional<ChildMatch> match_child(const defs::StructureDefinition& sd,
                                      const defs::ElementDefinition& content,
                                      std::string_view name) {
  for (const auto index : content.children) {
    const auto& child = sd.elements[index];
    if (!child.is_choice()) {
      if (child.name == name) {
        return ChildMatch{index, child.types.size() == 1 ? &child.types.front() : nullptr};
      }
      continue;
    }
    const auto stem = child.choice_stem();
    if (!name.starts_with(stem) || name.size() == stem.size()) continue;
    for (const auto& type : child.types) {
      if (defs::choice_json_name(stem, type.code) == name) return ChildMatch{index, &type};
    }
  }
  return std::nullopt;
}

// Why a member matched no child: a choice element of the wrong type, or an unknown name.
std::string unknown_member_rule(const defs::StructureDefinition& sd,
                                const defs::ElementDefinition& content, std::string_view name) {
  for (const auto index : content.children) {
    const auto& child = sd.elements[index];
    if (!child.is_choice() || !name.starts_with(child.choice_stem())) continue;
    const auto suffix = name.substr(child.choice_stem().size());
    if (suffix.empty() || std::islower(static_cast<unsigned char>(suffix.front())) != 0) continue;
    std::vector<std::string> allowed;
    for (const auto& type : child.types) allowed.push_back(type.code);
    return fmt::format("'{}' is not an allowed type of {}; allowed: {}", printable_value(suffix),
                       child.path, fmt::join(allowed, ", "));
  }
  return fmt::format("unknown element '{}' in {}", printable_value(name), content.path);
}

std::string element_label(const defs::ElementDefinition& element) {
  return std::string(element.is_choice() ? element.choice_stem() : std::string_view(element.name));
}

std::string max_text(std::uint32_t max) {
  return max == defs::kUnbounded ? "*" : std::to_string(max);
}

// pattern[x]: every member of the pattern appears in the value with a matching value; every
// item of a pattern array matches some item of the value array.
bool matches_pattern(const json& value, const json& pattern) {
  if (pattern.is_object()) {
    if (!value.is_object()) return false;
    return std::all_of(pattern.items().begin(), pattern.items().end(), [&](const auto& member) {
      const auto it = value.find(member.key());
      return it != value.end() && matches_pattern(*it, member.value());
    });
  }
  if (pattern.is_array()) {
    if (!value.is_array()) return false;
    return std::all_of(pattern.begin(), pattern.end(), [&](const json& wanted) {
      return std::any_of(value.begin(), value.end(),
                         [&](const json& item) { return matches_pattern(item, wanted); });
    });
  }
  return value == pattern;
}

}  // namespace

std::string indexed(const std::string& path, std::size_t index) {
  return fmt::format("{}[{}]", path, index);
}

void Walk::object(const json& value, const defs::StructureDefinition& sd,
                  const defs::ElementDefinition& content, const std::string& path,
                  const ResourceFrame& frame, std::size_t depth, bool is_resource_root,
                  bool is_primitive_companion) {
  if (depth > options_.max_depth) {
    add(IssueSeverity::Error, IssueType::TooCostly, path,
        fmt::format("nests deeper than {} levels; not checked further", options_.max_depth));
    return;
  }
  if (value.empty() && !is_resource_root) {
    add(IssueSeverity::Error, IssueType::Structure, path,
        "is an empty object; FHIR JSON does not allow empty objects", "{}");
    return;
  }
  std::vector<std::pair<std::size_t, Occurrence>> found;
  for (const auto& [key, member] : value.items()) {
    if (is_resource_root && key == "resourceType") continue;
    const bool is_companion = key.size() > 1 && key.front() == '_';
    const std::string_view name = is_companion ? std::string_view(key).substr(1) : key;
    const auto match = match_child(sd, content, name);
    if (!match || (is_primitive_companion && sd.elements[match->index].name == "value")) {
      add(IssueSeverity::Error, IssueType::Structure, path + "." + printable_value(key),
          unknown_member_rule(sd, content, key), printable_value(key));
      continue;
    }
    auto slot = std::find_if(found.begin(), found.end(),
                             [&](const auto& entry) { return entry.first == match->index; });
    if (slot == found.end()) slot = found.insert(found.end(), {match->index, Occurrence{}});
    auto& occurrence_entry = slot->second;
    if (!occurrence_entry.json_name.empty() && occurrence_entry.json_name != name) {
      add(IssueSeverity::Error, IssueType::Structure, fmt::format("{}.{}", path, name),
          fmt::format("'{}' and '{}' are both present; {} allows one type",
                      occurrence_entry.json_name, name, sd.elements[match->index].path));
      continue;
    }
    occurrence_entry.json_name = std::string(name);
    occurrence_entry.type = match->type;
    (is_companion ? occurrence_entry.extension : occurrence_entry.value) = &member;
  }
  for (const auto index : content.children) {
    const auto& child = sd.elements[index];
    const auto slot = std::find_if(found.begin(), found.end(),
                                   [&](const auto& entry) { return entry.first == index; });
    if (slot == found.end()) {
      if (child.min > 0 && !(is_primitive_companion && child.name == "value")) {
        add(IssueSeverity::Error, IssueType::Required, path + "." + element_label(child),
            fmt::format("is missing; {} has minimum cardinality {}", child.path, child.min));
      }
      continue;
    }
    occurrence(sd, child, slot->second, path, frame, depth);
  }
}

void Walk::occurrence(const defs::StructureDefinition& sd, const defs::ElementDefinition& element,
                      const Occurrence& found, const std::string& parent_path,
                      const ResourceFrame& frame, std::size_t depth) {
  const std::string path = parent_path + "." + found.json_name;
  const auto& content = sd.content_of(element);
  const bool is_inline = !content.children.empty();
  const defs::TypeRef* type = found.type != nullptr
                                  ? found.type
                                  : (content.types.size() == 1 ? &content.types.front() : nullptr);
  if (!is_inline && type == nullptr) {
    add(IssueSeverity::Error, IssueType::Structure, path,
        fmt::format("{} names no single type; cannot be checked", element.path));
    return;
  }
  if (!is_inline && (type->is_system_type || is_known_primitive(type->code))) {
    cardinality(element, primitive(element, found, *type, path, frame, depth), path);
    return;
  }
  if (found.extension != nullptr) {
    add(IssueSeverity::Error, IssueType::Structure, parent_path + "._" + found.json_name,
        fmt::format("'_{}' is allowed only beside a primitive element", found.json_name));
  }
  if (found.value == nullptr) return;
  const auto& value = *found.value;
  const bool is_resource =
      !is_inline && (type->code == "Resource" || definitions_.is_resource_type(type->code));
  const auto check_item = [&](const json& item, const std::string& item_path) {
    if (!item.is_object()) {
      add(IssueSeverity::Error, IssueType::Structure, item_path,
          fmt::format("is not a JSON object ({} needs one)",
                      is_inline ? "BackboneElement" : type->code),
          excerpt(item));
    } else if (is_resource) {
      // Contained resources resolve "#id" through their container; Bundle entries and other
      // resource-typed elements are independent resources.
      resource(item, item_path, element.name == "contained" ? &frame : nullptr, type->profiles,
               depth + 1);
    } else {
      complex_item(item, sd, element, is_inline ? nullptr : type, item_path, frame, depth + 1);
    }
  };
  if (!element.is_collection()) {
    if (value.is_array()) {
      add(IssueSeverity::Error, IssueType::Structure, path,
          fmt::format("must be a single value, not an array ({} has maximum cardinality 1)",
                      element.path),
          excerpt(value));
      return;
    }
    check_item(value, path);
    return;
  }
  if (!value.is_array()) {
    add(IssueSeverity::Error, IssueType::Structure, path,
        fmt::format("must be a JSON array ({} has maximum cardinality {})", element.path,
                    max_text(element.max)),
        excerpt(value));
    return;
  }
  if (value.empty()) {
    add(IssueSeverity::Error, IssueType::Structure, path,
        "is an empty array; FHIR JSON does not allow empty arrays", "[]");
  }
  for (std::size_t i = 0; i < value.size(); ++i) check_item(value[i], indexed(path, i));
  cardinality(element, value.size(), path);
}

void Walk::cardinality(const defs::ElementDefinition& element, std::size_t count,
                       const std::string& path) {
  if (count > element.max) {
    add(IssueSeverity::Error, IssueType::Structure, path,
        fmt::format("has {} items; {} allows at most {}", count, element.path,
                    max_text(element.max)));
  }
  // count 0 is an empty array, reported as such; a missing element is reported by object().
  if (count < element.min && count > 0) {
    add(IssueSeverity::Error, IssueType::Required, path,
        fmt::format("has {} items; {} needs at least {}", count, element.path, element.min));
  }
}

void Walk::complex_item(const json& value, const defs::StructureDefinition& sd,
                        const defs::ElementDefinition& element, const defs::TypeRef* type,
                        const std::string& path, const ResourceFrame& frame, std::size_t depth) {
  if (type == nullptr) {  // inline BackboneElement / Element
    const auto& content = sd.content_of(element);
    object(value, sd, content, path, frame, depth, false, false);
    // FHIRPath names an inline structure by the path that defines its content
    // ("Observation.component", "Observation.referenceRange" for a contentReference), so
    // that its choice elements and children are typed.
    invariants(element, &content == &element ? nullptr : &content, value, nullptr, content.path,
               path, frame);
    fixed_and_pattern(element, value, path);
    return;
  }
  const auto* type_sd = definitions_.find_structure(type->code);
  if (type_sd == nullptr) {
    add(IssueSeverity::Error, IssueType::NotSupported, path,
        fmt::format("type {} has no StructureDefinition in the package", type->code));
    return;
  }
  object(value, *type_sd, type_sd->root(), path, frame, depth, false, false);
  if (type->code == "Reference") reference(value, type->target_profiles, path, frame);
  if (type->code == "CodeableReference" && value.contains("reference")) {
    reference(value.at("reference"), type->target_profiles, path + ".reference", frame);
  }
  complex_binding(element, type->code, value, path);
  fixed_and_pattern(element, value, path);
  invariants(element, &type_sd->root(), value, nullptr, type->code, path, frame);
}

void Walk::fixed_and_pattern(const defs::ElementDefinition& element, const json& value,
                             const std::string& path) {
  if (!element.fixed.is_null() && value != element.fixed) {
    add(IssueSeverity::Error, IssueType::Value, path,
        fmt::format("must be exactly {} (fixed by {})", excerpt(element.fixed), element.path),
        excerpt(value));
  }
  if (!element.pattern.is_null() && !matches_pattern(value, element.pattern)) {
    add(IssueSeverity::Error, IssueType::Value, path,
        fmt::format("must match the pattern {} of {}", excerpt(element.pattern), element.path),
        excerpt(value));
  }
}

}  // namespace ptwin::ingest::fhir::validation::detail
