// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/message_inbox.hpp"

#include <mutex>
#include <utility>

#include <fmt/format.h>
#include <sqlite3.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/store/detail/sqlite_connection.hpp"
#include "ptwin/store/detail/sqlite_statement.hpp"
#include "ptwin/store/detail/sqlite_transaction.hpp"

namespace ptwin::store {
namespace {

// `identity` narrows the repeat check to a few rows through its index; topic and payload are
// then compared byte for byte, so a hash collision cannot make two messages one.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS inbox_messages (
  id          INTEGER PRIMARY KEY,
  identity    INTEGER NOT NULL,
  topic       TEXT    NOT NULL,
  payload     BLOB    NOT NULL,
  qos         INTEGER NOT NULL,
  received_ns INTEGER NOT NULL,
  state       INTEGER NOT NULL CHECK (state IN (0, 1, 2))
);
CREATE INDEX IF NOT EXISTS inbox_messages_identity ON inbox_messages (identity);
)sql";
// No index on state: each index is one more page written to the WAL at every commit, and the
// table is small (the kept window plus what is unfinished); only start-up scans it by state.

// FNV-1a, 64 bits, over the topic, a NUL and the payload (the topic holds no NUL: MQTT
// forbids U+0000 in topic names, §1.5.3).
std::int64_t identity_of(std::string_view topic, std::string_view payload) {
  std::uint64_t hash = 14'695'981'039'346'656'037ULL;
  const auto mix = [&hash](unsigned char byte) {
    hash ^= byte;
    hash *= 1'099'511'628'211ULL;
  };
  for (const char c : topic) mix(static_cast<unsigned char>(c));
  mix(0);
  for (const char c : payload) mix(static_cast<unsigned char>(c));
  return static_cast<std::int64_t>(hash);
}

std::span<const std::byte> bytes_of(std::string_view text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

detail::SqliteConnection open_connection(const std::filesystem::path& path,
                                         const MessageInboxOptions& options) {
  if (options.kept_done_messages < 0) {
    throw InputError(ErrorCode::BadInput, "inbox options: kept_done_messages",
                     std::to_string(options.kept_done_messages), "must be >= 0");
  }
  detail::SqliteConnection connection(path.string());
  connection.check(sqlite3_busy_timeout(connection.handle(), 5000), "set busy_timeout");
  // One process owns an inbox: EXCLUSIVE holds the file's lock from the first write to the
  // close, which spares every commit the lock calls and the shared-memory index (SQLite keeps
  // the WAL index in heap memory then), and makes a second process that opens the same inbox
  // fail with "database is locked" instead of taking messages from the first.
  connection.exec("PRAGMA locking_mode = EXCLUSIVE", "set locking_mode=EXCLUSIVE");
  connection.exec("PRAGMA journal_mode = WAL", "set journal_mode=WAL");
  connection.exec(options.synchronous == SqliteSynchronous::Full ? "PRAGMA synchronous = FULL"
                                                                 : "PRAGMA synchronous = NORMAL",
                  "set synchronous");
  // A checkpoint (copy of the WAL into the file, with two fsyncs) every 16 384 pages (64 MiB)
  // rather than SQLite's 1 000: a message writes about two pages, so the default would sync
  // every few hundred messages.
  connection.exec("PRAGMA wal_autocheckpoint = 16384", "set wal_autocheckpoint");
  connection.exec(kSchema, "create the inbox table");
  return connection;
}

}  // namespace

struct MessageInbox::Impl {
  Impl(const std::filesystem::path& file, const MessageInboxOptions& inbox_options)
      : path(file),
        options(inbox_options),
        connection(open_connection(file, inbox_options)),
        transactions(connection),
        find_repeat(connection,
                    "SELECT 1 FROM inbox_messages WHERE identity = ?1 AND topic = ?2 AND "
                    "payload = ?3 LIMIT 1",
                    "inbox: find a repeat"),
        insert(connection,
               "INSERT INTO inbox_messages (identity, topic, payload, qos, received_ns, state) "
               "VALUES (?1, ?2, ?3, ?4, ?5, 0) RETURNING id",
               "inbox: record a message"),
        select_unfinished(connection,
                          "SELECT id, topic, payload, qos, received_ns, state FROM "
                          "inbox_messages WHERE state < 2 ORDER BY id",
                          "inbox: read unfinished messages"),
        update_state(connection, "UPDATE inbox_messages SET state = ?2 WHERE id = ?1",
                     "inbox: set a message's state"),
        prune_done(connection,
                   "DELETE FROM inbox_messages WHERE state = 2 AND id <= (SELECT MAX(id) FROM "
                   "inbox_messages) - ?1",
                   "inbox: remove old done messages"),
        count_state(connection, "SELECT COUNT(*) FROM inbox_messages WHERE state = ?1",
                    "inbox: count messages") {}

