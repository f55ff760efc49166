// SPDX-License-Identifier: Apache-2.0
#pragma once
// The durable outbox of topic-based subscription events (FHIR R5 subscriptions.html): one row
// per (subscription, event number), written in the same database transaction as the resource
// change that caused it, so that a committed change always has its events and a rolled-back
// one never does. Event numbers are per subscription, start at 1 and are never reused: the
// counter lives in its own row, apart from the events. A row names the focus version; the
// notification bundle is built from it when the event is delivered or asked for ($events).
// Delivery progress (the highest event number a subscriber acknowledged) is kept beside the
// counter, so that a restart resumes where delivery stopped. Retention: delivered events older
// than an age may be purged; the counter row stays (numbers are never reused) and remembers
// how far the purge went. Schema: docs/subscriptions.md.

#include <cstdint>
#include <string>

#include "ptwin/core/time.hpp"

namespace ptwin::store::fhir {

/// An event to append; the store assigns its number.
struct NewSubscriptionEvent {
  std::string subscription_id{};
  std::string topic_url{};
  std::string interaction{};  // "create" | "update" | "delete"
  std::string focus_type{};
  std::string focus_id{};
  std::int64_t focus_version_id = 0;  // the version written (the deletion version for a delete)
};

/// One stored event.
struct SubscriptionEvent {
  std::string subscription_id{};
  std::int64_t event_number = 0;  // 1, 2, 3, ... per subscription
  std::string topic_url{};
  std::string interaction{};
  std::string focus_type{};
  std::string focus_id{};
  std::int64_t focus_version_id = 0;
  time::Instant recorded{};  // the store clock when the change was written
  friend bool operator==(const SubscriptionEvent&, const SubscriptionEvent&) = default;
};

/// Where a subscription's events stand: the last number assigned (0: none yet), the highest
/// number a subscriber acknowledged (0: none) and the highest number whose event the retention
/// purge removed (0: none; always <= delivered_through).
struct SubscriptionEventCounters {
  std::int64_t last_event_number = 0;
  std::int64_t delivered_through = 0;
  std::int64_t purged_through = 0;
  friend bool operator==(const SubscriptionEventCounters&,
                         const SubscriptionEventCounters&) = default;
};

/// Events with since <= number <= until, ascending, at most `limit` (1..kMaxPageSize).
struct SubscriptionEventQuery {
  std::string subscription_id{};
  std::int64_t since = 1;
  std::int64_t until = INT64_MAX;
  std::int64_t limit = 100;
};

/// What one retention purge removed.
struct SubscriptionEventPurge {
  std::int64_t events = 0;         // event rows deleted
  std::int64_t subscriptions = 0;  // subscriptions whose purged_through moved
  friend bool operator==(const SubscriptionEventPurge&, const SubscriptionEventPurge&) = default;
};

}  // namespace ptwin::store::fhir
