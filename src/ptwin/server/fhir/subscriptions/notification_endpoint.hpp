// SPDX-License-Identifier: Apache-2.0
#pragma once
// The HTTP side of receiving an EHR's rest-hook notifications: POSTed Bundles go to a
// SubscriptionReceiver (ingest/fhir/notifications), and the answer tells the EHR what to do.
//   200  handled (or a repeat, or a handshake/heartbeat with nothing missing)
//   400  refused: not a notification Bundle for this subscription; the body is quarantined
//        with the reason (sending it again will not help)
//   503  a gap could not be recovered or a focus not fetched from the EHR: send again later
//   500  the handler failed: send again later
// Every body received is accounted for: received = accepted + refused + failed.
//
//   NotificationEndpoint endpoint(receiver, clock, [&](const store::QuarantineEntry& e) {...});
//   HttpServer server({.port = 9443}, endpoint.handler());
//
// Thread-safety: handle() serialises bodies (event order matters), so any server thread count.

#include <cstdint>
#include <functional>
#include <mutex>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/notifications/subscription_receiver.hpp"
#include "ptwin/server/http/http_server.hpp"
#include "ptwin/store/quarantine_entry.hpp"

namespace ptwin::server::fhir::subscriptions {

using NotificationQuarantine = std::function<void(const store::QuarantineEntry&)>;

struct EndpointCounts {
  std::int64_t received = 0;
  std::int64_t accepted = 0;
  std::int64_t refused = 0;  // quarantined
  std::int64_t failed = 0;   // 500 / 503: the sender retries
};

class NotificationEndpoint {
 public:
  /// Every reference must outlive the endpoint; `quarantine` must not be empty.
  NotificationEndpoint(ingest::fhir::notifications::SubscriptionReceiver& receiver,
                       const time::Clock& clock, NotificationQuarantine quarantine);

  [[nodiscard]] HttpResponse handle(const HttpRequest& request);
  [[nodiscard]] HttpHandler handler();
  [[nodiscard]] EndpointCounts counts() const;

 private:
  ingest::fhir::notifications::SubscriptionReceiver& receiver_;
  const time::Clock& clock_;
  NotificationQuarantine quarantine_;
  mutable std::mutex mutex_;
  EndpointCounts counts_;
};

}  // namespace ptwin::server::fhir::subscriptions