  std::filesystem::path path;
  MessageInboxOptions options;
  mutable std::mutex mutex;
  detail::SqliteConnection connection;
  detail::SqliteTransactionStatements transactions;
  detail::SqliteStatement find_repeat;
  detail::SqliteStatement insert;
  mutable detail::SqliteStatement select_unfinished;
  detail::SqliteStatement update_state;
  detail::SqliteStatement prune_done;
  mutable detail::SqliteStatement count_state;
};

MessageInbox::MessageInbox(const std::filesystem::path& path, MessageInboxOptions options)
    : impl_(std::make_unique<Impl>(path, options)) {
  logging::zone_logger("store")->info(
      "message inbox opened path={} pending={} storing={} synchronous={}", path.string(),
      count(InboxState::Pending), count(InboxState::Storing),
      options.synchronous == SqliteSynchronous::Full ? "full" : "normal");
}

MessageInbox::~MessageInbox() = default;

const std::filesystem::path& MessageInbox::path() const noexcept { return impl_->path; }

std::optional<std::int64_t> MessageInbox::admit(std::string_view topic, std::string_view payload,
                                                int qos, time::Instant received_at) {
  const auto identity = identity_of(topic, payload);
  const std::lock_guard lock(impl_->mutex);
  {
    auto& statement = impl_->find_repeat;
    const detail::StatementReset reset(statement);
    statement.bind_int64(1, identity);
    statement.bind_text(2, topic);
    statement.bind_blob(3, bytes_of(payload));
    if (statement.step()) return std::nullopt;
  }
  // One statement in autocommit mode: committed (to the synchronous level) when step returns.
  auto& statement = impl_->insert;
  const detail::StatementReset reset(statement);
  statement.bind_int64(1, identity);
  statement.bind_text(2, topic);
  statement.bind_blob(3, bytes_of(payload));
  statement.bind_int64(4, qos);
  statement.bind_int64(5, time::to_epoch_ns(received_at));
  if (!statement.step()) {
    throw Error(ErrorCode::Internal, "inbox: INSERT ... RETURNING id returned no row");
  }
  return statement.column_int64(0);
}

std::vector<InboxMessage> MessageInbox::unfinished() const {
  const std::lock_guard lock(impl_->mutex);
  auto& statement = impl_->select_unfinished;
  const detail::StatementReset reset(statement);
  std::vector<InboxMessage> messages;
  while (statement.step()) {
    const auto payload = statement.column_blob(2);
    messages.push_back(InboxMessage{
        .id = statement.column_int64(0),
        .topic = statement.column_text(1),
        .payload = std::string(reinterpret_cast<const char*>(payload.data()), payload.size()),
        .qos = static_cast<int>(statement.column_int64(3)),
        .received_at = time::from_epoch_ns(statement.column_int64(4)),
        .state = static_cast<InboxState>(statement.column_int64(5))});
  }
  return messages;
}

void MessageInbox::mark(std::span<const std::int64_t> ids, InboxState state) {
  if (ids.empty()) return;
  const std::lock_guard lock(impl_->mutex);
  detail::SqliteTransaction transaction(impl_->connection, impl_->transactions);
  for (const auto id : ids) {
    auto& statement = impl_->update_state;
    const detail::StatementReset reset(statement);
    statement.bind_int64(1, id);
    statement.bind_int64(2, static_cast<std::int64_t>(state));
    statement.run();
  }
  if (state == InboxState::Done) {
    auto& statement = impl_->prune_done;
    const detail::StatementReset reset(statement);
    statement.bind_int64(1, impl_->options.kept_done_messages);
    statement.run();
  }
  transaction.commit();
}

std::int64_t MessageInbox::count(InboxState state) const {
  const std::lock_guard lock(impl_->mutex);
  auto& statement = impl_->count_state;
  const detail::StatementReset reset(statement);
  statement.bind_int64(1, static_cast<std::int64_t>(state));
  return statement.step() ? statement.column_int64(0) : 0;
}

}  // namespace ptwin::store
