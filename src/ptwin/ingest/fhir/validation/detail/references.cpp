// SPDX-License-Identifier: Apache-2.0
// Literal references (references.html#literal): "Type/id[/_history/vid]", an absolute URL,
// "#id" of a contained resource ("#" alone: the container), urn:uuid: / urn:oid: resolved in
// the enclosing Bundle, and "Type?query" conditional references inside a transaction. The
// target's type is checked against the element's targetProfile list.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/validation/detail/walk.hpp"
#include "ptwin/ingest/fhir/validation/primitive_types.hpp"

namespace ptwin::ingest::fhir::validation::detail {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool is_id(std::string_view text) { return !check_primitive_text("id", text).has_value(); }

bool is_transaction(const BundleFrame& bundle) {
  return bundle.bundle_type == "transaction" || bundle.bundle_type == "transaction-response";
}

}  // namespace

bool Walk::is_allowed_target(std::string_view type,
                             const std::vector<std::string>& target_profiles) {
  for (const auto& profile : target_profiles) {
    const auto* sd = definitions_.find_structure(profile);
    if (sd == nullptr) return true;  // a profile the package lacks: the type cannot be judged
    if (sd->type == "Resource" || definitions_.is_subtype_of(type, sd->type)) return true;
  }
  return false;
}

ReferenceTarget Walk::target_of(std::string_view reference, const std::string& path,
                                const ResourceFrame& frame) {
  if (reference.starts_with('#')) return contained_target(reference, path, frame);
  if (reference.starts_with("urn:uuid:") || reference.starts_with("urn:oid:")) {
    return urn_target(reference, path);
  }
  // A conditional reference's query may hold URLs: only the part before '?' decides.
  if (reference.substr(0, reference.find('?')).find("://") != std::string_view::npos) {
    if (auto type = bundle_entry_type(reference)) return {std::move(type), true};
    const auto parts = split(reference.substr(0, reference.find_first_of("?#")), '/');
    const auto n = parts.size();
    if (n >= 4 && parts[n - 2] == "_history" && definitions_.is_resource_type(parts[n - 4])) {
      return {std::string(parts[n - 4]), true};
    }
    if (n >= 2 && definitions_.is_resource_type(parts[n - 2])) {
      return {std::string(parts[n - 2]), true};
    }
    return {std::nullopt, true};  // a URL whose last segments name no resource: type unknown
  }
  return relative_target(reference, path);
}

std::optional<std::string> Walk::bundle_entry_type(std::string_view full_url) const {
  if (bundles_.empty()) return std::nullopt;
  const auto& types = bundles_.back().full_url_types;
  const auto it = types.find(std::string(full_url));
  if (it == types.end()) return std::nullopt;
  return it->second;
}

ReferenceTarget Walk::malformed(std::string_view reference, const std::string& path, IssueType type,
                                std::string rule) {
  add(IssueSeverity::Error, type, path, std::move(rule), printable_value(reference));
  return {std::nullopt, false};
}

ReferenceTarget Walk::contained_target(std::string_view reference, const std::string& path,
                                       const ResourceFrame& frame) {
  const auto id = reference.substr(1);
  if (id.empty()) return {frame.container_type, true};
  if (frame.contained_types != nullptr) {
    if (const auto it = frame.contained_types->find(std::string(id));
        it != frame.contained_types->end()) {
      return {it->second, true};
    }
  }
  return malformed(reference, path, IssueType::NotFound,
                   fmt::format("'{}' names no contained resource of the {}",
                               printable_value(reference), frame.container_type));
}

ReferenceTarget Walk::urn_target(std::string_view reference, const std::string& path) {
  const bool is_uuid = reference.starts_with("urn:uuid:");
  if (const auto reason = check_primitive_text(is_uuid ? "uuid" : "oid", reference)) {
    return malformed(reference, path, IssueType::Value,
                     fmt::format("'{}' {}", printable_value(reference), *reason));
  }
  if (auto type = bundle_entry_type(reference)) return {std::move(type), true};
  if (bundles_.empty()) return {std::nullopt, true};  // resolved by whoever receives it
  const auto& bundle = bundles_.back();
  const bool is_error = is_transaction(bundle);
  add(is_error ? IssueSeverity::Error : IssueSeverity::Warning, IssueType::NotFound, path,
      fmt::format("'{}' matches no entry fullUrl of this {} Bundle", printable_value(reference),
                  printable_value(bundle.bundle_type)),
      printable_value(reference));
  return {std::nullopt, !is_error};
}

ReferenceTarget Walk::relative_target(std::string_view reference, const std::string& path) {
  if (const auto query = reference.find('?'); query != std::string_view::npos) {
    const auto type = reference.substr(0, query);
    if (bundles_.empty() || !is_transaction(bundles_.back())) {
      return malformed(reference, path, IssueType::Value,
                       "is a conditional reference (Type?query); those are allowed only inside "
                       "a transaction Bundle");
    }
    if (!definitions_.is_resource_type(type)) {
      return malformed(
          reference, path, IssueType::Value,
          fmt::format("names '{}', which is not a resource type", printable_value(type)));
    }
    return {std::string(type), true};
  }
  const auto parts = split(reference, '/');
  const bool has_shape =
      (parts.size() == 2 && is_id(parts[1])) ||
      (parts.size() == 4 && is_id(parts[1]) && parts[2] == "_history" && is_id(parts[3]));
  if (!has_shape) {
    return malformed(reference, path, IssueType::Value,
                     "is not a reference of the form Type/id, Type/id/_history/vid, an absolute "
                     "URL, #id or urn:uuid:");
  }
  if (!definitions_.is_resource_type(parts[0])) {
    return malformed(
        reference, path, IssueType::Value,
        fmt::format("names '{}', which is not a resource type", printable_value(parts[0])));
  }
  return {std::string(parts[0]), true};
}

void Walk::reference(const json& value, const std::vector<std::string>& target_profiles,
                     const std::string& path, const ResourceFrame& frame) {
  if (!value.is_object()) return;  // reported by the object walk
  std::optional<std::string> target;
  std::string target_path;
  if (const auto it = value.find("reference"); it != value.end() && it->is_string()) {
    target_path = path + ".reference";
    auto resolved = target_of(it->get_ref<const std::string&>(), target_path, frame);
    if (!resolved.is_well_formed) return;
    target = std::move(resolved.type);
  }
  if (const auto it = value.find("type"); it != value.end() && it->is_string()) {
    const auto& declared = it->get_ref<const std::string&>();
    if (definitions_.is_resource_type(declared)) {
      if (target && !definitions_.is_subtype_of(*target, declared)) {
        add(IssueSeverity::Error, IssueType::Value, path + ".type",
            fmt::format("'{}' disagrees with the reference, which points at a resource of type {}",
                        declared, *target),
            declared);
        return;
      }
      if (!target) {
        target = declared;
        target_path = path + ".type";
      }
    }
  }
  if (!target || target_profiles.empty() || is_allowed_target(*target, target_profiles)) return;
  std::vector<std::string> allowed;
  for (const auto& profile : target_profiles) {
    allowed.emplace_back(profile.substr(profile.rfind('/') + 1));
  }
  add(IssueSeverity::Error, IssueType::Value, target_path,
      fmt::format("points at a resource of type {}; this element may refer to {}",
                  printable_value(*target), fmt::join(allowed, ", ")),
      printable_value(*target));
}

}  // namespace ptwin::ingest::fhir::validation::detail
