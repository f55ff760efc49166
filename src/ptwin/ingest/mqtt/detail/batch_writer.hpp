// SPDX-License-Identifier: Apache-2.0
#pragma once
// The store side of a BiosensorSubscriber: parses a batch of messages and persists it, the
// samples of all good messages in one append_samples transaction and each bad message in the
// quarantine. Store failures are retried with backoff, never dropped (docs/mqtt.md#store).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include <spdlog/logger.h>

#include "ptwin/ingest/clock/source_clock_tracker.hpp"
#include "ptwin/ingest/mqtt/detail/message_queue.hpp"
#include "ptwin/ingest/mqtt/detail/metrics_book.hpp"
#include "ptwin/ingest/mqtt/payload_parser.hpp"
#include "ptwin/ingest/mqtt/subscriber_settings.hpp"
#include "ptwin/store/message_inbox.hpp"
#include "ptwin/store/store.hpp"

namespace ptwin::ingest::mqtt::detail {

/// Used by one writer thread; abandon() may be called from any thread.
class BatchWriter {
 public:
  /// `clocks` sees each good message's (last reading time, delivery time) pair and corrects
  /// its samples' times when it is correcting that device.
  /// `inbox` (may be null): the messages of a batch that have a row there are marked Storing
  /// before the store is written and Done after (docs/mqtt.md#durability).
  BatchWriter(store::Store& store, const PayloadRules& rules, MetricsBook& metrics,
              clock::SourceClockTracker& clocks, std::chrono::milliseconds retry_delay_max,
              std::shared_ptr<spdlog::logger> logger, const StoredMessageObserver& on_stored,
              store::MessageInbox* inbox = nullptr);

  /// Persists every message of the batch (stored or quarantined) and counts it, retrying the
  /// store while it fails. Returns early only after abandon(): the messages not yet persisted
  /// are then counted as abandoned.
  void persist(const std::vector<InboundMessage>& batch);

  /// Stops retrying: the current and every later persist() gives up at its next failure.
  void abandon();

 private:
  struct Outcome;  // one message, parsed
  void notify_stored(const std::vector<Sample>& samples, time::Instant received_at);
  void track_clock(std::vector<Sample>& samples, time::Instant received_at);
  /// For a message whose write may have committed before a crash: are its samples (or its
  /// quarantine entry) already in the store?
  [[nodiscard]] bool is_in_store(const InboundMessage& message, const Outcome& outcome) const;
  bool skip_stored_repeats(const std::vector<InboundMessage>& batch,
                           std::vector<Outcome>& outcomes, std::uint64_t& uncounted);
  bool mark_in_inbox(const std::vector<std::int64_t>& ids, store::InboxState state);
  bool store_samples(const std::vector<InboundMessage>& batch, std::vector<Outcome>& outcomes,
                     std::uint64_t& uncounted);
  bool store_one_by_one(const std::vector<InboundMessage>& batch, std::vector<Outcome>& outcomes,
                        std::uint64_t& uncounted);
  bool store_quarantine(const std::vector<InboundMessage>& batch,
                        const std::vector<Outcome>& outcomes, std::uint64_t& uncounted);
  /// Runs `write` until it succeeds (true) or abandon() is called (false). InputError, a record
  /// the store refuses, is not retried but thrown.
  bool with_retries(std::string_view operation, const std::function<void()>& write);

  store::Store& store_;
  const PayloadRules& rules_;
  MetricsBook& metrics_;
  clock::SourceClockTracker& clocks_;
  const std::chrono::milliseconds retry_delay_max_;
  std::shared_ptr<spdlog::logger> logger_;
  const StoredMessageObserver& on_stored_;
  store::MessageInbox* inbox_;
  std::mutex mutex_;
  std::condition_variable abandoned_;
  bool is_abandoned_ = false;
};

}  // namespace ptwin::ingest::mqtt::detail
