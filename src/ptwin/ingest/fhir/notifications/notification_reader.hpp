// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads a topic-based subscription notification Bundle (FHIR R5 subscriptions.html) as a
// subscriber receives it: a Bundle of type subscription-notification whose first entry is a
// SubscriptionStatus, followed by entries for the events' focus resources.
//
// It checks what a receiver relies on and refuses the rest with InputError naming the element
// and the value: JSON object, resourceType Bundle, type subscription-notification, a first
// entry holding a SubscriptionStatus with a known type and status, a subscription reference,
// eventsSinceSubscriptionStart and eventNumbers as integer64 (JSON strings of digits, R5
// json.html), event numbers strictly increasing and not above eventsSinceSubscriptionStart,
// at least one event in an event-notification and none in a handshake or heartbeat, every
// event focus present as an entry fullUrl, and every entry with a fullUrl (and, when it has
// one, a resource object with a resourceType). Resource contents are not validated here: the
// receiver's consumer does that.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptwin::ingest::fhir::notifications {

/// SubscriptionStatus.notificationEvent.
struct NotificationEvent {
  std::int64_t event_number = 0;
  std::optional<std::string> focus{};      // focus.reference; absent for content "empty"
  std::optional<std::string> timestamp{};  // as sent
};

/// An entry after the SubscriptionStatus.
struct NotificationEntry {
  std::string full_url{};
  std::optional<std::string> method{};  // request.method: POST, PUT, DELETE
  std::optional<nlohmann::json> resource{};
};

struct Notification {
  std::string type{};    // handshake | heartbeat | event-notification | query-status | query-event
  std::string status{};  // the Subscription's status as the sender saw it
  std::string subscription{};  // SubscriptionStatus.subscription.reference
  std::string topic{};
  std::int64_t events_since_start = 0;  // 0 when absent (allowed for a handshake)
  std::vector<NotificationEvent> events{};
  std::vector<NotificationEntry> entries{};
  /// The entry whose fullUrl is `url`, nullptr when none.
  [[nodiscard]] const NotificationEntry* entry(std::string_view url) const;
};

/// Parses and checks `body` (see the file comment). Throws InputError(BadInput) whose where()
/// starts with "notification" and names the element, e.g. "notification
/// entry[0].resource.notificationEvent[2].eventNumber".
[[nodiscard]] Notification read_notification(std::string_view body);

}  // namespace ptwin::ingest::fhir::notifications
