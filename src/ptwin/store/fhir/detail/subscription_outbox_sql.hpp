// SPDX-License-Identifier: Apache-2.0
#pragma once
// The subscription event outbox in SQL, written once for both backends (tables
// fhir_subscription_events and fhir_subscription_counters, schema steps 3 and 4). Callers hold an open
// write transaction on `session` for the writes.

#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

#include "ptwin/core/time.hpp"
#include "ptwin/store/fhir/detail/sql_session.hpp"
#include "ptwin/store/fhir/subscription_outbox.hpp"

namespace ptwin::store::fhir::detail {

[[nodiscard]] std::int64_t append_event(SqlSession& session, const NewSubscriptionEvent& event,
                                        time::Instant recorded);
[[nodiscard]] std::vector<SubscriptionEvent> select_events(SqlSession& session,
                                                           const SubscriptionEventQuery& query);
[[nodiscard]] SubscriptionEventCounters select_counters(SqlSession& session,
                                                        std::string_view subscription_id);
void mark_delivered(SqlSession& session, std::string_view subscription_id,
                    std::int64_t event_number);
[[nodiscard]] SubscriptionEventPurge purge_events(SqlSession& session,
                                                  time::Instant recorded_before);

// Leases (table fhir_leases, schema step 4).
[[nodiscard]] bool take_lease_row(SqlSession& session, std::string_view name,
                                  std::string_view owner, time::Instant now,
                                  std::chrono::nanoseconds duration);
void release_lease_row(SqlSession& session, std::string_view name, std::string_view owner);

}  // namespace ptwin::store::fhir::detail
