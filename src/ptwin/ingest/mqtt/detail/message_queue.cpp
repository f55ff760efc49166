// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/mqtt/detail/message_queue.hpp"

#include <algorithm>
#include <iterator>

#include "ptwin/core/assert.hpp"

namespace ptwin::ingest::mqtt::detail {

MessageQueue::MessageQueue(std::size_t capacity) : capacity_(capacity) {
  PTWIN_ASSERT(capacity > 0, "a message queue needs room for at least one message");
}

MessageQueue::PushResult MessageQueue::push(InboundMessage&& message) {
  std::unique_lock lock(mutex_);
  PTWIN_ASSERT(!is_closed_, "push after close: the network thread must end before the queue");
  const bool has_waited = messages_.size() >= capacity_ && !is_abandoned_;
  if (has_waited) {
    ++waiting_producers_;
    has_room_.wait(lock, [this] { return messages_.size() < capacity_ || is_abandoned_; });
    --waiting_producers_;
  }
  if (is_abandoned_) return PushResult::Abandoned;
  messages_.push_back(std::move(message));
  has_message_.notify_one();
  return has_waited ? PushResult::QueuedAfterWaiting : PushResult::Queued;
}

bool MessageQueue::try_push(InboundMessage&& message) {
  const std::lock_guard lock(mutex_);
  PTWIN_ASSERT(!is_closed_, "push after close: the network thread must end before the queue");
  if (is_abandoned_ || messages_.size() >= capacity_) return false;
  messages_.push_back(std::move(message));
  has_message_.notify_one();
  return true;
}

std::vector<InboundMessage> MessageQueue::pop_batch(std::size_t max_messages) {
  std::unique_lock lock(mutex_);
  has_message_.wait(lock, [this] { return !messages_.empty() || is_closed_ || is_abandoned_; });
  if (is_abandoned_) return {};
  const auto count = std::min(max_messages, messages_.size());
  std::vector<InboundMessage> batch(
      std::make_move_iterator(messages_.begin()),
      std::make_move_iterator(messages_.begin() + static_cast<std::ptrdiff_t>(count)));
  messages_.erase(messages_.begin(), messages_.begin() + static_cast<std::ptrdiff_t>(count));
  has_room_.notify_all();
  return batch;
}

void MessageQueue::close() {
  const std::lock_guard lock(mutex_);
  is_closed_ = true;
  has_message_.notify_all();
}

void MessageQueue::abandon() {
  const std::lock_guard lock(mutex_);
  is_abandoned_ = true;
  has_message_.notify_all();
  has_room_.notify_all();
}

std::size_t MessageQueue::discard_all() {
  const std::lock_guard lock(mutex_);
  const auto count = messages_.size();
  messages_.clear();
  return count;
}

std::size_t MessageQueue::waiting_producers() {
  const std::lock_guard lock(mutex_);
  return waiting_producers_;
}

}  // namespace ptwin::ingest::mqtt::detail
