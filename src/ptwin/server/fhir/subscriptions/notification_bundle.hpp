// SPDX-License-Identifier: Apache-2.0
#pragma once
// Notification Bundles (R5 subscriptions.html#notifications): a Bundle of type
// subscription-notification whose first entry is a SubscriptionStatus (status, type,
// eventsSinceSubscriptionStart, one notificationEvent per event with its eventNumber,
// timestamp and, unless the content is empty, focus), followed by one entry per event focus:
// fullUrl and request (method and url of the interaction) for id-only, and the resource too for
// full-resource (a deleted focus has none). integer64 elements are JSON strings (R5 json.html).

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ptwin/core/time.hpp"
#include "ptwin/server/fhir/subscriptions/subscription_channel.hpp"
#include "ptwin/store/fhir/subscription_outbox.hpp"

namespace ptwin::server::fhir::subscriptions {

/// SubscriptionStatus.type (subscription-notification-type).
enum class NotificationType { Handshake, Heartbeat, EventNotification, QueryStatus, QueryEvent };
[[nodiscard]] std::string_view to_string(NotificationType type);

/// Who the notification is about.
struct NotificationSubject {
  std::string base_url{};  // the server's FHIR base, no trailing '/'
  std::string subscription_id{};
  std::string topic_url{};
  std::string status{};  // the Subscription's status when the notification is made
};

/// The JSON of the version an event names, for full-resource; nullopt when that version is a
/// deletion or no longer held.
using FocusLookup =
    std::function<std::optional<nlohmann::json>(const store::fhir::SubscriptionEvent&)>;

/// The SubscriptionStatus resource (no id; it lives in the Bundle under a urn:uuid fullUrl).
[[nodiscard]] nlohmann::json subscription_status(
    const NotificationSubject& subject, NotificationType type, std::int64_t events_since_start,
    std::span<const store::fhir::SubscriptionEvent> events, PayloadContent content);

/// The whole notification Bundle. `lookup` is called for full-resource only.
[[nodiscard]] nlohmann::json notification_bundle(
    const NotificationSubject& subject, NotificationType type, std::int64_t events_since_start,
    std::span<const store::fhir::SubscriptionEvent> events, PayloadContent content,
    const FocusLookup& lookup, time::Instant now);

}  // namespace ptwin::server::fhir::subscriptions
