// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/fhir/subscriptions/rest_hook_delivery.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <random>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/server/fhir/subscriptions/notification_bundle.hpp"

namespace ptwin::server::fhir::subscriptions {
namespace {

namespace sf = store::fhir;

std::vector<sf::ResourceVersion> stored_subscriptions(sf::ResourceStore& store) {
  std::vector<sf::ResourceVersion> found;
  const auto transaction = store.begin(sf::TransactionMode::ReadOnly);
  sf::SearchQuery query{.resource_type = "Subscription", .criteria = {}, .count = sf::kMaxPageSize};
  while (true) {
    sf::SearchResult page = transaction->search(query);
    for (sf::ResourceVersion& version : page.matches) found.push_back(std::move(version));
    if (!page.next_offset) break;
    query.offset = *page.next_offset;
  }
  transaction->commit();
  return found;
}

std::string topic_url_of(const nlohmann::json& subscription) {
  const std::string canonical = subscription.value("topic", std::string());
  return canonical.substr(0, canonical.find('|'));
}

}  // namespace

struct RestHookDelivery::Target {
  std::string id;
  std::int64_t version_id = 0;
  SubscriptionChannel channel;
  NotificationSubject subject;
  DeliveryState state;
  time::Instant now;
};

RestHookDelivery::RestHookDelivery(sf::ResourceStore& store, SubscriptionRecorder& recorder,
                                   const time::Clock& clock, DeliverySettings settings)
    : store_(store), recorder_(recorder), clock_(clock), settings_(std::move(settings)) {
  if (settings_.failures_before_error < 1 || settings_.first_retry_delay.count() <= 0 ||
      settings_.max_retry_delay < settings_.first_retry_delay) {
    throw InputError(
        ErrorCode::BadInput, "rest-hook delivery settings",
        fmt::format("failures_before_error={} first_retry_delay={}ms "
                    "max_retry_delay={}ms",
                    settings_.failures_before_error, settings_.first_retry_delay.count(),
                    settings_.max_retry_delay.count()),
        "need failures_before_error >= 1 and 0 < first_retry_delay <= max_retry_delay");
  }
  if (settings_.lease_duration.count() <= 0 || settings_.purge_interval.count() <= 0 ||
      (settings_.retention && settings_.retention->count() < 0)) {
    throw InputError(ErrorCode::BadInput, "rest-hook delivery settings",
                     fmt::format("lease_duration={}ms purge_interval={}s retention={}s",
                                 settings_.lease_duration.count(),
                                 settings_.purge_interval.count(),
                                 settings_.retention ? settings_.retention->count() : -1),
                     "need lease_duration > 0, purge_interval > 0 and retention >= 0");
  }
  lease_owner_ = settings_.lease_owner;
  if (lease_owner_.empty()) {
    std::random_device random;
    lease_owner_ = fmt::format("delivery-{:08x}{:08x}", random(), random());
  }
}

RestHookDelivery::~RestHookDelivery() {
  stop();
  try {
    const auto transaction = store_.begin(sf::TransactionMode::ReadWrite);
    transaction->release_lease(kDeliveryLease, lease_owner_);
    transaction->commit();
  } catch (const std::exception& error) {
    // The lease then expires by itself after lease_duration.
    logging::zone_logger("server")->warn("subscription delivery lease not released owner={} "
                                         "error={}",
                                         lease_owner_, error.what());
  }
}

bool RestHookDelivery::hold_lease(std::chrono::nanoseconds duration) {
  const auto transaction = store_.begin(sf::TransactionMode::ReadWrite);
  const bool is_held = transaction->take_lease(kDeliveryLease, lease_owner_, duration);
  transaction->commit();
  return is_held;
}

void RestHookDelivery::purge_if_due(time::Instant now, DeliveryRound& round) {
  if (!settings_.retention) return;
  if (last_purge_ && now - *last_purge_ < settings_.purge_interval) return;
  const auto transaction = store_.begin(sf::TransactionMode::ReadWrite);
  const sf::SubscriptionEventPurge purged =
      transaction->purge_subscription_events(now - *settings_.retention);
  transaction->commit();
  last_purge_ = now;
  round.events_purged = purged.events;
  if (purged.events > 0) {
    logging::zone_logger("server")->info(
        "subscription outbox purged events={} subscriptions={} retention_s={}", purged.events,
        purged.subscriptions, settings_.retention->count());
  }
}

std::optional<DeliveryState> RestHookDelivery::state(const std::string& subscription_id) const {
  const std::lock_guard lock(state_mutex_);
  const auto found = states_.find(subscription_id);
  if (found == states_.end()) return std::nullopt;
  return found->second;
}

DeliveryRound RestHookDelivery::run_once() {
  const std::lock_guard round_lock(round_mutex_);
  DeliveryRound round;
  const time::Instant now = clock_.now();
  if (!hold_lease(settings_.lease_duration)) {
    round.has_lease = false;
    ++completed_rounds_;
    return round;
  }
  purge_if_due(now, round);
  for (const sf::ResourceVersion& version : stored_subscriptions(store_)) {
    if (!round.has_lease) break;  // lost to another process midway
    const nlohmann::json subscription = nlohmann::json::parse(version.json);
    const std::string status = subscription.value("status", std::string());
    if (!is_registered_status(status)) continue;
    Target target{.id = version.id,
                  .version_id = version.version_id,
                  .channel = {},
                  .subject = {.base_url = settings_.base_url,
                              .subscription_id = version.id,
                              .topic_url = topic_url_of(subscription),
                              .status = status},
                  .state = {},
                  .now = now};
    try {
      target.channel = read_channel(subscription);
    } catch (const InputError& error) {
      logging::zone_logger("server")->error("subscription not delivered id={} error={}", version.id,
                                            error.what());
      continue;
    }
    const bool is_websocket = target.channel.type == ChannelType::Websocket;
    if (is_websocket && settings_.websocket == nullptr) continue;
    {
      const std::lock_guard lock(state_mutex_);
      const auto [entry, is_new] = states_.try_emplace(
          target.id,
          DeliveryState{.consecutive_failures = 0, .next_attempt = now, .last_sent = now});
      target.state = entry->second;
    }
    if (is_websocket && target.subject.status == "requested") {
      change_status(target, "active", round);
    }
    const bool is_reachable = !is_websocket || settings_.websocket->is_bound(target.id);
    if (is_reachable && now >= target.state.next_attempt) deliver(target, round);
    const std::lock_guard lock(state_mutex_);
    states_[target.id] = target.state;
  }
  ++completed_rounds_;
  return round;
}

void RestHookDelivery::deliver(Target& target, DeliveryRound& round) {
  if (target.subject.status == "requested") {
    const std::int64_t last = [&] {
      const auto transaction = store_.begin(sf::TransactionMode::ReadOnly);
      const std::int64_t number =
          transaction->subscription_event_counters(target.id).last_event_number;
      transaction->commit();
      return number;
    }();
    const nlohmann::json bundle = notification_bundle(
        target.subject, NotificationType::Handshake, last, {}, target.channel.content,
        [](const sf::SubscriptionEvent&) { return std::optional<nlohmann::json>(); }, target.now);
    if (send(target, bundle, round)) {
      ++round.handshakes;
      change_status(target, "active", round);
    }
    return;
  }
  bool has_sent_events = false;
  for (int i = 0; i < settings_.max_notifications_per_round; ++i) {
    const bool is_more = deliver_events(target, round);
    if (target.state.consecutive_failures > 0) return;
    if (!is_more) break;
    has_sent_events = true;
  }
  const auto& period = target.channel.heartbeat_period;
  if (has_sent_events || !period || target.now - target.state.last_sent < *period) return;
  const std::int64_t last = [&] {
    const auto transaction = store_.begin(sf::TransactionMode::ReadOnly);
    const std::int64_t number =
        transaction->subscription_event_counters(target.id).last_event_number;
    transaction->commit();
    return number;
  }();
  const nlohmann::json bundle = notification_bundle(
      target.subject, NotificationType::Heartbeat, last, {}, target.channel.content,
      [](const sf::SubscriptionEvent&) { return std::optional<nlohmann::json>(); }, target.now);
  if (send(target, bundle, round)) ++round.heartbeats;
}

// Sends the next batch of unacknowledged events; false when there was none (or it failed).
bool RestHookDelivery::deliver_events(Target& target, DeliveryRound& round) {
  std::vector<sf::SubscriptionEvent> events;
  nlohmann::json bundle;
  {
    const auto transaction = store_.begin(sf::TransactionMode::ReadOnly);
    const sf::SubscriptionEventCounters counters =
        transaction->subscription_event_counters(target.id);
    if (counters.delivered_through >= counters.last_event_number) {
      transaction->commit();
      return false;
    }
    events = transaction->subscription_events(
        {.subscription_id = target.id,
         .since = counters.delivered_through + 1,
         .until = counters.last_event_number,
         .limit = std::min<std::int64_t>(target.channel.max_count, sf::kMaxPageSize)});
    const FocusLookup lookup =
        [&](const sf::SubscriptionEvent& event) -> std::optional<nlohmann::json> {
      const sf::ReadResult found =
          transaction->vread(event.focus_type, event.focus_id, event.focus_version_id);
      if (found.status != sf::ReadStatus::Found) return std::nullopt;
      return nlohmann::json::parse(found.version->json);
    };
    // eventsSinceSubscriptionStart is the number of the last event in this notification, so
    // the same Bundle can be rebuilt by $events and a receiver reads no gap into it.
    bundle = notification_bundle(
        target.subject, NotificationType::EventNotification,
        events.empty() ? counters.delivered_through : events.back().event_number, events,
        target.channel.content, lookup, target.now);
    transaction->commit();
  }
  if (events.empty()) {
    // Numbers assigned but rows missing cannot happen with this schema (one transaction).
    throw Error(ErrorCode::Internal,
                fmt::format("subscription '{}': outbox counter ahead of its events", target.id));
  }
  if (!send(target, bundle, round)) return false;
  {
    const auto transaction = store_.begin(sf::TransactionMode::ReadWrite);
    transaction->mark_subscription_delivered(target.id, events.back().event_number);
    transaction->commit();
  }
  ++round.notifications;
  round.events_delivered += static_cast<std::int64_t>(events.size());
  return true;
}

bool RestHookDelivery::send(Target& target, const nlohmann::json& bundle, DeliveryRound& round) {
  // The lease must outlast this send, so that no other process can start sending meanwhile.
  const std::chrono::milliseconds send_time =
      target.channel.type == ChannelType::Websocket ? std::chrono::milliseconds(0)
      : target.channel.timeout
          ? std::chrono::duration_cast<std::chrono::milliseconds>(*target.channel.timeout)
          : settings_.default_timeout;
  if (!round.has_lease || !hold_lease(send_time + settings_.lease_duration)) {
    round.has_lease = false;
    return false;
  }
  if (target.channel.type == ChannelType::Websocket) {
    const bool is_sent = settings_.websocket->send(target.id, bundle.dump());
    if (is_sent) target.state.last_sent = target.now;
    return is_sent;
  }
  const std::chrono::milliseconds timeout =
      target.channel.timeout
          ? std::chrono::duration_cast<std::chrono::milliseconds>(*target.channel.timeout)
          : settings_.default_timeout;
  const SendOutcome outcome =
      sender_.post(target.channel.endpoint, target.channel.headers, bundle.dump(), timeout);
  const auto logger = logging::zone_logger("server");
  if (outcome.is_delivered) {
    target.state.consecutive_failures = 0;
    target.state.last_sent = target.now;
    target.state.next_attempt = target.now;
    if (target.subject.status == "error") change_status(target, "active", round);
    return true;
  }
  ++round.failures;
  DeliveryState& state = target.state;
  ++state.consecutive_failures;
  // Exponential backoff, doubling from first_retry_delay, capped (the shift is bounded so it
  // cannot overflow).
  const int doublings = std::min(state.consecutive_failures - 1, 30);
  const auto delay = std::min<std::chrono::milliseconds>(
      settings_.first_retry_delay * (std::int64_t{1} << doublings), settings_.max_retry_delay);
  state.next_attempt = target.now + delay;
  logger->warn("subscription delivery failed id={} failures={} retry_in_ms={} reason={}", target.id,
               state.consecutive_failures, delay.count(), outcome.detail);
  if (state.consecutive_failures >= settings_.failures_before_error &&
      target.subject.status != "error") {
    logger->error(
        "subscription set to error id={} failures={}; its events stay in the outbox "
        "and are sent when the endpoint answers",
        target.id, state.consecutive_failures);
    change_status(target, "error", round);
  }
  return false;
}

void RestHookDelivery::change_status(Target& target, std::string_view status,
                                     DeliveryRound& round) {
  if (recorder_.set_status(target.id, status, target.version_id)) {
    ++target.version_id;
    target.subject.status = std::string(status);
    ++round.status_changes;
  } else {
    // A client wrote the Subscription meanwhile: the next round reads its new version.
    logging::zone_logger("server")->info(
        "subscription status not changed id={} status={}: it changed meanwhile", target.id, status);
  }
}

void RestHookDelivery::start(std::chrono::milliseconds poll_interval) {
  const std::lock_guard lock(thread_mutex_);
  if (thread_.joinable()) return;
  is_stopping_ = false;
  thread_ = std::thread([this, poll_interval] {
    std::unique_lock thread_lock(thread_mutex_);
    while (!is_stopping_) {
      thread_lock.unlock();
      try {
        (void)run_once();
      } catch (const std::exception& error) {
        logging::zone_logger("server")->error("subscription delivery round failed error={}",
                                              error.what());
      }
      thread_lock.lock();
      wake_.wait_for(thread_lock, poll_interval, [this] { return is_stopping_ || is_woken_; });
      is_woken_ = false;
    }
  });
}

void RestHookDelivery::stop() {
  {
    const std::lock_guard lock(thread_mutex_);
    is_stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RestHookDelivery::wake() {
  {
    const std::lock_guard lock(thread_mutex_);
    is_woken_ = true;
  }
  wake_.notify_all();
}

}  // namespace ptwin::server::fhir::subscriptions
