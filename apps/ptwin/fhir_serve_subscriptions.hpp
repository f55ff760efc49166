// SPDX-License-Identifier: Apache-2.0
#pragma once
// Topic-based subscriptions for `ptwin fhir-serve` (docs/subscriptions.md): the recorder the
// facade records events with, the optional websocket channel, and the delivery thread, which
// starts once the HTTP server's address is known and is woken by every commit with events.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/server/fhir/fhir_facade.hpp"
#include "ptwin/server/fhir/subscriptions/rest_hook_delivery.hpp"
#include "ptwin/server/fhir/subscriptions/subscription_recorder.hpp"
#include "ptwin/server/fhir/subscriptions/websocket_channel.hpp"
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::app {

class ServedSubscriptions {
 public:
  /// Registers the stored topics and subscriptions; opens the websocket channel on
  /// `websocket_port` (0: any free port) when it is set. References must outlive the object.
  ServedSubscriptions(store::fhir::ResourceStore& store,
                      const ingest::fhir::definitions::Definitions& definitions,
                      const time::Clock& clock, std::optional<int> websocket_port,
                      const std::string& address);
  ~ServedSubscriptions();
  /// Points the facade's settings at the recorder (and the websocket channel).
  void attach(server::fhir::FhirFacadeSettings& settings);
  /// Starts delivery; `base_url` is the FHIR base subscribers reach this server at. Delivered
  /// events older than `retention` are purged (nullopt: kept forever).
  void start(const std::string& base_url, std::optional<std::chrono::seconds> retention);
  /// "ws://host:port", or "" without the websocket channel.
  [[nodiscard]] std::string websocket_url() const;
  [[nodiscard]] const server::fhir::subscriptions::LoadSummary& loaded() const { return loaded_; }

 private:
  store::fhir::ResourceStore& store_;
  const time::Clock& clock_;
  ingest::fhir::indexing::IndexExtractor extractor_;
  server::fhir::subscriptions::SubscriptionRecorder recorder_;
  server::fhir::subscriptions::LoadSummary loaded_;
  std::unique_ptr<server::fhir::subscriptions::WebsocketChannel> websocket_;
  std::unique_ptr<server::fhir::subscriptions::RestHookDelivery> delivery_;
};

}  // namespace ptwin::app
