// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/subscription_operations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "ptwin/server/fhir/fhir_response.hpp"
#include "ptwin/server/fhir/subscriptions/notification_bundle.hpp"
#include "ptwin/server/fhir/subscriptions/subscription_channel.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

namespace sf = store::fhir;

nlohmann::json stored_subscription(sf::ResourceTransaction& transaction, std::string_view id) {
  if (!sf::is_resource_id(id)) {
    throw FhirError(400, "invalid", fmt::format("'{}' is not a FHIR id", id));
  }
  const sf::ReadResult found = transaction.read("Subscription", id);
  if (found.status != sf::ReadStatus::Found) {
    throw FhirError(404, "not-found", fmt::format("Subscription/{} is not known", id));
  }
  return nlohmann::json::parse(found.version->json);
}

NotificationSubject subject_of(const nlohmann::json& subscription, std::string_view id,
                               const std::string& base_url) {
  const std::string canonical = subscription.value("topic", std::string());
  return {.base_url = base_url,
          .subscription_id = std::string(id),
          .topic_url = canonical.substr(0, canonical.find('|')),
          .status = subscription.value("status", std::string())};
}

std::int64_t event_number(std::string_view name, std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1) {
    throw FhirError(
        400, "invalid",
        fmt::format("{} '{}': give an event number, an integer of 1 or more", name, text),
        std::string(name));
  }
  return value;
}

}  // namespace

nlohmann::json status_operation(sf::ResourceTransaction& transaction, std::string_view id,
                                const std::string& base_url) {
  const nlohmann::json subscription = stored_subscription(transaction, id);
  const sf::SubscriptionEventCounters counters = transaction.subscription_event_counters(id);
  nlohmann::json status =
      subscription_status(subject_of(subscription, id, base_url), NotificationType::QueryStatus,
                          counters.last_event_number, {}, PayloadContent::Empty);
  return {{"resourceType", "Bundle"},
          {"type", "searchset"},
          {"total", 1},
          {"entry", nlohmann::json::array(
                        {{{"resource", std::move(status)}, {"search", {{"mode", "match"}}}}})}};
}

nlohmann::json events_operation(sf::ResourceTransaction& transaction, std::string_view id,
                                const QueryParams& params, const std::string& base_url,
                                time::Instant now) {
  const nlohmann::json subscription = stored_subscription(transaction, id);
  const sf::SubscriptionEventCounters counters = transaction.subscription_event_counters(id);
  std::optional<std::int64_t> since;
  std::optional<std::int64_t> until;
  PayloadContent content = PayloadContent::IdOnly;
  try {
    content = read_channel(subscription).content;
  } catch (const InputError&) {
    // A stored Subscription with a channel this server does not serve: id-only still answers.
  }
  for (const auto& [name, value] : params) {
    if (name == "eventsSinceNumber") {
      since = event_number(name, value);
    } else if (name == "eventsUntilNumber") {
      until = event_number(name, value);
    } else if (name == "content") {
      const auto parsed = payload_content_from_code(value);
      if (!parsed) {
        throw FhirError(400, "invalid",
                        fmt::format("content '{}': use empty, id-only or full-resource", value),
                        "content");
      }
      content = *parsed;
    } else if (name != "_format") {
      throw FhirError(400, "not-supported",
                      fmt::format("$events has no parameter '{}'; it takes eventsSinceNumber, "
                                  "eventsUntilNumber and content",
                                  name),
                      name);
    }
  }
  const std::int64_t last = std::max<std::int64_t>(counters.last_event_number, 1);
  const std::int64_t to = std::min(until.value_or(last), last);
  // Without eventsSinceNumber: the last events still held (numbers the retention purge removed
  // are not asked for, so they are left out rather than refused).
  const std::int64_t from = since.value_or(std::max<std::int64_t>(
      {1, to - kMaxEventsPerQuery + 1, counters.purged_through + 1}));
  if (since && until && *until < *since) {
    throw FhirError(
        400, "invalid",
        fmt::format("eventsUntilNumber {} is below eventsSinceNumber {}", *until, *since),
        "eventsUntilNumber");
  }
  if (since && *since <= counters.purged_through) {
    const std::int64_t gone_to = std::min(counters.purged_through, until.value_or(INT64_MAX));
    throw FhirError(
        410, "deleted",
        fmt::format("Subscription/{}: event{} {} no longer held: events {} to {} were delivered "
                    "and purged by the retention policy; events from {} on are held",
                    id, *since == gone_to ? "" : "s",
                    *since == gone_to ? fmt::format("{} is", *since)
                                      : fmt::format("{} to {} are", *since, gone_to),
                    1, counters.purged_through, counters.purged_through + 1),
        "eventsSinceNumber");
  }
  std::vector<sf::SubscriptionEvent> events;
  if (counters.last_event_number > 0 && from <= to) {
    events = transaction.subscription_events({.subscription_id = std::string(id),
                                              .since = from,
                                              .until = to,
                                              .limit = kMaxEventsPerQuery});
  }
  const FocusLookup lookup =
      [&](const sf::SubscriptionEvent& event) -> std::optional<nlohmann::json> {
    const sf::ReadResult found =
        transaction.vread(event.focus_type, event.focus_id, event.focus_version_id);
    if (found.status != sf::ReadStatus::Found) return std::nullopt;
    return nlohmann::json::parse(found.version->json);
  };
  return notification_bundle(subject_of(subscription, id, base_url), NotificationType::QueryEvent,
                             counters.last_event_number, events, content, lookup, now);
}

}  // namespace ptwin::server::fhir::subscriptions
