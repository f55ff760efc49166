// SPDX-License-Identifier: Apache-2.0
// Resources: resourceType, contained resources (resolved through their container) and Bundles
// (entry fullUrls, against which urn:uuid and absolute references resolve).
#include <algorithm>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/validation/detail/walk.hpp"

namespace ptwin::ingest::fhir::validation::detail {
namespace {

bool is_type_name(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  });
}

std::unordered_map<std::string, std::string> contained_types_of(const json& resource) {
  std::unordered_map<std::string, std::string> types;
  const auto contained = resource.find("contained");
  if (contained == resource.end() || !contained->is_array()) return types;
  for (const auto& item : *contained) {
    if (!item.is_object()) continue;
    const auto id = item.find("id");
    const auto type = item.find("resourceType");
    // A contained resource of no valid type is reported on its own; references to it then
    // find nothing rather than a type name that is not one.
    if (id != item.end() && id->is_string() && type != item.end() && type->is_string() &&
        is_type_name(type->get_ref<const std::string&>())) {
      types.emplace(id->get<std::string>(), type->get<std::string>());
    }
  }
  return types;
}

}  // namespace

Walk::Walk(const defs::Definitions& definitions, const ValidatorOptions& options)
    : definitions_(definitions), options_(options), null_(nullptr) {}

void Walk::add(IssueSeverity severity, IssueType type, std::string expression,
               std::string diagnostics, std::string_view value) {
  const bool is_error = severity == IssueSeverity::Error || severity == IssueSeverity::Fatal;
  // "not-supported" notes (a value set not expandable, an invariant not evaluated) come once
  // per value set or constraint, so their number is bounded by the definitions, and they say
  // what was not checked: never dropped.
  if (!is_error && type != IssueType::NotSupported) {
    if (other_count_ >= options_.max_issues) {
      ++other_dropped_;
      return;
    }
    ++other_count_;
  } else {
    if (is_truncated_) return;
    if (error_count_ >= options_.max_issues) {
      is_truncated_ = true;
      issues_.push_back({IssueSeverity::Error,
                         IssueType::TooCostly,
                         std::string(),
                         fmt::format("more than {} errors; validation stopped reporting errors",
                                     options_.max_issues),
                         {}});
      return;
    }
    ++error_count_;
  }
  // The diagnostics name the offending value: an OperationOutcome has no other place for it.
  if (!value.empty() && diagnostics.find(value) == std::string::npos) {
    diagnostics = fmt::format("'{}' {}", value, diagnostics);
  }
  issues_.push_back(
      {severity, type, std::move(expression), std::move(diagnostics), std::string(value)});
}

std::vector<Issue> Walk::take_issues() {
  if (other_dropped_ > 0) {
    issues_.push_back({IssueSeverity::Information,
                       IssueType::TooCostly,
                       std::string(),
                       fmt::format("{} further warning or information issues were not listed "
                                   "(more than {})",
                                   other_dropped_, options_.max_issues),
                       {}});
    other_dropped_ = 0;
  }
  return std::move(issues_);
}

BundleFrame Walk::bundle_frame(const json& bundle) const {
  BundleFrame frame;
  frame.bundle = &bundle;
  if (const auto type = bundle.find("type"); type != bundle.end() && type->is_string()) {
    frame.bundle_type = type->get<std::string>();
  }
  const auto entries = bundle.find("entry");
  if (entries == bundle.end() || !entries->is_array()) return frame;
  for (const auto& entry : *entries) {
    if (!entry.is_object()) continue;
    const auto full_url = entry.find("fullUrl");
    const auto resource = entry.find("resource");
    if (full_url == entry.end() || !full_url->is_string() || resource == entry.end() ||
        !resource->is_object()) {
      continue;
    }
    const auto type = resource->find("resourceType");
    if (type != resource->end() && type->is_string() &&
        is_type_name(type->get_ref<const std::string&>())) {
      frame.full_url_types.emplace(full_url->get<std::string>(), type->get<std::string>());
    }
  }
  return frame;
}

void Walk::resource(const json& value, const std::string& path, const ResourceFrame* container,
                    const std::vector<std::string>& allowed_profiles, std::size_t depth) {
  const auto type_path = path.empty() ? std::string("resourceType") : path + ".resourceType";
  if (depth > options_.max_depth) {
    add(IssueSeverity::Error, IssueType::TooCostly, path,
        fmt::format("nests deeper than {} levels; not checked further", options_.max_depth));
    return;
  }
  if (!value.is_object()) {
    add(IssueSeverity::Fatal, IssueType::Structure, path.empty() ? "$this" : path,
        "is not a JSON object; a resource is one");
    return;
  }
  const auto type_member = value.find("resourceType");
  if (type_member == value.end() || !type_member->is_string()) {
    add(IssueSeverity::Error, IssueType::Required, type_path,
        "is missing or not a string; every resource names its type");
    return;
  }
  const auto& type = type_member->get_ref<const std::string&>();
  const auto* sd = is_type_name(type) ? definitions_.find_structure(type) : nullptr;
  if (sd == nullptr || sd->kind != defs::StructureKind::Resource ||
      sd->derivation == "constraint") {
    add(IssueSeverity::Error, IssueType::Value, type_path,
        fmt::format("'{}' is not an R5 resource type", printable_value(type)),
        printable_value(type));
    return;
  }
  if (sd->is_abstract) {
    add(IssueSeverity::Error, IssueType::Value, type_path,
        fmt::format("'{}' is an abstract type; a resource has a concrete type", type), type);
    return;
  }
  if (!allowed_profiles.empty() && !is_allowed_target(type, allowed_profiles)) {
    add(IssueSeverity::Error, IssueType::Structure, type_path,
        fmt::format("a {} is not allowed here", type), type);
    return;
  }
  const auto resource_path = path.empty() ? type : path;
  std::unordered_map<std::string, std::string> contained_types;
  ResourceFrame frame{value, type, nullptr, {}};
  if (container != nullptr) {
    frame.contained_types = container->contained_types;
    frame.container_type = container->container_type;
    frame.root_resource = container->root_resource;
    frame.bundle = container->bundle;
  } else {
    contained_types = contained_types_of(value);
    frame.contained_types = &contained_types;
    frame.container_type = type;
    frame.root_resource = &value;
    frame.bundle = bundles_.empty() ? nullptr : bundles_.back().bundle;
  }
  const bool is_bundle = type == "Bundle";
  if (is_bundle) bundles_.push_back(bundle_frame(value));
  object(value, *sd, sd->root(), resource_path, frame, depth, true, false);
  invariants(sd->root(), nullptr, value, nullptr, type, resource_path, frame);
  if (is_bundle) bundles_.pop_back();
}

}  // namespace ptwin::ingest::fhir::validation::detail
