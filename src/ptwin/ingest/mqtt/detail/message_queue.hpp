// SPDX-License-Identifier: Apache-2.0
#pragma once
// The bounded queue between the network thread (producer) and the store writer (consumer) of a
// BiosensorSubscriber. Bounded so that a slow store slows the broker down instead of growing
// memory without limit; the producer waits for room (or, for a QoS 0 message under
// Qos0Overflow::Drop, gives up at once).

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "ptwin/core/time.hpp"

namespace ptwin::ingest::mqtt::detail {

/// One MQTT message as the broker delivered it.
struct InboundMessage {
  std::string topic;
  std::string payload;  // raw bytes: NUL and invalid UTF-8 kept as they are
  int qos = 0;
  time::Instant received_at{};
  std::int64_t inbox_id = 0;  // its row in the durable inbox; 0: not in one (QoS 0, no inbox)
  /// Replayed from the inbox in state Storing: its write may have committed before a crash,
  /// so the writer looks for it in the store first.
  bool is_uncertain = false;
};

/// Thread-safe. Many producers and consumers are allowed; BiosensorSubscriber uses one of each.
class MessageQueue {
 public:
  enum class PushResult { Queued, QueuedAfterWaiting, Abandoned };

  explicit MessageQueue(std::size_t capacity);

  /// Queues the message, waiting while the queue is full. Returns Abandoned (without queueing)
  /// when abandon() is called before there is room.
  PushResult push(InboundMessage&& message);

  /// Queues the message if there is room now; returns false (and leaves it) otherwise.
  bool try_push(InboundMessage&& message);

  /// Waits until a message is queued, then takes up to `max_messages` in arrival order.
  /// Returns an empty batch only once the queue is closed and empty, or abandoned.
  [[nodiscard]] std::vector<InboundMessage> pop_batch(std::size_t max_messages);

  /// No more messages will be pushed: pop_batch drains what is left, then returns empty.
  void close();

  /// Wakes every waiter for good: push returns Abandoned, pop_batch returns empty.
  void abandon();

  /// Removes and returns the number of messages still queued (after abandon()).
  std::size_t discard_all();

  /// Producers now waiting in push() for room.
  [[nodiscard]] std::size_t waiting_producers();

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable has_room_;
  std::condition_variable has_message_;
  std::deque<InboundMessage> messages_;
  bool is_closed_ = false;
  bool is_abandoned_ = false;
  std::size_t waiting_producers_ = 0;
};

}  // namespace ptwin::ingest::mqtt::detail
