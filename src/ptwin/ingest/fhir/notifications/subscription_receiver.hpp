// SPDX-License-Identifier: Apache-2.0
#pragma once
// ptwin as the subscriber of an EHR's topic-based Subscription (R5 subscriptions.html): takes
// the notification Bundles the EHR sends, hands every event to a handler exactly once and in
// event-number order, and recovers what it missed.
//
// - An event numbered at or below the last handled one is a repeat (the sender retried after a
//   lost answer) and is dropped, counted.
// - An event above last+1, or a heartbeat whose eventsSinceSubscriptionStart is above the last
//   handled number, means events were lost: they are fetched with GET
//   Subscription/[id]/$events?eventsSinceNumber=..&eventsUntilNumber=.. and handled first.
//   If the EHR no longer has one of them, Error(Io) says which numbers are missing and the
//   last handled number stays where it was.
// - An id-only event's focus is read from the EHR with the FHIR client; a full-resource one
//   comes in the Bundle; a deletion (request.method DELETE, or 410 on read) reaches the
//   handler with no resource.
// The handler runs before the event counts as handled: if it throws, the exception propagates
// (an endpoint answers 500, so the EHR sends the event again).
//
// Not thread-safe: one receiver per subscription, called from one thread at a time.

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/ingest/fhir/notifications/notification_reader.hpp"

namespace ptwin::ingest::fhir::notifications {

/// One event as the twin sees it.
struct ReceivedEvent {
  std::int64_t event_number = 0;
  std::string focus{};                  // the focus reference as sent ("" for content "empty")
  std::optional<std::string> method{};  // POST / PUT / DELETE when the sender said
  /// The focus resource; nullopt when it was deleted or the content is "empty".
  std::optional<nlohmann::json> resource{};
  bool is_recovered = false;  // fetched with $events rather than notified
};

using EventHandler = std::function<void(const ReceivedEvent&)>;

/// What one receive() did.
struct ReceiveOutcome {
  std::string type{};  // the notification's type
  int handled = 0;     // events handed to the handler (recovered ones included)
  int recovered = 0;   // of which fetched with $events
  int repeats = 0;     // events dropped as already handled
};

class SubscriptionReceiver {
 public:
  /// `client` talks to the EHR that owns Subscription `subscription_id`; `last_handled` is the
  /// last event number already handled (0 for a new subscription; persisted by the caller).
  SubscriptionReceiver(FhirClient& client, std::string subscription_id, EventHandler handler,
                       std::int64_t last_handled = 0);

  /// Handles one notification Bundle. Throws InputError (from read_notification, or when the
  /// Bundle is about another subscription) for a Bundle to refuse and quarantine; Error(Io) or
  /// FhirClientError when a gap or a focus cannot be fetched; whatever the handler throws.
  ReceiveOutcome receive(std::string_view body);

  /// What was notified while this receiver was not running (a restart): reads the
  /// subscription's eventsSinceSubscriptionStart with GET Subscription/[id]/$status and handles
  /// the events after the last handled one, fetched with $events. When the EHR's count is below
  /// the last handled number, its Subscription was created anew (numbering restarted): a
  /// warning is logged and every event of the new one is handled. Throws InputError for a
  /// $status answer that is not a Bundle holding this subscription's SubscriptionStatus with an
  /// integer64 count, and what receive() throws for the recovery.
  ReceiveOutcome catch_up();

  [[nodiscard]] std::int64_t last_handled() const { return last_handled_; }
  [[nodiscard]] const std::string& subscription_id() const { return subscription_id_; }

 private:
  void handle_events(const Notification& notification, bool is_recovered, ReceiveOutcome& outcome);
  void recover(std::int64_t from, std::int64_t to, ReceiveOutcome& outcome);
  void handle(const Notification& notification, const NotificationEvent& event, bool is_recovered);
  [[nodiscard]] std::optional<nlohmann::json> fetch_focus(const std::string& reference);

  FhirClient& client_;
  std::string subscription_id_;
  EventHandler handler_;
  std::int64_t last_handled_;
};

}  // namespace ptwin::ingest::fhir::notifications
