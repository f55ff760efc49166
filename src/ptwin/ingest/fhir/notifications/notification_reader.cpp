// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/notifications/notification_reader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <span>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::fhir::notifications {
namespace {

constexpr std::array<std::string_view, 5> kTypes{"handshake", "heartbeat", "event-notification",
                                                 "query-status", "query-event"};
constexpr std::array<std::string_view, 5> kStatuses{"requested", "active", "error", "off",
                                                    "entered-in-error"};

[[noreturn]] void refuse(std::string_view element, std::string value, std::string rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("notification {}", element),
                   printable_value(value), std::move(rule));
}

std::string shown(const nlohmann::json& value) {
  std::string text = value.is_string()
                         ? value.get<std::string>()
                         : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > 80) text = text.substr(0, 80) + "...";
  return text;
}

const nlohmann::json* member(const nlohmann::json& object, std::string_view key) {
  const auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

std::string required_string(const nlohmann::json& object, std::string_view key,
                            std::string_view where) {
  const nlohmann::json* value = member(object, key);
  if (value == nullptr) refuse(fmt::format("{}.{}", where, key), "(absent)", "is required");
  if (!value->is_string() || value->get<std::string>().empty()) {
    refuse(fmt::format("{}.{}", where, key), shown(*value), "must be a non-empty string");
  }
  return value->get<std::string>();
}

// integer64 is a JSON string of decimal digits (R5 json.html#primitive).
std::int64_t integer64(const nlohmann::json& value, std::string_view element) {
  if (!value.is_string()) {
    refuse(element, shown(value), "must be an integer64: a JSON string of digits");
  }
  const std::string text = value.get<std::string>();
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || number < 0) {
    refuse(element, text, "must be a non-negative integer64 within range");
  }
  return number;
}

std::string code(const nlohmann::json& object, std::string_view key, std::string_view where,
                 std::span<const std::string_view> allowed) {
  const std::string value = required_string(object, key, where);
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
    refuse(fmt::format("{}.{}", where, key), value,
           fmt::format("must be one of {}", fmt::join(allowed, ", ")));
  }
  return value;
}

void read_events(const nlohmann::json& status, std::string_view where, Notification& result) {
  const nlohmann::json* events = member(status, "notificationEvent");
  if (events == nullptr) return;
  if (!events->is_array())
    refuse(fmt::format("{}.notificationEvent", where), shown(*events), "must be an array");
  std::int64_t previous = 0;
  for (std::size_t i = 0; i < events->size(); ++i) {
    const nlohmann::json& event = (*events)[i];
    const std::string at = fmt::format("{}.notificationEvent[{}]", where, i);
    if (!event.is_object()) refuse(at, shown(event), "must be an object");
    const nlohmann::json* number = member(event, "eventNumber");
    if (number == nullptr) refuse(at + ".eventNumber", "(absent)", "is required");
    NotificationEvent parsed{.event_number = integer64(*number, at + ".eventNumber"),
                             .focus = std::nullopt,
                             .timestamp = std::nullopt};
    if (parsed.event_number < 1) refuse(at + ".eventNumber", "0", "event numbers start at 1");
    if (parsed.event_number <= previous) {
      refuse(at + ".eventNumber", std::to_string(parsed.event_number),
             fmt::format("must be greater than the previous event's ({})", previous));
    }
    previous = parsed.event_number;
    if (const nlohmann::json* focus = member(event, "focus")) {
      if (!focus->is_object()) refuse(at + ".focus", shown(*focus), "must be a Reference object");
      parsed.focus = required_string(*focus, "reference", at + ".focus");
    }
    if (const nlohmann::json* timestamp = member(event, "timestamp"); timestamp != nullptr) {
      if (!timestamp->is_string())
        refuse(at + ".timestamp", shown(*timestamp), "must be an instant string");
      parsed.timestamp = timestamp->get<std::string>();
    }
    result.events.push_back(std::move(parsed));
  }
}

void read_entries(const nlohmann::json& entries, Notification& result) {
  for (std::size_t i = 1; i < entries.size(); ++i) {
    const nlohmann::json& entry = entries[i];
    const std::string at = fmt::format("entry[{}]", i);
    if (!entry.is_object()) refuse(at, shown(entry), "must be an object");
    NotificationEntry parsed{.full_url = required_string(entry, "fullUrl", at),
                             .method = std::nullopt,
                             .resource = std::nullopt};
    if (const nlohmann::json* request = member(entry, "request")) {
      if (!request->is_object()) refuse(at + ".request", shown(*request), "must be an object");
      parsed.method = required_string(*request, "method", at + ".request");
    }
    if (const nlohmann::json* resource = member(entry, "resource")) {
      if (!resource->is_object())
        refuse(at + ".resource", shown(*resource), "must be a resource object");
      (void)required_string(*resource, "resourceType", at + ".resource");
      parsed.resource = *resource;
    }
    result.entries.push_back(std::move(parsed));
  }
}

