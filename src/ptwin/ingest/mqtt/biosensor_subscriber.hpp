// SPDX-License-Identifier: Apache-2.0
#pragma once
// Biosensor readings from an MQTT broker into the store (docs/mqtt.md). A network thread keeps
// the connection (reconnecting with backoff, resubscribing each time) and hands every message to
// a bounded queue; a writer thread parses batches of messages and persists them: samples with
// one append_samples call per batch, bad payloads in the quarantine with their raw bytes.

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/mqtt/subscriber_metrics.hpp"
#include "ptwin/ingest/mqtt/subscriber_settings.hpp"
#include "ptwin/store/store.hpp"

namespace ptwin::ingest::mqtt {

/// Subscribes to biosensor topics and persists what arrives.
///
/// Delivery: QoS 1 messages are never dropped. When the queue is full, the network thread
/// waits inside libmosquitto's message callback, so it stops reading the socket and the broker
/// holds the rest. libmosquitto 2.0.11 (Debian 12) has no manual acknowledgement; its client is
/// marked threaded here so that a message's PUBACK leaves only after the callback returns, i.e.
/// once the message is in the queue, before it is stored. stop() stores everything queued; a
/// crash of the process loses what was queued but not yet stored (at most queue_capacity +
/// max_batch_messages messages).
/// QoS 0 messages wait like QoS 1 unless Qos0Overflow::Drop is set (see SubscriberMetrics).
///
/// Thread-safety: start(), stop() and the destructor from one thread; metrics() from any.
/// The store is called from the writer thread only, and must outlive the subscriber.
class BiosensorSubscriber {
 public:
  /// Validates the settings (throws InputError naming the setting). Connects nothing yet.
  /// `clock` stamps each message's receipt, against which payload times are checked.
  BiosensorSubscriber(SubscriberSettings settings, store::Store& store, const time::Clock& clock);
  /// stop(), then releases the client.
  ~BiosensorSubscriber();
  BiosensorSubscriber(const BiosensorSubscriber&) = delete;
  BiosensorSubscriber& operator=(const BiosensorSubscriber&) = delete;
  BiosensorSubscriber(BiosensorSubscriber&&) = delete;
  BiosensorSubscriber& operator=(BiosensorSubscriber&&) = delete;

  /// Starts the writer and network threads and returns at once: the connection is made in the
  /// background, and retried with backoff while the broker cannot be reached (each failure is
  /// logged). Watch metrics().is_subscribed to know when messages flow. Call once.
  void start();

  /// Disconnects cleanly (messages the broker has not handed over stay in its session), stores
  /// everything received, and joins both threads. If the store keeps failing for
  /// settings.stop_timeout, gives up on what is left, counts it in `abandoned` and logs an error.
  /// Idempotent; does nothing before start().
  void stop();

  /// A consistent snapshot of the counters.
  [[nodiscard]] SubscriberMetrics metrics() const;

  /// Each device's clock as estimated so far, keyed by the samples' source_id
  /// ("mqtt:<topic>#<device>"); see SubscriberSettings::clock_tracking.
  [[nodiscard]] std::map<std::string, clock::SourceClock, std::less<>> device_clocks() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ptwin::ingest::mqtt
