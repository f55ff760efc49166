// SPDX-License-Identifier: Apache-2.0
#pragma once
// One request as the facade's parts see it (internal to server/fhir).

#include <optional>
#include <string>
#include <vector>

#include "ptwin/server/fhir/fhir_facade.hpp"
#include "ptwin/server/fhir/subscriptions/subscription_recorder.hpp"

namespace ptwin::server::fhir {

struct FhirFacade::Context {
  std::string base_url;               // http://host[:port][base_path], no trailing '/'
  std::vector<std::string> segments;  // path after the base, percent-decoded
  QueryParams params;                 // the query string, decoded
  std::string method;                 // the HTTP method
  bool is_xml_response = false;       // Accept or _format asked for FHIR XML (docs/fhir_facade.md)
  /// Prefer: return=minimal | representation | OperationOutcome, for creates and updates.
  std::optional<std::string> prefer_return;
  /// Bodies refused by validation during this request. They reach the quarantine sink only
  /// after the request's store transactions have ended, so that a sink may write to the same
  /// database (a SQLite file allows one writer at a time).
  mutable std::vector<QuarantinedBody> refused;
  /// SubscriptionTopics and Subscriptions written during this request: the subscription
  /// registry is re-synchronised with the store for them once the transactions have ended.
  mutable std::vector<subscriptions::SubscriptionTouch> subscription_touches;
  /// Subscription events appended during this request (delivery is woken after it).
  mutable std::size_t subscription_events = 0;
};

}  // namespace ptwin::server::fhir
