// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/notifications/subscription_receiver.hpp"

#include <fmt/format.h>

#include <charconv>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"

namespace ptwin::ingest::fhir::notifications {
namespace {

// "…/Subscription/7" or "Subscription/7" names subscription "7".
bool names_subscription(std::string_view reference, std::string_view id) {
  const std::string tail = fmt::format("Subscription/{}", id);
  if (!reference.ends_with(tail)) return false;
  return reference.size() == tail.size() || reference[reference.size() - tail.size() - 1] == '/';
}

// The type and id at the end of a focus reference ("http://ehr/fhir/Encounter/e1" or
// "Encounter/e1", with an optional "/_history/n", which is ignored: the current version is read).
std::pair<std::string, std::string> type_and_id(std::string_view reference) {
  if (const auto history = reference.find("/_history/"); history != std::string_view::npos) {
    reference = reference.substr(0, history);
  }
  const auto last = reference.rfind('/');
  if (last == std::string_view::npos || last == 0) {
    throw InputError(ErrorCode::BadInput, "notification focus", printable_value(reference),
                     "must end in [type]/[id]");
  }
  const auto before = reference.rfind('/', last - 1);
  const std::size_t start = before == std::string_view::npos ? 0 : before + 1;
  return {std::string(reference.substr(start, last - start)),
          std::string(reference.substr(last + 1))};
}

}  // namespace

SubscriptionReceiver::SubscriptionReceiver(FhirClient& client, std::string subscription_id,
                                           EventHandler handler, std::int64_t last_handled)
    : client_(client),
      subscription_id_(std::move(subscription_id)),
      handler_(std::move(handler)),
      last_handled_(last_handled) {
  require_logical_id(subscription_id_, "receiver.subscription_id");
}

ReceiveOutcome SubscriptionReceiver::receive(std::string_view body) {
  const Notification notification = read_notification(body);
  if (!names_subscription(notification.subscription, subscription_id_)) {
    throw InputError(
        ErrorCode::BadInput, "notification entry[0].resource.subscription.reference",
        printable_value(notification.subscription),
        fmt::format("must name Subscription/{}, the one this receiver serves", subscription_id_));
  }
  ReceiveOutcome outcome{.type = notification.type, .handled = 0, .recovered = 0, .repeats = 0};
  if (notification.type == "event-notification" || notification.type == "query-event") {
    handle_events(notification, false, outcome);
  } else if (notification.type == "heartbeat" && notification.events_since_start > last_handled_) {
    // Nothing is in flight when a heartbeat is sent: anything above our mark was lost.
    recover(last_handled_ + 1, notification.events_since_start, outcome);
  }
  return outcome;
}

namespace {

// eventsSinceSubscriptionStart of the SubscriptionStatus in a $status answer (R5
// subscription-operation-status: a searchset Bundle of SubscriptionStatus resources).
std::int64_t events_since_start(const nlohmann::json& answer, std::string_view subscription_id) {
  const auto refuse = [](std::string element, const nlohmann::json& value, std::string rule) {
    throw InputError(ErrorCode::BadInput, "$status " + element, printable_value(value.dump()),
                     std::move(rule));
  };
  if (!answer.is_object() || answer.value("resourceType", "") != "Bundle") {
    refuse("resourceType", answer.is_object() ? answer.value("resourceType", nlohmann::json())
                                              : answer,
           "must be Bundle");
  }
  const auto entries = answer.find("entry");
  if (entries == answer.end() || !entries->is_array()) {
    refuse("entry", answer.value("entry", nlohmann::json()),
           "must hold the SubscriptionStatus of the subscription");
  }
  for (const auto& entry : *entries) {
    const auto resource = entry.find("resource");
    if (resource == entry.end() || !resource->is_object() ||
        resource->value("resourceType", "") != "SubscriptionStatus") {
      continue;
    }
    const auto subscription = resource->find("subscription");
    if (subscription == resource->end() || !subscription->is_object()) continue;
    const auto reference = subscription->find("reference");
    if (reference == subscription->end() || !reference->is_string() ||
        !names_subscription(reference->get_ref<const std::string&>(), subscription_id)) {
      continue;
    }
    const auto count = resource->find("eventsSinceSubscriptionStart");
    if (count == resource->end()) return 0;  // optional: no event yet
    std::int64_t number = -1;
    if (count->is_string()) {
      const auto& text = count->get_ref<const std::string&>();
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (error != std::errc() || end != text.data() + text.size()) number = -1;
    }
    if (number < 0) {
      refuse("SubscriptionStatus.eventsSinceSubscriptionStart", *count,
             "must be an integer64 string >= 0");
    }
    return number;
  }
  refuse("entry", *entries,
         fmt::format("holds no SubscriptionStatus of Subscription/{}", subscription_id));
  return 0;  // not reached: refuse throws
}

}  // namespace

ReceiveOutcome SubscriptionReceiver::catch_up() {
  const auto answer = client_.instance_operation("Subscription", subscription_id_, "status", {});
  const std::int64_t count = events_since_start(answer, subscription_id_);
  ReceiveOutcome outcome{.type = "query-status", .handled = 0, .recovered = 0, .repeats = 0};
  if (count < last_handled_) {
    logging::zone_logger("ingest")->warn(
        "subscription renumbered subscription={} last_handled={} events_since_start={}: the EHR "
        "created it anew; handling every event of the new one",
        subscription_id_, last_handled_, count);
    last_handled_ = 0;
  }
  if (count > last_handled_) recover(last_handled_ + 1, count, outcome);
  return outcome;
}

void SubscriptionReceiver::handle_events(const Notification& notification, bool is_recovered,
                                         ReceiveOutcome& outcome) {
  for (const NotificationEvent& event : notification.events) {
    if (event.event_number <= last_handled_) {
      ++outcome.repeats;
      continue;
    }
    if (event.event_number > last_handled_ + 1) {
      if (is_recovered) {
        throw Error(ErrorCode::Io,
                    fmt::format("Subscription/{}: $events skipped events {}..{}; the EHR no "
                                "longer has them",
                                subscription_id_, last_handled_ + 1, event.event_number - 1));
      }
      recover(last_handled_ + 1, event.event_number - 1, outcome);
    }
    handle(notification, event, is_recovered);
    ++outcome.handled;
    if (is_recovered) ++outcome.recovered;
  }
}

void SubscriptionReceiver::recover(std::int64_t from, std::int64_t to, ReceiveOutcome& outcome) {
  logging::zone_logger("ingest")->warn("subscription gap subscription={} missing={}..{}",
                                       subscription_id_, from, to);
  while (last_handled_ < to) {
    const std::int64_t since = last_handled_ + 1;
    const nlohmann::json answer = client_.instance_operation(
        "Subscription", subscription_id_, "events",
        {{"eventsSinceNumber", std::to_string(since)}, {"eventsUntilNumber", std::to_string(to)}});
    const Notification recovered = read_notification(answer.dump());
    if (!names_subscription(recovered.subscription, subscription_id_)) {
      throw InputError(ErrorCode::BadInput, "$events entry[0].resource.subscription.reference",
                       printable_value(recovered.subscription),
                       fmt::format("must name Subscription/{}", subscription_id_));
    }
    const std::int64_t before = last_handled_;
    Notification in_range = recovered;
    std::erase_if(in_range.events, [&](const NotificationEvent& event) {
      return event.event_number < since || event.event_number > to;
    });
    handle_events(in_range, true, outcome);
    if (last_handled_ == before) {
      throw Error(ErrorCode::Io,
                  fmt::format("Subscription/{}: $events returned none of events {}..{}; the EHR "
                              "no longer has them",
                              subscription_id_, since, to));
    }
  }
}

void SubscriptionReceiver::handle(const Notification& notification, const NotificationEvent& event,
                                  bool is_recovered) {
  ReceivedEvent received{.event_number = event.event_number,
                         .focus = event.focus.value_or(""),
                         .method = std::nullopt,
                         .resource = std::nullopt,
                         .is_recovered = is_recovered};
  if (event.focus) {
    const NotificationEntry* entry = notification.entry(*event.focus);  // checked by the reader
    received.method = entry->method;
    if (entry->resource) {
      received.resource = entry->resource;
    } else if (entry->method != "DELETE") {
      received.resource = fetch_focus(*event.focus);
    }
  }
  handler_(received);
  last_handled_ = event.event_number;
}

std::optional<nlohmann::json> SubscriptionReceiver::fetch_focus(const std::string& reference) {
  const auto [type, id] = type_and_id(reference);
  try {
    return client_.read(type, id);
  } catch (const FhirClientError& error) {
    if (error.http_status() == 410) return std::nullopt;  // deleted since the event
    throw;
  }
}

}  // namespace ptwin::ingest::fhir::notifications
