// SPDX-License-Identifier: Apache-2.0
#include "fhir_serve_subscriptions.hpp"

#include <fmt/format.h>

#include <chrono>

#include "ptwin/core/error.hpp"

namespace ptwin::app {

namespace subs = server::fhir::subscriptions;

ServedSubscriptions::ServedSubscriptions(store::fhir::ResourceStore& store,
                                         const ingest::fhir::definitions::Definitions& definitions,
                                         const time::Clock& clock,
                                         std::optional<int> websocket_port,
                                         const std::string& address)
    : store_(store),
      clock_(clock),
      extractor_(definitions),
      recorder_(store, definitions, extractor_, clock),
      loaded_(recorder_.load()) {
  if (websocket_port) {
    if (*websocket_port < 0 || *websocket_port > 65535) {
      throw InputError(ErrorCode::BadInput, "--websocket-port", fmt::format("{}", *websocket_port),
                       "must be 0 to 65535");
    }
    websocket_ = std::make_unique<subs::WebsocketChannel>(
        store, clock,
        subs::WebsocketSettings{.address = address,
                                .port = static_cast<std::uint16_t>(*websocket_port),
                                .token_lifetime = std::chrono::seconds(300),
                                .base_url = {}});
  }
}

ServedSubscriptions::~ServedSubscriptions() {
  // Delivery writes to the websocket channel: stop it first.
  delivery_.reset();
  websocket_.reset();
}

void ServedSubscriptions::attach(server::fhir::FhirFacadeSettings& settings) {
  settings.subscriptions = &recorder_;
  settings.websocket = websocket_.get();
}

void ServedSubscriptions::start(const std::string& base_url,
                                std::optional<std::chrono::seconds> retention) {
  subs::DeliverySettings settings;
  settings.base_url = base_url;
  settings.retention = retention;
  settings.websocket = websocket_.get();
  delivery_ = std::make_unique<subs::RestHookDelivery>(store_, recorder_, clock_, settings);
  recorder_.set_event_listener([this] { delivery_->wake(); });
  delivery_->start(std::chrono::seconds(1));
}

std::string ServedSubscriptions::websocket_url() const {
  return websocket_ ? websocket_->url() : std::string();
}

}  // namespace ptwin::app
