// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/mqtt/biosensor_subscriber.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <mosquitto.h>

#include "ptwin/core/assert.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/ingest/mqtt/detail/batch_writer.hpp"
#include "ptwin/ingest/mqtt/detail/message_queue.hpp"
#include "ptwin/ingest/mqtt/detail/metrics_book.hpp"
#include "ptwin/ingest/mqtt/detail/mosquitto_handle.hpp"

namespace ptwin::ingest::mqtt {
namespace {

// How long one mosquitto_loop call may wait for the socket: the network thread notices stop()
// within this time. Ten wake-ups a second cost nothing.
constexpr int kLoopTimeoutMs = 100;
// SUBACK return code of a refused subscription (MQTT 3.1.1 §3.9.3).
constexpr int kSubscriptionRefused = 0x80;

}  // namespace

struct BiosensorSubscriber::Impl {
  Impl(SubscriberSettings validated_settings, store::Store& target, const time::Clock& time_source)
      : settings(std::move(validated_settings)),
        clock(time_source),
        queue(settings.queue_capacity),
        clocks(settings.clock_tracking),
        inbox(settings.inbox ? std::make_unique<store::MessageInbox>(settings.inbox->path,
                                                                     settings.inbox->options)
                             : nullptr),
        writer(target, settings.payload, metrics, clocks, settings.store_retry_delay_max, logger,
               settings.on_stored, inbox.get()),
        reconnect_delay(settings.reconnect_delay_min) {}

  void start();
  void stop();
  void run_network();
  void run_writer();
  bool is_past_stop_deadline();
  void abandon_unstored();
  void wait_before_reconnect();
  void on_connect(int code, int flags);
  void on_disconnect(int code);
  void on_subscribe(int message_id, int count, const int* granted);
  void on_message(const mosquitto_message& message);
  void hand_over(detail::InboundMessage&& inbound);
  void replay_unfinished();
  void refuse_message(std::string_view why);

  // Runs a libmosquitto callback's handler on the Impl behind `self`, logging any exception.
  template <typename Handler>
  static void guarded(void* self, std::string_view callback, const Handler& handler) {
    auto& impl = *static_cast<Impl*>(self);
    try {
      handler(impl);
    } catch (const std::exception& error) {
      impl.logger->error("mqtt {} callback failed: {}", callback, error.what());
    }
  }

  const SubscriberSettings settings;
  const time::Clock& clock;
  const std::shared_ptr<spdlog::logger> logger = logging::zone_logger("ingest");
  detail::MetricsBook metrics;
  detail::MessageQueue queue;
  clock::SourceClockTracker clocks;
  std::unique_ptr<store::MessageInbox> inbox;  // null without settings.inbox
  std::vector<store::InboxMessage> to_replay;   // read by start(), queued by the network thread
  detail::BatchWriter writer;
  std::unique_ptr<detail::MosquittoHandle> client;
  std::thread network_thread;
  std::thread writer_thread;

  // Shared by stop() and both threads.
  std::mutex mutex;
  std::condition_variable changed;
  std::atomic<bool> is_stopping{false};
  std::atomic<bool> is_abandoned{false};
  std::chrono::steady_clock::time_point stop_deadline;
  bool is_network_done = false;
  bool is_writer_done = false;
  bool is_started = false;
  bool is_stopped = false;

