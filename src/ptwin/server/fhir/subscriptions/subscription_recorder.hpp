// SPDX-License-Identifier: Apache-2.0
#pragma once
// Turns committed resource changes into numbered subscription events (R5 subscriptions.html)
// and keeps the TopicRegistry equal to the SubscriptionTopic and Subscription resources of the
// store.
//
// The facade calls record() inside the write transaction of each create, update and delete,
// after the store wrote the new version and before commit: matches are appended to the
// store's outbox (store/fhir/subscription_outbox.hpp) in that same transaction, so a change is
// committed with its events or not at all, and event numbers follow commit order (writers are
// serialised by the store). A SubscriptionTopic or Subscription written through the facade is
// (re)registered in record() too, so that an invalid one is refused with the request
// (InputError → 400) and rolls it back. Because the registry is memory and a transaction may
// still roll back after record() (a later entry of a transaction Bundle fails), the facade
// calls resync() once the request's transactions have ended: it re-reads each touched topic
// and subscription from the store and registers, replaces or removes it to match.
//
// Thread-safety: every member may be called from several threads (the registry locks).

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/server/fhir/subscriptions/topic_registry.hpp"
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::server::fhir::subscriptions {

/// A SubscriptionTopic or Subscription written during a request: its id and every topic url
/// it had (previous and current version), so that resync() can undo a registration.
struct SubscriptionTouch {
  std::string resource_type{};
  std::string id{};
  std::vector<std::string> topic_urls{};
};

struct LoadSummary {
  std::size_t topics = 0;
  std::size_t subscriptions = 0;
  /// Stored topics or subscriptions that no longer compile (logged with the reason); they are
  /// not registered and receive nothing until corrected.
  std::size_t refused = 0;
};

class SubscriptionRecorder {
 public:
  /// Every reference must outlive the recorder.
  SubscriptionRecorder(store::fhir::ResourceStore& store,
                       const ingest::fhir::definitions::Definitions& definitions,
                       const ingest::fhir::indexing::IndexExtractor& extractor,
                       const time::Clock& clock, TopicRegistrySettings settings = {});

  /// Registers every stored SubscriptionTopic, then every Subscription that is not off or
  /// entered-in-error. Call once, before serving.
  LoadSummary load();

  /// Called inside `transaction` after a write: `previous` is the version before it (nullptr
  /// for a create or an update that created), `current` the version written (nullptr for a
  /// delete). Registers topics and subscriptions (throws InputError naming the element when
  /// one is invalid or, for a topic delete, still has subscriptions), then appends an outbox
  /// event for each matching subscription. A topic or filter that cannot be evaluated on these
  /// versions is logged and matches nothing (TopicFailure). Appends to `touched`. Returns
  /// the number of events appended.
  std::size_t record(store::fhir::ResourceTransaction& transaction, Interaction interaction,
                     const nlohmann::json* previous, const nlohmann::json* current,
                     std::vector<SubscriptionTouch>& touched);

  /// Makes the registry match the store for what `touched` names (see the file comment).
  /// Never throws: a stored resource that does not compile is logged and left unregistered.
  void resync(std::span<const SubscriptionTouch> touched);

  /// Writes a new version of Subscription `id` with `status` (the delivery side: requested →
  /// active after a handshake, active → error after repeated failures, error → active when the
  /// endpoint answers again) and re-registers it. Returns false when the Subscription is gone
  /// or changed since `expected_version` (a client wrote it meanwhile; the caller re-reads).
  [[nodiscard]] bool set_status(std::string_view id, std::string_view status,
                                std::int64_t expected_version);

  /// Called by events_committed(): typically RestHookDelivery::wake, so that delivery starts
  /// at once instead of at its next poll. Set it before serving (not synchronised).
  void set_event_listener(std::function<void()> listener) { listener_ = std::move(listener); }
  /// The facade calls this after a request whose transactions appended events (a rolled-back
  /// one only causes a round that finds nothing new).
  void events_committed() const {
    if (listener_) listener_();
  }

  [[nodiscard]] const TopicRegistry& registry() const { return registry_; }
  [[nodiscard]] const time::Clock& clock() const { return clock_; }

 private:
  void register_change(Interaction interaction, const nlohmann::json* previous,
                       const nlohmann::json* current, std::vector<SubscriptionTouch>& touched);
  void register_stored_subscription(const nlohmann::json& subscription);

  store::fhir::ResourceStore& store_;
  const ingest::fhir::indexing::IndexExtractor& extractor_;
  const time::Clock& clock_;
  TopicRegistry registry_;
  std::function<void()> listener_;
};

/// Is a Subscription with this status registered (and so given events)? requested, active
/// and error are; off and entered-in-error are not. An error subscription keeps its events so
/// that nothing is lost while its endpoint is down (docs/subscriptions.md#guarantees).
[[nodiscard]] bool is_registered_status(std::string_view status);

}  // namespace ptwin::server::fhir::subscriptions
