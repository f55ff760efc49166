// SPDX-License-Identifier: Apache-2.0
#pragma once
// A durable inbox of raw messages: a feed writes each message here before it acknowledges it
// to its sender, then stores it at leisure and marks it done. After a crash, the messages not
// marked done are read back and stored again (docs/mqtt.md#durability). One SQLite file in WAL
// mode, separate from the store, so that the network thread never waits for the store's lock.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/time.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::store {

/// Where a message is on its way to the store.
enum class InboxState {
  Pending = 0,  // recorded, not yet handed to the store
  Storing = 1,  // handed to the store; the write may or may not have committed
  Done = 2,     // stored or quarantined; kept only as a repeat check
};

struct InboxMessage {
  std::int64_t id = 0;  // arrival order, unique in the file
  std::string topic;
  std::string payload;  // raw bytes
  int qos = 0;
  time::Instant received_at{};
  InboxState state = InboxState::Pending;
};

struct MessageInboxOptions {
  /// Normal (default): a recorded message survives a crash or kill of the process, not an OS
  /// crash or power cut (no fsync per message; SQLite WAL, synchronous NORMAL). Full: an fsync
  /// per message, which also survives those, at the cost of a disk flush per message.
  SqliteSynchronous synchronous = SqliteSynchronous::Normal;
  /// How many done messages are kept, newest first, to recognise a sender's repeat of a
  /// message already taken (an MQTT broker sends again what it saw no PUBACK for).
  std::int64_t kept_done_messages = 10'000;
};

/// Thread-safe: one connection behind a mutex.
class MessageInbox {
 public:
  /// Opens or creates the file. Throws Error(StoreFailure) naming the path.
  explicit MessageInbox(const std::filesystem::path& path, MessageInboxOptions options = {});
  ~MessageInbox();
  MessageInbox(const MessageInbox&) = delete;
  MessageInbox& operator=(const MessageInbox&) = delete;
  MessageInbox(MessageInbox&&) = delete;
  MessageInbox& operator=(MessageInbox&&) = delete;

  /// Records the message durably (committed on return) and returns its id; or returns nullopt
  /// without recording anything when a message with the same topic and byte-identical payload
  /// is already in the inbox (pending, storing, or among the kept done ones): a repeat.
  /// Throws Error(StoreFailure).
  [[nodiscard]] std::optional<std::int64_t> admit(std::string_view topic,
                                                  std::string_view payload, int qos,
                                                  time::Instant received_at);

  /// Every message not done, in arrival order.
  [[nodiscard]] std::vector<InboxMessage> unfinished() const;

  /// Sets the state of these messages, in one transaction. Marking messages done also removes
  /// the done messages that arrived more than kept_done_messages messages before the newest.
  void mark(std::span<const std::int64_t> ids, InboxState state);

  /// Messages in this state.
  [[nodiscard]] std::int64_t count(InboxState state) const;

  [[nodiscard]] const std::filesystem::path& path() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ptwin::store
