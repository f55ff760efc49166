// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which SubscriptionTopics a resource interaction triggers and which Subscriptions it matches
// (FHIR R5 subscriptions.html, topic-based subscriptions). Delivery of notifications is not
// done here: evaluate() returns the events a delivery component would send.
//
//   TopicRegistry registry(definitions, extractor, clock, {.base_url = "http://host/fhir"});
//   registry.register_topic(admission_topic_json);      // SubscriptionTopic
//   registry.register_subscription(subscription_json);  // Subscription on that topic
//   const TopicEvaluation result =
//       registry.evaluate(Interaction::Update, &previous_encounter, &current_encounter);
//   for (const TopicEvent& event : result.events) { /* event.topic_url, subscription_ids */ }
//
// Topics and subscriptions are checked and compiled when registered (criteria parsed,
// FHIRPath compiled), so evaluation only matches. Semantics and errors: docs/subscriptions.md.
//
// Thread-safety: every member may be called from several threads. evaluate() takes a shared
// lock, registration and removal an exclusive one.

#include <cstddef>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/definition_types.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/server/fhir/subscriptions/compiled_subscription.hpp"
#include "ptwin/server/fhir/subscriptions/compiled_topic.hpp"
#include "ptwin/server/fhir/subscriptions/resource_change.hpp"

namespace ptwin::server::fhir::subscriptions {

struct TopicRegistrySettings {
  /// The server's base URL: absolute references to it in criteria and filters are read as
  /// local ones, as the facade's search does. "" when there is none.
  std::string base_url{};
};

/// What register_topic() accepted.
struct TopicRegistration {
  std::string url{};
  bool is_active = false;
  std::vector<std::string> resource_types{};
  std::size_t event_trigger_count = 0;
  /// What the topic will never do (compiled_topic.hpp); also logged as warnings.
  std::vector<std::string> notes{};
};

/// A triggered topic: what a notification would be about.
struct TopicEvent {
  std::string topic_url{};
  Interaction interaction = Interaction::Create;
  /// The resource the interaction is about (the previous version for a delete).
  std::string focus_type{};
  std::string focus_id{};
  std::optional<std::string> focus_version_id{};  // its meta.versionId, when it has one
  /// The active subscriptions whose filters match, in id order (may be empty).
  std::vector<std::string> subscription_ids{};
  /// "Type/id".
  [[nodiscard]] std::string focus_reference() const;
};

/// A topic trigger or subscription filter that could not be evaluated for this interaction.
/// The trigger counts as not firing (other triggers of the topic still may), the subscription
/// as not matching. `message` is the InputError's: it names the topic (and subscription), the
/// element and the expression or criteria, and quotes no resource values.
struct TopicFailure {
  std::string topic_url{};
  std::optional<std::string> subscription_id{};
  std::string message{};
};

struct [[nodiscard]] TopicEvaluation {
  std::vector<TopicEvent> events{};  // in topic url order
  std::vector<TopicFailure> failures{};
};

class TopicRegistry {
 public:
  /// Every reference must outlive the registry. `clock` gives the instant of evaluation (the
  /// `ap` prefix on dates, FHIRPath now(), Subscription.end).
  TopicRegistry(const ingest::fhir::definitions::Definitions& definitions,
                const ingest::fhir::indexing::IndexExtractor& extractor, const time::Clock& clock,
                TopicRegistrySettings settings = {});

  /// Compiles `topic` (compile_topic) and registers it under its url, replacing a topic with
  /// that url after re-checking each of its subscriptions against the new version. Throws
  /// InputError(BadInput) naming the topic, the element and the offending value: a criterion
  /// that needs other resources or is not a criterion, an unknown parameter, FHIRPath that
  /// does not parse, a code outside its value set; or naming the subscription that the new
  /// version would invalidate. Nothing changes when it throws.
  TopicRegistration register_topic(const nlohmann::json& topic);

  /// Removes the topic. Throws Error(NotFound) for an unknown url, InputError(BadInput) naming
  /// a subscription while any is registered on it.
  void remove_topic(std::string_view url);

  /// Compiles `subscription` (compile_subscription) against the registered topic its topic
  /// canonical names and registers it under its id, replacing one with that id. Throws
  /// InputError(BadInput) naming the subscription, the element and the value: an unknown topic
  /// canonical, a filter the topic's canFilterBy does not allow, an unparsable filter.
  void register_subscription(const nlohmann::json& subscription);

  /// Removes the subscription; false when no subscription has that id.
  [[nodiscard]] bool remove_subscription(std::string_view id);

  /// The active topics that `interaction` triggers, each with its matching active
  /// subscriptions. `previous` is the version before the interaction (nullptr for a create,
  /// and for an update that creates), `current` the version after it (nullptr for a delete).
  /// Throws InputError(BadInput) when the versions do not fit the interaction (ResourceChange);
  /// a topic or filter that fails on these versions is reported in `failures`.
  [[nodiscard]] TopicEvaluation evaluate(Interaction interaction, const nlohmann::json* previous,
                                         const nlohmann::json* current) const;

  [[nodiscard]] std::size_t topic_count() const;
  [[nodiscard]] std::size_t subscription_count() const;

 private:
  struct RegisteredSubscription {
    nlohmann::json source;  // kept to re-check it when its topic is replaced
    CompiledSubscription compiled;
  };
  struct RegisteredTopic {
    CompiledTopic topic;
    std::map<std::string, RegisteredSubscription, std::less<>> subscriptions;
  };

  [[nodiscard]] CompileContext compile_context() const;
  void evaluate_topic(const RegisteredTopic& entry, const ResourceChange& change, time::Instant now,
                      TopicEvaluation& result) const;

  const ingest::fhir::definitions::Definitions& definitions_;
  const ingest::fhir::indexing::IndexExtractor& extractor_;
  const time::Clock& clock_;
  TopicRegistrySettings settings_;
  ingest::fhir::indexing::DefinitionTypes types_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, RegisteredTopic, std::less<>> topics_;           // by url
  std::map<std::string, std::string, std::less<>> subscription_topics_;  // id -> topic url
};

}  // namespace ptwin::server::fhir::subscriptions
