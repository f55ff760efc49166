// SPDX-License-Identifier: Apache-2.0
// The FHIR facade's side of topic-based subscriptions: recording committed changes with the
// subscription recorder and the Subscription operations ($status, $events). The logic lives in
// subscriptions/; this file only connects it to the facade's transactions and requests.
#include <fmt/format.h>

#include "ptwin/server/fhir/fhir_facade.hpp"
#include "ptwin/server/fhir/fhir_facade_context.hpp"
#include "ptwin/server/fhir/fhir_response.hpp"
#include "ptwin/server/fhir/subscriptions/subscription_channel.hpp"
#include "ptwin/server/fhir/subscriptions/subscription_operations.hpp"
#include "ptwin/server/fhir/subscriptions/subscription_recorder.hpp"
#include "ptwin/server/fhir/subscriptions/websocket_channel.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::server::fhir {
namespace {

namespace sf = store::fhir;
namespace subs = subscriptions;

// A PUT that creates (or resurrects a deleted resource) stays an update with no previous
// version: the registry's update-as-create, which fires update triggers (resultForCreate).
subs::Interaction interaction_of(const sf::ResourceVersion& written) {
  switch (written.operation) {
    case sf::VersionOperation::Create: return subs::Interaction::Create;
    case sf::VersionOperation::Update: return subs::Interaction::Update;
    case sf::VersionOperation::Delete: return subs::Interaction::Delete;
  }
  return subs::Interaction::Update;
}

// R5 OperationDefinition Subscription-get-ws-binding-token: token, expiration, subscription,
// websocket-url.
nlohmann::json binding_token(sf::ResourceTransaction& transaction, subs::WebsocketChannel* channel,
                             const std::string& id) {
  if (channel == nullptr) {
    throw FhirError(404, "not-supported", "the websocket channel is not enabled on this server");
  }
  const sf::ReadResult found =
      sf::is_resource_id(id) ? transaction.read("Subscription", id) : sf::ReadResult{};
  if (found.status != sf::ReadStatus::Found) {
    throw FhirError(404, "not-found", fmt::format("Subscription/{} is not known", id));
  }
  const subs::SubscriptionChannel subscription_channel =
      subs::read_channel(nlohmann::json::parse(found.version->json));
  if (subscription_channel.type != subs::ChannelType::Websocket) {
    throw FhirError(400, "invalid",
                    fmt::format("Subscription/{} does not use the websocket channel", id),
                    "Subscription.channelType");
  }
  const subs::BindingToken token = channel->issue_token({id});
  return {{"resourceType", "Parameters"},
          {"parameter",
           {{{"name", "token"}, {"valueString", token.token}},
            {{"name", "expiration"}, {"valueDateTime", time::format_iso8601(token.expiration)}},
            {{"name", "subscription"}, {"valueString", id}},
            {{"name", "websocket-url"}, {"valueUrl", token.websocket_url}}}}};
}

}  // namespace

std::optional<sf::ResourceVersion> FhirFacade::version_before(sf::ResourceTransaction& transaction,
                                                              const std::string& type,
                                                              const std::string& id) const {
  if (settings_.subscriptions == nullptr || !sf::is_resource_id(id)) return std::nullopt;
  sf::ReadResult current = transaction.read(type, id);
  if (current.status != sf::ReadStatus::Found) return std::nullopt;
  return std::move(current.version);
}

void FhirFacade::record_change(sf::ResourceTransaction& transaction,
                               const std::optional<sf::ResourceVersion>& previous,
                               const sf::ResourceVersion& written, const Context& context) const {
  if (settings_.subscriptions == nullptr) return;
  const std::optional<nlohmann::json> before =
      previous.has_value() ? std::optional(resource_json(*previous)) : std::nullopt;
  const std::optional<nlohmann::json> after =
      written.is_deletion() ? std::nullopt : std::optional(resource_json(written));
  context.subscription_events +=
      settings_.subscriptions->record(transaction, interaction_of(written),
                                      before ? &*before : nullptr,
                                      after ? &*after : nullptr, context.subscription_touches);
}

void FhirFacade::add_subscription_capabilities(nlohmann::json& subscription_entry) const {
  if (settings_.subscriptions == nullptr) return;
  nlohmann::json operations = nlohmann::json::array(
      {{{"name", "status"},
        {"definition", "http://hl7.org/fhir/OperationDefinition/Subscription-status"}},
       {{"name", "events"},
        {"definition", "http://hl7.org/fhir/OperationDefinition/Subscription-events"}}});
  if (settings_.websocket != nullptr) {
    operations.push_back(
        {{"name", "get-ws-binding-token"},
         {"definition",
          "http://hl7.org/fhir/OperationDefinition/Subscription-get-ws-binding-token"}});
  }
  subscription_entry["operation"] = std::move(operations);
  subscription_entry["documentation"] = fmt::format(
      "Topic-based subscriptions (R5): channels rest-hook{}; content empty, id-only (default), "
      "full-resource; maxCount, heartbeatPeriod, timeout and parameter (HTTP headers) honoured; "
      "filterBy as the topic's canFilterBy allows. Events are numbered per subscription, kept "
      "in a durable outbox and retried until acknowledged; $events (instance level) returns "
      "any stored event.",
      settings_.websocket != nullptr ? ", websocket" : "");
}

HttpResponse FhirFacade::subscription_operation(const HttpRequest& request,
                                                const Context& context) const {
  const auto& s = context.segments;
  if (settings_.subscriptions == nullptr) {
    throw FhirError(404, "not-supported", "subscriptions are not enabled on this server");
  }
  if (request.method != "GET") {
    throw FhirError(405, "not-supported",
                    fmt::format("{} is not allowed on {}", request.method, request.path()));
  }
  const auto transaction = store_.begin(sf::TransactionMode::ReadOnly);
  nlohmann::json body;
  if (s[2] == "$status") {
    body = subs::status_operation(*transaction, s[1], context.base_url);
  } else if (s[2] == "$events") {
    body = subs::events_operation(*transaction, s[1], context.params, context.base_url,
                                  settings_.subscriptions->clock().now());
  } else if (s[2] == "$get-ws-binding-token") {
    body = binding_token(*transaction, settings_.websocket, s[1]);
  } else {
    throw FhirError(404, "not-supported",
                    fmt::format("operation '{}' is not served on Subscription", s[2]));
  }
  transaction->commit();
  return fhir_response(200, body);
}

}  // namespace ptwin::server::fhir
