// SPDX-License-Identifier: Apache-2.0
#pragma once
// The counters of one BiosensorSubscriber, updated by its network and writer threads. One mutex
// guards them all, so that a snapshot is consistent: each message moves from one counter to
// another in a single step and SubscriberMetrics::is_conserved() holds in every snapshot.

#include <cstdint>
#include <mutex>

#include "ptwin/ingest/mqtt/subscriber_metrics.hpp"

namespace ptwin::ingest::mqtt::detail {

class MetricsBook {
  // First, so that the inline members below can use its deduced return type.
  template <typename F>
  auto update(F&& change) {
    const std::lock_guard lock(mutex_);
    return change(metrics_);
  }

  mutable std::mutex mutex_;
  SubscriberMetrics metrics_;

 public:
  [[nodiscard]] SubscriberMetrics snapshot() const {
    const std::lock_guard lock(mutex_);
    return metrics_;
  }
  /// A message arrived and is being handed to the queue: received and pending.
  void on_received() {
    update([](SubscriberMetrics& m) {
      ++m.received;
      ++m.pending;
    });
  }
  /// A message read back from the inbox at start: received, replayed and pending.
  void on_replayed() {
    update([](SubscriberMetrics& m) {
      ++m.received;
      ++m.replayed;
      ++m.pending;
    });
  }
  /// A pending message found already taken (see SubscriberMetrics::repeats).
  void on_repeat() {
    update([](SubscriberMetrics& m) {
      --m.pending;
      ++m.repeats;
    });
  }
  /// Returns the new total of dropped QoS 0 messages.
  std::uint64_t on_dropped_qos0() {
    return update([](SubscriberMetrics& m) {
      --m.pending;
      return ++m.dropped_qos0;
    });
  }
  void on_accepted(std::uint64_t messages, std::uint64_t samples) {
    update([&](SubscriberMetrics& m) {
      m.pending -= messages;
      m.accepted += messages;
      m.samples_stored += samples;
    });
  }
  /// Returns the new total of quarantined messages.
  std::uint64_t on_quarantined() {
    return update([](SubscriberMetrics& m) {
      --m.pending;
      return ++m.quarantined;
    });
  }
  void on_abandoned(std::uint64_t messages) {
    update([&](SubscriberMetrics& m) {
      m.pending -= messages;
      m.abandoned += messages;
    });
  }
  void on_queue_full_wait() {
    update([](SubscriberMetrics& m) { ++m.queue_full_waits; });
  }
  void on_store_failure() {
    update([](SubscriberMetrics& m) { ++m.store_failures; });
  }
  void on_observer_failure() {
    update([](SubscriberMetrics& m) { ++m.observer_failures; });
  }
  void on_connected() {
    update([](SubscriberMetrics& m) {
      ++m.connections;
      m.is_connected = true;
      m.is_subscribed = false;
    });
  }
  void on_subscribed() {
    update([](SubscriberMetrics& m) { m.is_subscribed = true; });
  }
  void on_disconnected(bool is_loss) {
    update([&](SubscriberMetrics& m) {
      if (is_loss) ++m.connection_losses;
      m.is_connected = false;
      m.is_subscribed = false;
    });
  }
};

}  // namespace ptwin::ingest::mqtt::detail
