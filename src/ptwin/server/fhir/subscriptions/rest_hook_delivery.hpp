// SPDX-License-Identifier: Apache-2.0
#pragma once
// Delivers the outbox of every rest-hook (and, with a WebsocketChannel, websocket) Subscription (R5
// subscriptions.html#rest-hook):
//   requested: a handshake Bundle; a 2xx answer makes the Subscription active.
//   active / error: the events after the subscriber's acknowledged mark, maxCount per
//     notification Bundle, in event-number order; the mark moves only after a 2xx answer, so
//     an event is sent until acknowledged (at least once; receivers drop repeats by number).
//   idle: a heartbeat Bundle once heartbeatPeriod has passed without a notification.
// A failed send (no connection, timeout, non-2xx) waits first_retry_delay, doubling per
// consecutive failure up to max_retry_delay, and is retried forever at that cap. After
// failures_before_error consecutive failures the Subscription's status becomes error: events
// keep being recorded and kept, and the first later success sends them and sets it back to
// active. Nothing undelivered is dropped; delivered events may be purged after a retention age
// (docs/subscriptions.md#retention). With several processes on one database, a store lease
// lets one of them deliver at a time.
//
//   RestHookDelivery delivery(store, recorder, clock, {.base_url = "https://twin/fhir"});
//   delivery.start(std::chrono::milliseconds(200));   // or run_once() from a test
//
// Thread-safety: run_once() runs one round at a time (a mutex); start/stop/wake from any thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "ptwin/core/clock.hpp"
#include "ptwin/server/fhir/subscriptions/rest_hook_sender.hpp"
#include "ptwin/server/fhir/subscriptions/subscription_channel.hpp"
#include "ptwin/server/fhir/subscriptions/subscription_recorder.hpp"
#include "ptwin/server/fhir/subscriptions/websocket_channel.hpp"
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::server::fhir::subscriptions {

struct DeliverySettings {
  /// The FHIR base URL subscribers use to reach this server (focus references and fullUrls).
  std::string base_url{};
  std::chrono::milliseconds first_retry_delay{1'000};
  std::chrono::milliseconds max_retry_delay{300'000};
  int failures_before_error = 5;
  /// When the Subscription has no timeout.
  std::chrono::milliseconds default_timeout{10'000};
  /// Bound on the notifications one subscription sends per round, so one busy subscriber
  /// cannot starve the others; the rest goes in the next round.
  int max_notifications_per_round = 100;
  /// When set, websocket Subscriptions are delivered too: a requested one becomes active at
  /// once (its handshake is sent when a client binds), and while a client is bound its events
  /// and heartbeats are written there as for a rest-hook. A write that fails unbinds the
  /// client and leaves the events in the outbox; it never moves the status to error (there is
  /// no endpoint to blame, only a client that went away).
  WebsocketChannel* websocket = nullptr;
  /// Retention: events that are delivered and were recorded longer ago than this are purged
  /// from the outbox (store purge_subscription_events), at most once per purge_interval.
  /// nullopt: kept forever. $events then answers 410 for the purged numbers.
  std::optional<std::chrono::seconds> retention{};
  std::chrono::seconds purge_interval{60};
  /// Several processes may deliver from one database: only the holder of the store's lease
  /// kDeliveryLease delivers (and purges). A round takes or renews it for lease_duration; each
  /// send renews it for that send's timeout plus lease_duration, so it cannot expire while a
  /// send is under way. Another process takes over once the holder has been silent that long.
  std::chrono::milliseconds lease_duration{30'000};
  /// The lease owner name; empty: a random one per RestHookDelivery.
  std::string lease_owner{};
};

/// The store lease that one delivering process holds at a time.
inline constexpr std::string_view kDeliveryLease = "subscription-delivery";

/// What one round did (all subscriptions together).
struct DeliveryRound {
  int handshakes = 0;
  int notifications = 0;  // event-notification Bundles acknowledged
  std::int64_t events_delivered = 0;
  int heartbeats = 0;
  int failures = 0;
  int status_changes = 0;
  /// false: another process holds the delivery lease and this round sent nothing; or the lease
  /// was lost midway and the round stopped there.
  bool has_lease = true;
  std::int64_t events_purged = 0;
};

/// The delivery state of one subscription (memory; the acknowledged mark is in the store).
struct DeliveryState {
  int consecutive_failures = 0;
  time::Instant next_attempt{};
  time::Instant last_sent{};  // the last acknowledged handshake, notification or heartbeat
};

class RestHookDelivery {
 public:
  /// Every reference must outlive the object.
  RestHookDelivery(store::fhir::ResourceStore& store, SubscriptionRecorder& recorder,
                   const time::Clock& clock, DeliverySettings settings);
  ~RestHookDelivery();
  RestHookDelivery(const RestHookDelivery&) = delete;
  RestHookDelivery& operator=(const RestHookDelivery&) = delete;

  /// One pass over every rest-hook Subscription that is requested, active or error, at the
  /// clock's now. Store failures throw Error(StoreFailure); delivery failures never throw.
  DeliveryRound run_once();

  /// Runs rounds on a thread every `poll_interval` (and at once after wake()) until stop().
  void start(std::chrono::milliseconds poll_interval);
  void stop();
  /// Asks the thread for a round now (after a commit that may have added events).
  void wake();

  [[nodiscard]] std::optional<DeliveryState> state(const std::string& subscription_id) const;
  /// Rounds finished so far (run_once calls and thread rounds), for monitoring.
  [[nodiscard]] std::uint64_t completed_rounds() const { return completed_rounds_.load(); }

 private:
  struct Target;  // one subscription in one round
  void deliver(Target& target, DeliveryRound& round);
  bool deliver_events(Target& target, DeliveryRound& round);
  bool send(Target& target, const nlohmann::json& bundle, DeliveryRound& round);
  void change_status(Target& target, std::string_view status, DeliveryRound& round);
  /// Takes or renews the delivery lease for `duration`; false when another process holds it.
  bool hold_lease(std::chrono::nanoseconds duration);
  void purge_if_due(time::Instant now, DeliveryRound& round);

  store::fhir::ResourceStore& store_;
  SubscriptionRecorder& recorder_;
  const time::Clock& clock_;
  DeliverySettings settings_;
  RestHookSender sender_;
  std::string lease_owner_;
  std::optional<time::Instant> last_purge_;
  std::mutex round_mutex_;
  mutable std::mutex state_mutex_;
  std::map<std::string, DeliveryState, std::less<>> states_;
  std::atomic<std::uint64_t> completed_rounds_{0};
  std::mutex thread_mutex_;
  std::condition_variable wake_;
  bool is_stopping_ = false;
  bool is_woken_ = false;
  std::thread thread_;
};

}  // namespace ptwin::server::fhir::subscriptions
