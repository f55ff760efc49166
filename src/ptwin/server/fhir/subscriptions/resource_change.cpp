// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/resource_change.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

std::size_t slot(Version which) { return which == Version::Previous ? 0 : 1; }

std::string_view name_of(Version which) {
  return which == Version::Previous ? "previous version" : "current version";
}

[[noreturn]] void fail(Interaction interaction, std::string_view where, std::string_view value,
                       std::string_view rule) {
  throw InputError(
      ErrorCode::BadInput,
      fmt::format("subscription topic evaluation ({}): {}", to_string(interaction), where),
      printable_value(value), std::string(rule));
}

// The text of a string member, "" when absent or not a string.
std::string text_of(const nlohmann::json& object, std::string_view key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

}  // namespace

std::string_view to_string(Interaction interaction) {
  switch (interaction) {
    case Interaction::Create:
      return "create";
    case Interaction::Update:
      return "update";
    case Interaction::Delete:
      return "delete";
  }
  return "?";
}

std::optional<Interaction> interaction_from_code(std::string_view code) {
  if (code == "create") return Interaction::Create;
  if (code == "update") return Interaction::Update;
  if (code == "delete") return Interaction::Delete;
  return std::nullopt;
}

ResourceChange::ResourceChange(Interaction interaction, const nlohmann::json* previous,
                               const nlohmann::json* current,
                               const ingest::fhir::indexing::IndexExtractor& extractor)
    : interaction_(interaction), previous_(previous), current_(current), extractor_(extractor) {
  const bool has_previous = previous != nullptr;
  const bool has_current = current != nullptr;
  const std::string given =
      fmt::format("previous {}, current {}", has_previous ? "given" : "absent",
                  has_current ? "given" : "absent");
  if (interaction == Interaction::Create && (has_previous || !has_current)) {
    fail(interaction, "versions", given, "a create needs a current version and no previous one");
  }
  if (interaction == Interaction::Update && !has_current) {
    fail(interaction, "versions", given, "an update needs a current version");
  }
  if (interaction == Interaction::Delete && (!has_previous || has_current)) {
    fail(interaction, "versions", given, "a delete needs a previous version and no current one");
  }
  for (const Version which : {Version::Previous, Version::Current}) {
    const nlohmann::json* resource = version(which);
    if (resource == nullptr) continue;
    if (!resource->is_object()) fail(interaction, name_of(which), "", "must be a JSON object");
    const std::string type = text_of(*resource, "resourceType");
    const std::string id = text_of(*resource, "id");
    if (!store::fhir::is_resource_type_name(type)) {
      fail(interaction, fmt::format("{} resourceType", name_of(which)), type,
           "must be a FHIR resource type name");
    }
    if (!store::fhir::is_resource_id(id)) {
      fail(interaction, fmt::format("{} {}.id", name_of(which), type), id, "must be a FHIR id");
    }
    if (!resource_type_.empty() && (type != resource_type_ || id != id_)) {
      fail(interaction, "versions", fmt::format("{}/{}", type, id),
           fmt::format("names another resource than the previous version {}/{}", resource_type_,
                       id_));
    }
    resource_type_ = type;
    id_ = id;
    const auto meta = resource->find("meta");
    if (meta != resource->end() && meta->is_object() && meta->contains("lastUpdated")) {
      const std::string where = fmt::format("{} {}.meta.lastUpdated", name_of(which), type);
      const std::string text = text_of(*meta, "lastUpdated");
      last_updated_[slot(which)] = time::parse_iso8601(text, std::nullopt, where);
    }
  }
}

std::optional<std::string> ResourceChange::focus_version_id() const {
  const auto meta = focus().find("meta");
  if (meta == focus().end() || !meta->is_object()) return std::nullopt;
  std::string text = text_of(*meta, "versionId");
  if (text.empty()) return std::nullopt;
  return text;
}

const VersionIndex& ResourceChange::index(Version which) const {
  std::optional<VersionIndex>& cached = indexes_[slot(which)];
  if (!cached) {
    const nlohmann::json* resource = version(which);
    if (resource == nullptr) {
      throw Error(ErrorCode::Internal,
                  fmt::format("subscription topic evaluation: the {} of {}/{} does not exist",
                              name_of(which), resource_type_, id_));
    }
    cached = VersionIndex{.rows = extractor_.extract(*resource).rows,
                          .id = id_,
                          .last_updated = last_updated_[slot(which)]};
  }
  return *cached;
}

}  // namespace ptwin::server::fhir::subscriptions
