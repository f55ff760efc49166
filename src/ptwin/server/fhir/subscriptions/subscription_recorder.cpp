// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/subscription_recorder.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/server/fhir/subscriptions/subscription_channel.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

namespace sf = store::fhir;

std::string text_of(const nlohmann::json* resource, std::string_view key) {
  if (resource == nullptr || !resource->is_object()) return {};
  const auto found = resource->find(key);
  return found != resource->end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::vector<nlohmann::json> stored_resources(sf::ResourceStore& store, const std::string& type) {
  std::vector<nlohmann::json> resources;
  const auto transaction = store.begin(sf::TransactionMode::ReadOnly);
  sf::SearchQuery query{.resource_type = type, .criteria = {}, .count = sf::kMaxPageSize};
  while (true) {
    const sf::SearchResult page = transaction->search(query);
    for (const sf::ResourceVersion& version : page.matches) {
      resources.push_back(nlohmann::json::parse(version.json));
    }
    if (!page.next_offset) break;
    query.offset = *page.next_offset;
  }
  transaction->commit();
  return resources;
}

}  // namespace

bool is_registered_status(std::string_view status) {
  return status == "requested" || status == "active" || status == "error";
}

SubscriptionRecorder::SubscriptionRecorder(
    sf::ResourceStore& store, const ingest::fhir::definitions::Definitions& definitions,
    const ingest::fhir::indexing::IndexExtractor& extractor, const time::Clock& clock,
    TopicRegistrySettings settings)
    : store_(store),
      extractor_(extractor),
      clock_(clock),
      registry_(definitions, extractor, clock, std::move(settings)) {}

LoadSummary SubscriptionRecorder::load() {
  LoadSummary summary;
  const auto logger = logging::zone_logger("server");
  for (const nlohmann::json& topic : stored_resources(store_, "SubscriptionTopic")) {
    try {
      (void)registry_.register_topic(topic);
      ++summary.topics;
    } catch (const InputError& error) {
      ++summary.refused;
      logger->error("stored SubscriptionTopic not registered id={} error={}", text_of(&topic, "id"),
                    error.what());
    }
  }
  for (const nlohmann::json& subscription : stored_resources(store_, "Subscription")) {
    if (!is_registered_status(text_of(&subscription, "status"))) continue;
    try {
      register_stored_subscription(subscription);
      ++summary.subscriptions;
    } catch (const InputError& error) {
      ++summary.refused;
      logger->error("stored Subscription not registered id={} error={}",
                    text_of(&subscription, "id"), error.what());
    }
  }
  return summary;
}

void SubscriptionRecorder::register_stored_subscription(const nlohmann::json& subscription) {
  (void)read_channel(subscription);  // a channel this server cannot serve is refused
  registry_.register_subscription(subscription);
}

void SubscriptionRecorder::register_change(Interaction interaction, const nlohmann::json* previous,
                                           const nlohmann::json* current,
                                           std::vector<SubscriptionTouch>& touched) {
  const nlohmann::json* any = current != nullptr ? current : previous;
  const std::string type = text_of(any, "resourceType");
  if (type != "SubscriptionTopic" && type != "Subscription") return;
  SubscriptionTouch touch{.resource_type = type, .id = text_of(any, "id"), .topic_urls = {}};
  for (const nlohmann::json* version : {previous, current}) {
    const std::string url = text_of(version, type == "SubscriptionTopic" ? "url" : "topic");
    if (!url.empty()) touch.topic_urls.push_back(url);
  }
  touched.push_back(touch);
  if (type == "SubscriptionTopic") {
    const std::string old_url = text_of(previous, "url");
    if (interaction == Interaction::Delete ||
        (!old_url.empty() && old_url != text_of(current, "url"))) {
      if (!old_url.empty()) registry_.remove_topic(old_url);  // throws while subscribed to
    }
    if (current != nullptr) (void)registry_.register_topic(*current);
    return;
  }
  if (current == nullptr || !is_registered_status(text_of(current, "status"))) {
    (void)registry_.remove_subscription(touch.id);
    return;
  }
  register_stored_subscription(*current);
}