  // Network thread only.
  std::chrono::milliseconds reconnect_delay;
  int reconnect_attempts = 0;
  bool has_logged_loss = false;
  bool has_sent_disconnect = false;
  std::map<int, std::string> unanswered_subscriptions;  // message id -> filter
  bool has_refused_subscription = false;
};

void BiosensorSubscriber::Impl::start() {
  PTWIN_ASSERT(!is_started, "BiosensorSubscriber::start called twice");
  client = std::make_unique<detail::MosquittoHandle>(settings.client_id, settings.is_clean_session,
                                                     this);
  auto* handle = client->get();
  // Only the network thread calls libmosquitto, but the client must still be marked threaded:
  // an unthreaded 2.0.11 client writes a QoS 1 PUBACK to the socket as soon as it is queued,
  // which is before the message callback runs. Marked threaded, it leaves every write to
  // mosquitto_loop, so the PUBACK goes out only after the callback has queued the message
  // (or is never sent, see refuse_message).
  const int threaded = mosquitto_threaded_set(handle, true);
  PTWIN_ASSERT(threaded == MOSQ_ERR_SUCCESS, "mosquitto_threaded_set on a valid client");
  if (settings.username) {
    const int code =
        mosquitto_username_pw_set(handle, settings.username->c_str(),
                                  settings.password ? settings.password->c_str() : nullptr);
    if (code != MOSQ_ERR_SUCCESS) {
      throw InputError(
          ErrorCode::BadInput, "mqtt.username", printable_value(*settings.username),
          fmt::format("was refused by libmosquitto: {}", detail::describe_mosquitto_error(code)));
    }
  }
  // Captureless lambdas convert to the C function pointers libmosquitto wants. No exception
  // may unwind through libmosquitto's C frames: guarded() logs it and the callback ends.
  mosquitto_connect_with_flags_callback_set(
      handle, [](mosquitto*, void* self, int code, int flags) {
        guarded(self, "connect", [&](Impl& impl) { impl.on_connect(code, flags); });
      });
  mosquitto_disconnect_callback_set(handle, [](mosquitto*, void* self, int code) {
    guarded(self, "disconnect", [&](Impl& impl) { impl.on_disconnect(code); });
  });
  mosquitto_subscribe_callback_set(handle, [](mosquitto*, void* self, int message_id, int count,
                                              const int* granted) {
    guarded(self, "subscribe", [&](Impl& impl) { impl.on_subscribe(message_id, count, granted); });
  });
  mosquitto_message_callback_set(handle, [](mosquitto*, void* self, const mosquitto_message* m) {
    guarded(self, "message", [&](Impl& impl) { impl.on_message(*m); });
  });
  std::string topics;
  for (const auto& subscription : settings.subscriptions) {
    topics +=
        fmt::format("{}{}@qos{}", topics.empty() ? "" : ",", subscription.filter, subscription.qos);
  }
  logger->info("mqtt subscriber starting broker={}:{} client_id={} clean_session={} topics={}",
               settings.host, settings.port, settings.client_id, settings.is_clean_session, topics);
  // Read here, so that a broken inbox file fails start() rather than a background thread.
  if (inbox) to_replay = inbox->unfinished();
  writer_thread = std::thread([this] { run_writer(); });
  network_thread = std::thread([this] { run_network(); });
  is_started = true;
}

void BiosensorSubscriber::Impl::run_writer() {
  for (auto batch = queue.pop_batch(settings.max_batch_messages); !batch.empty();
       batch = queue.pop_batch(settings.max_batch_messages)) {
    writer.persist(batch);
  }
  {
    const std::lock_guard lock(mutex);
    is_writer_done = true;
  }
  changed.notify_all();
}

// Before connecting: the broker's redeliveries of these messages then find them in the inbox.
void BiosensorSubscriber::Impl::replay_unfinished() {
  if (to_replay.empty()) return;
  logger->warn("mqtt inbox: {} messages left unfinished by the last run are stored again path={}",
               to_replay.size(), inbox->path().string());
  for (auto& row : std::exchange(to_replay, {})) {
    detail::InboundMessage message{.topic = std::move(row.topic),
                                   .payload = std::move(row.payload),
                                   .qos = row.qos,
                                   .received_at = row.received_at,
                                   .inbox_id = row.id,
                                   .is_uncertain = row.state == store::InboxState::Storing};
    metrics.on_replayed();
    if (queue.push(std::move(message)) == detail::MessageQueue::PushResult::Abandoned) {
      metrics.on_abandoned(1);  // still in the inbox: the next start takes it
    }
  }
}

void BiosensorSubscriber::Impl::run_network() {
  replay_unfinished();
  auto* handle = client->get();
  int code = mosquitto_connect_async(handle, settings.host.c_str(), settings.port,
                                     static_cast<int>(settings.keepalive.count()));
  while (true) {
    if (is_stopping) {
      if (mosquitto_socket(handle) == -1 || is_abandoned || is_past_stop_deadline()) break;
      if (!std::exchange(has_sent_disconnect, true)) (void)mosquitto_disconnect(handle);
    } else if (code != MOSQ_ERR_SUCCESS) {
      ++reconnect_attempts;
      if (std::exchange(has_logged_loss, false)) {  // on_disconnect has said why
        logger->info("mqtt reconnecting broker={}:{} attempt={} retry_in_ms={}", settings.host,
                     settings.port, reconnect_attempts, reconnect_delay.count());
      } else {
        logger->warn("mqtt broker unreachable broker={}:{} reason={} attempt={} retry_in_ms={}",
                     settings.host, settings.port, detail::describe_mosquitto_error(code),
                     reconnect_attempts, reconnect_delay.count());
      }
      wait_before_reconnect();
      if (is_stopping) continue;
      code = mosquitto_reconnect_async(handle);
      continue;
    }
    code = mosquitto_loop(handle, kLoopTimeoutMs, 1);
  }
  {
    const std::lock_guard lock(mutex);
    is_network_done = true;
  }
  changed.notify_all();
}

void BiosensorSubscriber::Impl::wait_before_reconnect() {
  std::unique_lock lock(mutex);
  changed.wait_for(lock, reconnect_delay, [this] { return is_stopping.load(); });
  reconnect_delay = std::min(reconnect_delay * 2, settings.reconnect_delay_max);
}

bool BiosensorSubscriber::Impl::is_past_stop_deadline() {
  const std::lock_guard lock(mutex);
  return std::chrono::steady_clock::now() >= stop_deadline;
}

void BiosensorSubscriber::Impl::on_connect(int code, int flags) {
  if (code != 0) {
    logger->error("mqtt broker refused the connection broker={}:{} client_id={} reason={}",
                  settings.host, settings.port, settings.client_id, mosquitto_connack_string(code));
    return;
  }
  metrics.on_connected();
  reconnect_delay = settings.reconnect_delay_min;
  reconnect_attempts = 0;
  // A persistent session keeps the subscriptions, but a broker that lost its state (restarted
  // without persistence) does not: subscribe again on every connection.
  logger->info("mqtt connected broker={}:{} client_id={} session_present={}", settings.host,
               settings.port, settings.client_id, (flags & 1) != 0);
  unanswered_subscriptions.clear();
  has_refused_subscription = false;
  for (const auto& subscription : settings.subscriptions) {
    int message_id = 0;
    const int result = mosquitto_subscribe(client->get(), &message_id, subscription.filter.c_str(),
                                           subscription.qos);
    if (result != MOSQ_ERR_SUCCESS) {
      // The connection is going away; the next one subscribes again.
      logger->error("mqtt subscribe failed filter={} reason={}", subscription.filter,
                    detail::describe_mosquitto_error(result));
      return;
    }
    unanswered_subscriptions.emplace(message_id, subscription.filter);
  }
}

void BiosensorSubscriber::Impl::on_subscribe(int message_id, int count, const int* granted) {
  const auto found = unanswered_subscriptions.find(message_id);
  if (found == unanswered_subscriptions.end()) return;
  const int granted_qos = count > 0 ? granted[0] : kSubscriptionRefused;
  if (granted_qos == kSubscriptionRefused) {
    has_refused_subscription = true;
    logger->error("mqtt broker refused the subscription filter={} (check its ACL)", found->second);
  } else {
    logger->info("mqtt subscribed filter={} granted_qos={}", found->second, granted_qos);
  }
  unanswered_subscriptions.erase(found);
  if (unanswered_subscriptions.empty() && !has_refused_subscription) metrics.on_subscribed();
}

void BiosensorSubscriber::Impl::on_disconnect(int code) {
  const bool was_connected = metrics.snapshot().is_connected;
  const bool is_loss = code != 0 && !is_stopping;
  metrics.on_disconnected(is_loss && was_connected);
  if (is_loss && was_connected) {
    has_logged_loss = true;
    logger->warn("mqtt connection lost broker={}:{} reason={}", settings.host, settings.port,
                 detail::describe_mosquitto_error(code));
  } else if (!is_loss) {
    logger->info("mqtt disconnected broker={}:{}", settings.host, settings.port);
  }
}

// Closing the socket before the callback returns keeps libmosquitto from sending the PUBACK
// it has queued (2.0.11 queues it before calling us): the broker keeps the message in the
// session and delivers it again on the next connection.
void BiosensorSubscriber::Impl::refuse_message(std::string_view why) {
  logger->error("mqtt message not taken ({}); closing the connection so that the broker keeps it",
                why);
  (void)::shutdown(mosquitto_socket(client->get()), SHUT_RDWR);
}

void BiosensorSubscriber::Impl::on_message(const mosquitto_message& message) {
  detail::InboundMessage inbound;
  try {
    inbound.topic = message.topic;
    if (message.payloadlen > 0) {
      inbound.payload.assign(static_cast<const char*>(message.payload),
                             static_cast<std::size_t>(message.payloadlen));
    }
    inbound.qos = message.qos;
    inbound.received_at = clock.now();
  } catch (const std::exception& error) {
    refuse_message(error.what());
    return;
  }
  metrics.on_received();
  // With an inbox, a QoS 1 message is committed there before this callback returns, that is
  // before libmosquitto writes its PUBACK (see start()).
  if (inbox && inbound.qos == 1) {
    try {
      const auto id = inbox->admit(inbound.topic, inbound.payload, inbound.qos,
                                   inbound.received_at);
      if (!id) {
        metrics.on_repeat();
        return;
      }
      inbound.inbox_id = *id;
    } catch (const std::exception& error) {
      metrics.on_abandoned(1);
      refuse_message(fmt::format("the inbox could not record it: {}", error.what()));
      return;
    }
  }
  try {
    hand_over(std::move(inbound));
  } catch (const std::exception& error) {  // not queued: it must not be acknowledged either
    metrics.on_abandoned(1);
    refuse_message(error.what());
  }
}

void BiosensorSubscriber::Impl::hand_over(detail::InboundMessage&& inbound) {
  if (inbound.qos == 0 && settings.qos0_overflow == Qos0Overflow::Drop) {
    const auto topic = inbound.topic;
    if (queue.try_push(std::move(inbound))) return;
    const auto total = metrics.on_dropped_qos0();
    if (std::has_single_bit(total)) {  // 1, 2, 4, 8 ...: visible, but no flood
      logger->warn("mqtt queue full: QoS 0 message dropped topic={} dropped_qos0_total={}", topic,
                   total);
    }
    return;
  }
  switch (queue.push(std::move(inbound))) {
    case detail::MessageQueue::PushResult::Queued:
      return;
    case detail::MessageQueue::PushResult::QueuedAfterWaiting:
      metrics.on_queue_full_wait();
      return;
    case detail::MessageQueue::PushResult::Abandoned:
      metrics.on_abandoned(1);
      refuse_message("stop gave up waiting for the store");
      return;
  }
}

void BiosensorSubscriber::Impl::abandon_unstored() {
  if (is_abandoned.exchange(true)) return;
  logger->error("mqtt stop: the store did not take the received messages within {} ms; giving up",
                settings.stop_timeout.count());
  // The queue first: once the writer stops retrying it would take the next message, and make
  // room for the one the network thread waits to queue, which would then be acknowledged.
  queue.abandon();
  writer.abandon();
}

void BiosensorSubscriber::Impl::stop() {
  {
    const std::lock_guard lock(mutex);
    if (!is_started || is_stopped) return;
    is_stopped = true;
    stop_deadline = std::chrono::steady_clock::now() + settings.stop_timeout;
    is_stopping = true;
  }
  changed.notify_all();
  std::unique_lock lock(mutex);
  if (!changed.wait_until(lock, stop_deadline, [this] { return is_network_done; })) {
    lock.unlock();
    abandon_unstored();
    lock.lock();
  }
  lock.unlock();
  network_thread.join();
  queue.close();  // the network thread has ended: nothing more will be pushed
  lock.lock();
  if (!changed.wait_until(lock, stop_deadline, [this] { return is_writer_done; })) {
    lock.unlock();
    abandon_unstored();
    lock.lock();
  }
  lock.unlock();
  writer_thread.join();
  if (const auto left = queue.discard_all(); left > 0) {
    metrics.on_abandoned(left);
    if (inbox) {
      logger->error("mqtt stop: {} messages were not stored; those in the inbox are stored at the "
                    "next start",
                    left);
    } else {
      logger->error("mqtt stop: {} acknowledged messages were not stored and are lost", left);
    }
  }
  const auto final_metrics = metrics.snapshot();
  logger->info(
      "mqtt subscriber stopped received={} accepted={} quarantined={} dropped_qos0={} "
      "repeats={} abandoned={} replayed={} samples_stored={} connections={}",
      final_metrics.received, final_metrics.accepted, final_metrics.quarantined,
      final_metrics.dropped_qos0, final_metrics.repeats, final_metrics.abandoned,
      final_metrics.replayed, final_metrics.samples_stored, final_metrics.connections);
}

BiosensorSubscriber::BiosensorSubscriber(SubscriberSettings settings, store::Store& store,
                                         const time::Clock& clock) {
  validate(settings);
  impl_ = std::make_unique<Impl>(std::move(settings), store, clock);
}

BiosensorSubscriber::~BiosensorSubscriber() { stop(); }

void BiosensorSubscriber::start() { impl_->start(); }

void BiosensorSubscriber::stop() { impl_->stop(); }

SubscriberMetrics BiosensorSubscriber::metrics() const { return impl_->metrics.snapshot(); }

std::map<std::string, clock::SourceClock, std::less<>> BiosensorSubscriber::device_clocks() const {
  return impl_->clocks.sources();
}

}  // namespace ptwin::ingest::mqtt
