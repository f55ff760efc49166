// SPDX-License-Identifier: Apache-2.0
// Primitive elements in JSON (json.html#primitive): the value in "name", its id and extensions
// in "_name"; for repeating elements two arrays that line up item by item, null standing in
// for the missing half of an item.
#include <algorithm>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/validation/detail/excerpt.hpp"
#include "ptwin/ingest/fhir/validation/detail/walk.hpp"
#include "ptwin/ingest/fhir/validation/primitive_types.hpp"

namespace ptwin::ingest::fhir::validation::detail {
namespace {}  // namespace

std::size_t Walk::primitive(const defs::ElementDefinition& element, const Occurrence& found,
                            const defs::TypeRef& type, const std::string& path,
                            const ResourceFrame& frame, std::size_t depth) {
  const json* value = found.value;
  const json* extension = found.extension;
  if (extension != nullptr && type.is_system_type) {
    add(IssueSeverity::Error, IssueType::Structure, path,
        fmt::format("'_{}' is not allowed: {} is a plain JSON property without extensions",
                    found.json_name, element.path));
    extension = nullptr;
  }
  if (!element.is_collection()) {
    if ((value != nullptr && value->is_array()) ||
        (extension != nullptr && extension->is_array())) {
      add(IssueSeverity::Error, IssueType::Structure, path,
          fmt::format("must be a single value, not an array ({} has maximum cardinality 1)",
                      element.path),
          value != nullptr ? excerpt(*value) : std::string());
      return 1;
    }
    primitive_item(element, value, extension, type, path, frame, depth);
    return 1;
  }
  for (const auto* part : {value, extension}) {
    if (part != nullptr && !part->is_array()) {
      add(IssueSeverity::Error, IssueType::Structure, path,
          fmt::format("'{}{}' must be a JSON array ({} has maximum cardinality {})",
                      part == extension ? "_" : "", found.json_name, element.path,
                      element.max == defs::kUnbounded ? "*" : std::to_string(element.max)),
          excerpt(*part));
      return 1;
    }
  }
  const std::size_t values = value != nullptr ? value->size() : 0;
  const std::size_t extensions = extension != nullptr ? extension->size() : 0;
  if (value != nullptr && extension != nullptr && values != extensions) {
    add(IssueSeverity::Error, IssueType::Structure, path,
        fmt::format("'{0}' has {1} items but '_{0}' has {2}; they must line up item by item",
                    found.json_name, values, extensions));
  }
  const std::size_t count = std::max(values, extensions);
  if (count == 0) {
    add(IssueSeverity::Error, IssueType::Structure, path,
        "is an empty array; FHIR JSON does not allow empty arrays", "[]");
  }
  for (std::size_t i = 0; i < count; ++i) {
    primitive_item(element, i < values ? &(*value)[i] : nullptr,
                   i < extensions ? &(*extension)[i] : nullptr, type, indexed(path, i), frame,
                   depth);
  }
  return count;
}

void Walk::primitive_item(const defs::ElementDefinition& element, const json* value,
                          const json* extension, const defs::TypeRef& type_ref,
                          const std::string& path, const ResourceFrame& frame, std::size_t depth) {
  const std::string_view type = type_ref.code;
  const json* present_value = value != nullptr && !value->is_null() ? value : nullptr;
  const json* present_extension =
      extension != nullptr && !extension->is_null() ? extension : nullptr;
  if (present_value == nullptr && present_extension == nullptr) {
    add(IssueSeverity::Error, IssueType::Structure, path,
        "is null with no '_' entry beside it; null only holds the place of a value whose "
        "extension is given",
        "null");
    return;
  }
  bool is_well_formed = true;  // invariants are not run on a value already reported
  if (present_value != nullptr) {
    if (const auto reason = check_primitive_json(type, *present_value)) {
      is_well_formed = false;
      add(IssueSeverity::Error, IssueType::Value, path,
          fmt::format("{} '{}' {}", type, excerpt(*present_value), *reason),
          excerpt(*present_value));
    } else {
      code_binding(element, *present_value, path);
      fixed_and_pattern(element, *present_value, path);
    }
  }
  if (present_extension != nullptr) {
    if (!present_extension->is_object()) {
      is_well_formed = false;
      add(IssueSeverity::Error, IssueType::Structure, path,
          "has a '_' entry that is not a JSON object (id and extension)",
          excerpt(*present_extension));
    } else {
      if (const auto* type_sd = definitions_.find_structure(type)) {
        object(*present_extension, *type_sd, type_sd->root(), path, frame, depth + 1, false, true);
      }
      if (present_value == nullptr && !present_extension->contains("extension")) {
        add(IssueSeverity::Error, IssueType::Structure, path,
            "has no value and its '_' entry has no extension; an element needs one or the other");
      }
    }
  }
  if (!is_well_formed || !options_.invariant_evaluator) return;
  // A FHIR primitive is an Element (ele-1 on its type's root); a System-typed property
  // (Element.id, Extension.url) is a plain value with no constraints of its own.
  const defs::StructureDefinition* type_sd =
      type_ref.is_system_type ? nullptr : definitions_.find_structure(type);
  invariants(element, type_sd != nullptr ? &type_sd->root() : nullptr,
             present_value != nullptr ? *present_value : null_, present_extension, type, path,
             frame);
}

}  // namespace ptwin::ingest::fhir::validation::detail
