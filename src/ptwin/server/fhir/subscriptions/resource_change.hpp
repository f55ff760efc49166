// SPDX-License-Identifier: Apache-2.0
#pragma once
// One resource interaction as the subscription topics see it (R5 subscriptions.html): the
// interaction, the version before it (absent for a create) and the version after it (absent for
// a delete), each with its search-index rows extracted on first use, exactly as the store
// would index that version.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ptwin/core/time.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/store/fhir/criterion_match.hpp"
#include "ptwin/store/fhir/index_rows.hpp"

namespace ptwin::server::fhir::subscriptions {

/// SubscriptionTopic.resourceTrigger.supportedInteraction (value set interaction-trigger).
enum class Interaction { Create, Update, Delete };

/// "create", "update", "delete".
[[nodiscard]] std::string_view to_string(Interaction interaction);
/// The interaction for a supportedInteraction code; nullopt for another code.
[[nodiscard]] std::optional<Interaction> interaction_from_code(std::string_view code);

enum class Version { Previous, Current };

/// What a search sees of one version: its index rows and the resource-table columns that
/// `_id` and `_lastUpdated` read (meta.lastUpdated, when the version carries one).
struct VersionIndex {
  store::fhir::IndexRows rows{};
  std::string id{};
  std::optional<time::Instant> last_updated{};
  [[nodiscard]] store::fhir::ResourceFacts facts() const {
    return {.id = id, .last_updated = last_updated};
  }
};

/// Not thread-safe (the index is cached on first use): make one per evaluation. Holds
/// pointers to the versions, which must outlive it.
class ResourceChange {
 public:
  /// Checks the versions against the interaction: a create has a current version and no
  /// previous one, an update a current one (no previous one is an update-as-create), a delete a
  /// previous one and no current one. Each version must be a JSON object with a resourceType
  /// and a FHIR id; both versions must name the same type and id; meta.lastUpdated, when
  /// present, must be a FHIR instant. Throws InputError(BadInput) naming the version and the
  /// element otherwise. `extractor` must outlive the object.
  ResourceChange(Interaction interaction, const nlohmann::json* previous,
                 const nlohmann::json* current,
                 const ingest::fhir::indexing::IndexExtractor& extractor);

  [[nodiscard]] Interaction interaction() const noexcept { return interaction_; }
  [[nodiscard]] const std::string& resource_type() const noexcept { return resource_type_; }
  [[nodiscard]] const std::string& id() const noexcept { return id_; }
  /// The version, nullptr when it does not exist.
  [[nodiscard]] const nlohmann::json* version(Version which) const noexcept {
    return which == Version::Previous ? previous_ : current_;
  }
  /// The resource the interaction is about: the current version, or the previous one for a
  /// delete (SubscriptionStatus.notificationEvent.focus).
  [[nodiscard]] Version focus_version() const noexcept {
    return current_ != nullptr ? Version::Current : Version::Previous;
  }
  [[nodiscard]] const nlohmann::json& focus() const noexcept { return *version(focus_version()); }
  /// meta.versionId of the focus, when it has one.
  [[nodiscard]] std::optional<std::string> focus_version_id() const;

  /// The index of an existing version, extracted on the first call (parameters the extractor
  /// cannot evaluate have no rows, as in the store).
  [[nodiscard]] const VersionIndex& index(Version which) const;

 private:
  Interaction interaction_;
  const nlohmann::json* previous_;
  const nlohmann::json* current_;
  const ingest::fhir::indexing::IndexExtractor& extractor_;
  std::string resource_type_;
  std::string id_;
  std::array<std::optional<time::Instant>, 2> last_updated_{};
  mutable std::array<std::optional<VersionIndex>, 2> indexes_{};
};

}  // namespace ptwin::server::fhir::subscriptions