std::size_t SubscriptionRecorder::record(sf::ResourceTransaction& transaction,
                                         Interaction interaction, const nlohmann::json* previous,
                                         const nlohmann::json* current,
                                         std::vector<SubscriptionTouch>& touched) {
  register_change(interaction, previous, current, touched);
  std::size_t appended = 0;
  const TopicEvaluation evaluation = registry_.evaluate(interaction, previous, current);
  const auto logger = logging::zone_logger("server");
  for (const TopicFailure& failure : evaluation.failures) {
    logger->warn("subscription topic not evaluated topic={} subscription={} error={}",
                 failure.topic_url, failure.subscription_id.value_or("-"), failure.message);
  }
  for (const TopicEvent& event : evaluation.events) {
    for (const std::string& subscription_id : event.subscription_ids) {
      sf::NewSubscriptionEvent row{.subscription_id = subscription_id,
                                   .topic_url = event.topic_url,
                                   .interaction = std::string(to_string(event.interaction)),
                                   .focus_type = event.focus_type,
                                   .focus_id = event.focus_id,
                                   .focus_version_id = 0};
      if (event.focus_version_id) row.focus_version_id = std::stoll(*event.focus_version_id);
      (void)transaction.append_subscription_event(row);
      ++appended;
    }
  }
  return appended;
}

void SubscriptionRecorder::resync(std::span<const SubscriptionTouch> touched) {
  const auto logger = logging::zone_logger("server");
  for (const SubscriptionTouch& touch : touched) {
    try {
      const sf::ReadResult stored = store_.read(touch.resource_type, touch.id);
      const std::optional<nlohmann::json> json =
          stored.status == sf::ReadStatus::Found
              ? std::optional(nlohmann::json::parse(stored.version->json))
              : std::nullopt;
      if (touch.resource_type == "Subscription") {
        if (json && is_registered_status(text_of(&*json, "status"))) {
          register_stored_subscription(*json);
        } else {
          (void)registry_.remove_subscription(touch.id);
        }
        continue;
      }
      const std::string stored_url = json ? text_of(&*json, "url") : std::string();
      for (const std::string& url : touch.topic_urls) {
        if (url != stored_url) {
          try {
            registry_.remove_topic(url);
          } catch (const Error&) {
            // Not registered (NotFound), or still subscribed to: then the store holds it under
            // another resource, which the registry keeps serving.
          }
        }
      }
      if (json) (void)registry_.register_topic(*json);
    } catch (const std::exception& error) {
      logger->error("subscription registry resync failed type={} id={} error={}",
                    touch.resource_type, touch.id, error.what());
    }
  }
}

bool SubscriptionRecorder::set_status(std::string_view id, std::string_view status,
                                      std::int64_t expected_version) {
  const auto logger = logging::zone_logger("server");
  const auto transaction = store_.begin(sf::TransactionMode::ReadWrite);
  const sf::ReadResult current = transaction->read("Subscription", id);
  if (current.status != sf::ReadStatus::Found ||
      current.version->version_id != expected_version) {
    return false;
  }
  const nlohmann::json before = nlohmann::json::parse(current.version->json);
  nlohmann::json updated = before;
  updated["status"] = std::string(status);
  const std::string body = updated.dump();
  ingest::fhir::indexing::Extraction extraction = extractor_.extract(updated);
  const sf::UpdateResult result = transaction->update(
      sf::NewResource{"Subscription", body, std::move(extraction.rows)}, id,
      sf::UpdateOptions{.allows_create = false, .expected_version = expected_version});
  if (result.status != sf::UpdateStatus::Updated) return false;
  // Registered while this transaction still holds the writer lock: no change can be recorded
  // between the commit and the registration under the old status (a change committed right
  // after activation must be an event).
  const auto reregister = [&](const nlohmann::json& version) {
    try {
      register_stored_subscription(version);
    } catch (const InputError& error) {
      logger->error("subscription not re-registered id={} error={}", id, error.what());
    }
  };
  reregister(nlohmann::json::parse(result.version->json));
  try {
    transaction->commit();
  } catch (...) {
    reregister(before);
    throw;
  }
  logger->info("subscription status changed id={} status={}", id, status);
  return true;
}

}  // namespace ptwin::server::fhir::subscriptions
