// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/notification_bundle.hpp"

#include <fmt/format.h>

#include <random>

namespace ptwin::server::fhir::subscriptions {
namespace {

namespace sf = store::fhir;

// A random UUID v4 (RFC 9562) for the urn:uuid fullUrl of the SubscriptionStatus entry.
std::string random_uuid() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const std::uint64_t high = (random() & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  const std::uint64_t low = (random() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32U, (high >> 16U) & 0xFFFFU,
                     high & 0xFFFFU, low >> 48U, low & 0xFFFFFFFFFFFFULL);
}

std::string method_of(std::string_view interaction) {
  if (interaction == "create") return "POST";
  if (interaction == "update") return "PUT";
  return "DELETE";
}

// Absolute on the server's base; relative ("Encounter/e1") when no base URL is configured.
std::string reference_to(const NotificationSubject& subject, std::string_view type,
                         std::string_view id) {
  if (subject.base_url.empty()) return fmt::format("{}/{}", type, id);
  return fmt::format("{}/{}/{}", subject.base_url, type, id);
}

std::string focus_url(const NotificationSubject& subject, const sf::SubscriptionEvent& event) {
  return reference_to(subject, event.focus_type, event.focus_id);
}

}  // namespace

std::string_view to_string(NotificationType type) {
  switch (type) {
    case NotificationType::Handshake:
      return "handshake";
    case NotificationType::Heartbeat:
      return "heartbeat";
    case NotificationType::EventNotification:
      return "event-notification";
    case NotificationType::QueryStatus:
      return "query-status";
    case NotificationType::QueryEvent:
      return "query-event";
  }
  return "event-notification";
}

nlohmann::json subscription_status(const NotificationSubject& subject, NotificationType type,
                                   std::int64_t events_since_start,
                                   std::span<const sf::SubscriptionEvent> events,
                                   PayloadContent content) {
  nlohmann::json status{
      {"resourceType", "SubscriptionStatus"},
      {"status", subject.status},
      {"type", std::string(to_string(type))},
      {"eventsSinceSubscriptionStart", std::to_string(events_since_start)},
      {"subscription",
       {{"reference", reference_to(subject, "Subscription", subject.subscription_id)}}},
      {"topic", subject.topic_url}};
  if (!events.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const sf::SubscriptionEvent& event : events) {
      nlohmann::json item{{"eventNumber", std::to_string(event.event_number)},
                          {"timestamp", time::format_iso8601(event.recorded)}};
      if (content != PayloadContent::Empty) {
        item["focus"] = {{"reference", focus_url(subject, event)}};
      }
      list.push_back(std::move(item));
    }
    status["notificationEvent"] = std::move(list);
  }
  return status;
}

nlohmann::json notification_bundle(const NotificationSubject& subject, NotificationType type,
                                   std::int64_t events_since_start,
                                   std::span<const sf::SubscriptionEvent> events,
                                   PayloadContent content, const FocusLookup& lookup,
                                   time::Instant now) {
  nlohmann::json entries = nlohmann::json::array();
  entries.push_back(
      {{"fullUrl", "urn:uuid:" + random_uuid()},
       {"resource", subscription_status(subject, type, events_since_start, events, content)}});
  if (content != PayloadContent::Empty) {
    for (const sf::SubscriptionEvent& event : events) {
      nlohmann::json entry{{"fullUrl", focus_url(subject, event)},
                           {"request",
                            {{"method", method_of(event.interaction)},
                             {"url", fmt::format("{}/{}", event.focus_type, event.focus_id)}}}};
      if (content == PayloadContent::FullResource && event.interaction != "delete") {
        if (std::optional<nlohmann::json> resource = lookup(event)) {
          entry["resource"] = std::move(*resource);
        }
      }
      entries.push_back(std::move(entry));
    }
  }
  return {{"resourceType", "Bundle"},
          {"type", "subscription-notification"},
          {"timestamp", time::format_iso8601(now)},
          {"entry", std::move(entries)}};
}

}  // namespace ptwin::server::fhir::subscriptions
