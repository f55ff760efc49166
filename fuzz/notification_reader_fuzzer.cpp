// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the subscription notification Bundle reader (docs/subscriptions.md#receiving).
// InputError is the expected way to refuse a Bundle, and its where() must start with
// "notification". Anything else (an nlohmann::json exception, a crash, a sanitizer report) or an
// accepted Bundle that breaks a documented rule is a finding: event numbers not >= 1 and
// strictly increasing, an event-notification above its eventsSinceSubscriptionStart or without
// events, a heartbeat or handshake with events, a focus without its entry, an entry without a
// fullUrl. Seeds: tests/data/bad_inputs/subscription_notifications/*.json.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/ingest/fhir/notifications/notification_reader.hpp"

namespace {

using ptwin::ingest::fhir::notifications::Notification;

void check(const Notification& notification) {
  std::int64_t previous = 0;
  for (const auto& event : notification.events) {
    if (event.event_number < 1 || event.event_number <= previous) std::abort();
    previous = event.event_number;
    if (event.focus && notification.entry(*event.focus) == nullptr) std::abort();
  }
  const bool has_events = !notification.events.empty();
  if (notification.type == "event-notification" &&
      (!has_events || previous > notification.events_since_start)) {
    std::abort();
  }
  if ((notification.type == "heartbeat" || notification.type == "handshake") && has_events) {
    std::abort();
  }
  for (const auto& entry : notification.entries) {
    if (entry.full_url.empty()) std::abort();
  }
  if (notification.subscription.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    check(ptwin::ingest::fhir::notifications::read_notification(body));
  } catch (const ptwin::InputError& error) {
    if (!error.where().starts_with("notification") || std::string_view(error.what()).empty()) {
      std::abort();
    }
  }
  return 0;
}
