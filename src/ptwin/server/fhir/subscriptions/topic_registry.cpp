// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/topic_registry.hpp"

#include <mutex>
#include <utility>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/server/fhir/subscriptions/detail/json_fields.hpp"

namespace ptwin::server::fhir::subscriptions {

std::string TopicEvent::focus_reference() const {
  return fmt::format("{}/{}", focus_type, focus_id);
}

TopicRegistry::TopicRegistry(const ingest::fhir::definitions::Definitions& definitions,
                             const ingest::fhir::indexing::IndexExtractor& extractor,
                             const time::Clock& clock, TopicRegistrySettings settings)
    : definitions_(definitions),
      extractor_(extractor),
      clock_(clock),
      settings_(std::move(settings)),
      types_(definitions) {}

CompileContext TopicRegistry::compile_context() const {
  return CompileContext{
      .definitions = definitions_, .extractor = extractor_, .base_url = settings_.base_url};
}

TopicRegistration TopicRegistry::register_topic(const nlohmann::json& topic) {
  const CompileContext context = compile_context();
  CompiledTopic compiled = compile_topic(topic, context);
  RegisteredTopic entry{.topic = std::move(compiled), .subscriptions = {}};
  const std::unique_lock lock(mutex_);
  if (const auto existing = topics_.find(entry.topic.url); existing != topics_.end()) {
    for (const auto& [id, subscription] : existing->second.subscriptions) {
      try {
        entry.subscriptions.emplace(
            id, RegisteredSubscription{
                    .source = subscription.source,
                    .compiled = compile_subscription(subscription.source, entry.topic, context)});
      } catch (const InputError& error) {
        throw InputError(ErrorCode::BadInput,
                         fmt::format("SubscriptionTopic '{}'", detail::shown(entry.topic.url)), id,
                         fmt::format("is a registered subscription that the new version of the "
                                     "topic would invalidate: {}",
                                     detail::quoted(error)));
      }
    }
  }
  TopicRegistration registration{.url = entry.topic.url,
                                 .is_active = entry.topic.is_active,
                                 .resource_types = entry.topic.resource_types(),
                                 .event_trigger_count = entry.topic.event_trigger_count,
                                 .notes = entry.topic.notes};
  const auto logger = logging::zone_logger("server");
  logger->info(
      "subscription topic registered url={} status={} resource_triggers={} "
      "event_triggers={} subscriptions={}",
      detail::shown(entry.topic.url), entry.topic.status, entry.topic.triggers.size(),
      entry.topic.event_trigger_count, entry.subscriptions.size());
  for (const std::string& note : entry.topic.notes) {
    logger->warn("subscription topic limitation: {}", note);
  }
  const std::string url = entry.topic.url;
  topics_.insert_or_assign(url, std::move(entry));
  return registration;
}

void TopicRegistry::remove_topic(std::string_view url) {
  const std::unique_lock lock(mutex_);
  const auto found = topics_.find(url);
  if (found == topics_.end()) {
    throw Error(ErrorCode::NotFound,
                fmt::format("SubscriptionTopic '{}' is not registered", detail::shown(url)));
  }
  if (!found->second.subscriptions.empty()) {
    throw InputError(ErrorCode::BadInput, fmt::format("SubscriptionTopic '{}'", detail::shown(url)),
                     found->second.subscriptions.begin()->first,
                     fmt::format("is a subscription on the topic ({} in all): remove the "
                                 "subscriptions first",
                                 found->second.subscriptions.size()));
  }
  topics_.erase(found);
}

void TopicRegistry::register_subscription(const nlohmann::json& subscription) {
  const TopicCanonical canonical = topic_canonical_of(subscription);
  const std::string id = subscription["id"].get<std::string>();
  const std::unique_lock lock(mutex_);
  const auto topic = topics_.find(canonical.url);
  if (topic == topics_.end()) {
    throw InputError(ErrorCode::BadInput, fmt::format("Subscription '{}'.topic", id),
                     detail::shown(canonical.url),
                     "does not name a registered SubscriptionTopic (urls compare exactly)");
  }
  RegisteredSubscription entry{
      .source = subscription,
      .compiled = compile_subscription(subscription, topic->second.topic, compile_context())};
  if (const auto previous = subscription_topics_.find(id); previous != subscription_topics_.end()) {
    topics_.find(previous->second)->second.subscriptions.erase(id);
  }
  topic->second.subscriptions.insert_or_assign(id, std::move(entry));
  subscription_topics_.insert_or_assign(id, canonical.url);
}

bool TopicRegistry::remove_subscription(std::string_view id) {
  const std::unique_lock lock(mutex_);
  const auto found = subscription_topics_.find(id);
  if (found == subscription_topics_.end()) return false;
  auto& subscriptions = topics_.find(found->second)->second.subscriptions;
  subscriptions.erase(subscriptions.find(id));
  subscription_topics_.erase(found);
  return true;
}

void TopicRegistry::evaluate_topic(const RegisteredTopic& entry, const ResourceChange& change,
                                   time::Instant now, TopicEvaluation& result) const {
  const TriggerEnvironment environment{.types = types_, .clock = clock_, .now = now};
  bool has_fired = false;
  for (const ResourceTrigger& trigger : entry.topic.triggers) {
    try {
      if (fires(trigger, change, environment)) {
        has_fired = true;
        break;  // triggers are ORed
      }
    } catch (const InputError& error) {
      result.failures.push_back(
          {.topic_url = entry.topic.url, .subscription_id = std::nullopt, .message = error.what()});
    }
  }
  if (!has_fired) return;
  TopicEvent event{.topic_url = entry.topic.url,
                   .interaction = change.interaction(),
                   .focus_type = change.resource_type(),
                   .focus_id = change.id(),
                   .focus_version_id = change.focus_version_id(),
                   .subscription_ids = {}};
  for (const auto& [id, subscription] : entry.subscriptions) {
    try {
      if (accepts(subscription.compiled, change, now)) event.subscription_ids.push_back(id);
    } catch (const InputError& error) {
      result.failures.push_back(
          {.topic_url = entry.topic.url, .subscription_id = id, .message = error.what()});
    }
  }
  result.events.push_back(std::move(event));
}

TopicEvaluation TopicRegistry::evaluate(Interaction interaction, const nlohmann::json* previous,
                                        const nlohmann::json* current) const {
  const ResourceChange change(interaction, previous, current, extractor_);
  const time::Instant now = clock_.now();
  TopicEvaluation result;
  const std::shared_lock lock(mutex_);
  for (const auto& [url, entry] : topics_) {
    if (entry.topic.is_active) evaluate_topic(entry, change, now, result);
  }
  return result;
}

std::size_t TopicRegistry::topic_count() const {
  const std::shared_lock lock(mutex_);
  return topics_.size();
}

std::size_t TopicRegistry::subscription_count() const {
  const std::shared_lock lock(mutex_);
  return subscription_topics_.size();
}

}  // namespace ptwin::server::fhir::subscriptions
