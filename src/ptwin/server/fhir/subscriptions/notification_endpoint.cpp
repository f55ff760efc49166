// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/notification_endpoint.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"

namespace ptwin::server::fhir::subscriptions {

NotificationEndpoint::NotificationEndpoint(
    ingest::fhir::notifications::SubscriptionReceiver& receiver, const time::Clock& clock,
    NotificationQuarantine quarantine)
    : receiver_(receiver), clock_(clock), quarantine_(std::move(quarantine)) {
  if (!quarantine_) {
    throw InputError(ErrorCode::MissingField, "notification endpoint: quarantine", "(empty)",
                     "refused notifications must go somewhere; give a quarantine sink");
  }
}

HttpHandler NotificationEndpoint::handler() {
  return [this](const HttpRequest& request) { return handle(request); };
}

EndpointCounts NotificationEndpoint::counts() const {
  const std::lock_guard lock(mutex_);
  return counts_;
}

HttpResponse NotificationEndpoint::handle(const HttpRequest& request) {
  if (request.method != "POST") {
    return fhir_response(
        405, operation_outcome("not-supported", "POST notification Bundles to this endpoint"));
  }
  const std::lock_guard lock(mutex_);
  ++counts_.received;
  const auto logger = logging::zone_logger("server");
  try {
    const ingest::fhir::notifications::ReceiveOutcome outcome = receiver_.receive(request.body);
    ++counts_.accepted;
    logger->debug(
        "notification handled subscription={} type={} handled={} recovered={} "
        "repeats={}",
        receiver_.subscription_id(), outcome.type, outcome.handled, outcome.recovered,
        outcome.repeats);
    return fhir_response(
        200, operation_outcome("informational", fmt::format("{} event(s) handled", outcome.handled),
                               {}, "information"));
  } catch (const InputError& error) {
    ++counts_.refused;
    quarantine_(store::QuarantineEntry{
        .source = fmt::format("fhir-notification:Subscription/{}", receiver_.subscription_id()),
        .reason = error.what(),
        .raw_bytes = request.body,
        .received_at = clock_.now()});
    logger->warn("notification refused subscription={} error={}", receiver_.subscription_id(),
                 error.what());
    return fhir_response(400, operation_outcome("invalid", error.what(), error.where()));
  } catch (const ingest::fhir::FhirClientError& error) {
    ++counts_.failed;
    logger->error("notification not handled subscription={} error={}", receiver_.subscription_id(),
                  error.what());
    return fhir_response(503, operation_outcome("transient",
                                                "the EHR could not be reached to "
                                                "complete this notification; send it again"));
  } catch (const Error& error) {
    ++counts_.failed;
    const bool is_transient = error.code() == ErrorCode::Io;
    logger->error("notification not handled subscription={} error={}", receiver_.subscription_id(),
                  error.what());
    return fhir_response(is_transient ? 503 : 500,
                         operation_outcome(is_transient ? "transient" : "exception",
                                           "the notification was not handled; send it again"));
  }
}

}  // namespace ptwin::server::fhir::subscriptions
