// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the end-to-end tests of `ptwin serve` share: the twin.yaml around the sections a test
// declares, the endpoint origin read from serve's startup line, waiting for its MQTT
// subscription, and the SubscriptionTopic an EHR needs to notify serve of Observations.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "support/child_process.hpp"

namespace ptwin::testing {

/// A twin.yaml for serve: twin `twin_id`, placeholder patient and model files (serve reads
/// neither), no personalisation, store twin.db, then `sections` as given (feeds:, serve:).
/// `twin_keys` are more keys of the twin: map, e.g. "filter: enkf, ensemble_size: 64".
[[nodiscard]] std::string serve_twin_yaml(std::string_view twin_id, std::string_view sections,
                                          std::string_view twin_keys = {});

/// `  mqtt:` and its keys, to put under `feeds:`: one topic filter at QoS 1.
[[nodiscard]] std::string mqtt_feed_yaml(std::string_view host, int port,
                                         std::string_view client_id, std::string_view filter);

/// The origin (http://127.0.0.1:<port>) of serve's endpoints from its startup line, waiting up
/// to `limit`; nullopt when the line never comes (the process failed: see its output).
[[nodiscard]] std::optional<std::string> wait_for_serve_origin(ChildProcess& serve,
                                                               std::chrono::milliseconds limit);

/// Waits until serve's MQTT feed has its subscription at the broker (a message published
/// before would not reach a new persistent session); false after `limit`.
[[nodiscard]] bool wait_until_mqtt_subscribed(const std::string& origin,
                                              std::chrono::milliseconds limit);

/// Creates on `ehr` an active SubscriptionTopic `url` on Observation create and update,
/// filterable by patient.
void create_observation_topic(ingest::fhir::FhirClient& ehr, std::string_view url);

}  // namespace ptwin::testing
