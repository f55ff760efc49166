// SPDX-License-Identifier: Apache-2.0
#pragma once
// The Subscription operations of the FHIR facade (R5 subscription-operations):
//   GET [base]/Subscription/[id]/$status  a searchset Bundle with one SubscriptionStatus
//     (type query-status, eventsSinceSubscriptionStart = the last event number assigned);
//   GET [base]/Subscription/[id]/$events  a subscription-notification Bundle (type
//     query-event) with the stored events eventsSinceNumber..eventsUntilNumber (inclusive),
//     built from the outbox like the delivered ones; content=empty|id-only|full-resource
//     overrides the Subscription's content.
// At most kMaxEventsPerQuery events are returned per call: the SubscriptionStatus lists the
// numbers included, and a receiver asks again from the next one.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "ptwin/core/time.hpp"
#include "ptwin/server/fhir/search_request.hpp"
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::server::fhir::subscriptions {

inline constexpr std::int64_t kMaxEventsPerQuery = 1000;

/// Throws FhirError: 404 for an unknown or deleted Subscription.
[[nodiscard]] nlohmann::json status_operation(store::fhir::ResourceTransaction& transaction,
                                              std::string_view id, const std::string& base_url);

/// Throws FhirError: 404 as above; 400 naming the parameter for a number that is not an
/// integer >= 1, eventsUntilNumber below eventsSinceNumber, an unknown content code or an
/// unknown parameter. Without eventsSinceNumber the last kMaxEventsPerQuery events are
/// returned (R5 leaves the default to the server).
[[nodiscard]] nlohmann::json events_operation(store::fhir::ResourceTransaction& transaction,
                                              std::string_view id, const QueryParams& params,
                                              const std::string& base_url, time::Instant now);

}  // namespace ptwin::server::fhir::subscriptions