// The events fit the notification's type and count (subscriptions.html#notifications).
void check_events(const Notification& result) {
  constexpr std::string_view kEvents = "entry[0].resource.notificationEvent";
  const bool is_event_type = result.type == "event-notification" || result.type == "query-event";
  if (result.type == "event-notification" && result.events.empty()) {
    refuse(kEvents, "(absent)", "an event-notification carries at least one event");
  }
  if (!is_event_type && !result.events.empty()) {
    refuse(kEvents, std::to_string(result.events.size()) + " events",
           fmt::format("a {} carries no events", result.type));
  }
  if (result.type == "event-notification" &&
      result.events.back().event_number > result.events_since_start) {
    refuse("entry[0].resource.eventsSinceSubscriptionStart",
           std::to_string(result.events_since_start),
           fmt::format("is below the notification's last event number {}",
                       result.events.back().event_number));
  }
}

// Every event focus is one of the Bundle's entries, so a receiver can find what it names.
void check_focuses(const Notification& result) {
  for (std::size_t i = 0; i < result.events.size(); ++i) {
    const auto& focus = result.events[i].focus;
    if (focus && result.entry(*focus) == nullptr) {
      refuse(fmt::format("entry[0].resource.notificationEvent[{}].focus", i), *focus,
             "names no entry of the Bundle (no entry has that fullUrl)");
    }
  }
}

}  // namespace

const NotificationEntry* Notification::entry(std::string_view url) const {
  const auto found = std::find_if(entries.begin(), entries.end(),
                                  [&](const NotificationEntry& e) { return e.full_url == url; });
  return found == entries.end() ? nullptr : &*found;
}

Notification read_notification(std::string_view body) {
  nlohmann::json bundle;
  try {
    bundle = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& error) {
    refuse("body", fmt::format("byte {}", error.byte), "must be JSON (a FHIR Bundle)");
  } catch (const nlohmann::json::exception& error) {
    // out_of_range: a number beyond double's range ("1e3307"), found by the fuzzer.
    refuse("body", error.what(), "must be JSON whose numbers fit a double");
  }
  if (!bundle.is_object()) refuse("body", shown(bundle), "must be a JSON object (a FHIR Bundle)");
  if (required_string(bundle, "resourceType", "Bundle") != "Bundle") {
    refuse("Bundle.resourceType", bundle["resourceType"].get<std::string>(), "must be Bundle");
  }
  const std::string type = required_string(bundle, "type", "Bundle");
  if (type != "subscription-notification") {
    refuse("Bundle.type", type, "must be subscription-notification");
  }
  const nlohmann::json* entries = member(bundle, "entry");
  if (entries == nullptr || !entries->is_array() || entries->empty()) {
    refuse("Bundle.entry", entries == nullptr ? "(absent)" : shown(*entries),
           "must be an array whose first entry is the SubscriptionStatus");
  }
  const nlohmann::json& first = (*entries)[0];
  const nlohmann::json* status = first.is_object() ? member(first, "resource") : nullptr;
  const nlohmann::json* status_type =
      status != nullptr && status->is_object() ? member(*status, "resourceType") : nullptr;
  if (status_type == nullptr || *status_type != "SubscriptionStatus") {
    const std::string found = status == nullptr        ? "(absent)"
                              : status_type != nullptr ? shown(*status_type)
                                                       : shown(*status);
    refuse("entry[0].resource", found, "must be a SubscriptionStatus");
  }
  constexpr std::string_view kStatus = "entry[0].resource";
  Notification result;
  result.type = code(*status, "type", kStatus, kTypes);
  result.status = code(*status, "status", kStatus, kStatuses);
  const nlohmann::json* subscription = member(*status, "subscription");
  if (subscription == nullptr || !subscription->is_object()) {
    refuse("entry[0].resource.subscription",
           subscription == nullptr ? "(absent)" : shown(*subscription),
           "must be a Reference to the Subscription");
  }
  result.subscription =
      required_string(*subscription, "reference", "entry[0].resource.subscription");
  if (const nlohmann::json* topic = member(*status, "topic");
      topic != nullptr && topic->is_string()) {
    result.topic = topic->get<std::string>();
  }
  if (const nlohmann::json* since = member(*status, "eventsSinceSubscriptionStart")) {
    result.events_since_start = integer64(*since, "entry[0].resource.eventsSinceSubscriptionStart");
  } else if (result.type != "handshake") {
    refuse(
        "entry[0].resource.eventsSinceSubscriptionStart", "(absent)",
        fmt::format("is required in a {} (it is how a receiver finds missed events)", result.type));
  }
  read_events(*status, kStatus, result);
  check_events(result);
  read_entries(*entries, result);
  check_focuses(result);
  return result;
}

}  // namespace ptwin::ingest::fhir::notifications
