// SPDX-License-Identifier: Apache-2.0
// SqliteStore's feed cursors (store/feed_cursors.hpp): one row per feed. Statements are
// prepared per call: a cursor is read once at start and saved once per handled event.
#include <chrono>
#include <mutex>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/store/detail/sqlite_store_impl.hpp"

namespace ptwin::store {

std::optional<std::int64_t> SqliteStore::feed_cursor(std::string_view feed) const {
  const std::lock_guard lock(impl_->mutex);
  detail::SqliteStatement statement(impl_->connection,
                                    "SELECT position FROM feed_cursors WHERE feed = ?1",
                                    "read feed cursor");
  statement.bind_text(1, feed);
  if (!statement.step()) return std::nullopt;
  return statement.column_int64(0);
}

void SqliteStore::save_feed_cursor(std::string_view feed, std::int64_t position) {
  if (feed.empty()) {
    throw InputError(ErrorCode::MissingField, "feed cursor: feed", "",
                     "must name the feed whose position this is");
  }
  // The row's update time is for people reading the table; the system clock will do.
  const auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const std::lock_guard lock(impl_->mutex);
  detail::SqliteStatement statement(
      impl_->connection,
      "INSERT INTO feed_cursors (feed, position, updated_at_ns) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (feed) DO UPDATE SET position = excluded.position, "
      "updated_at_ns = excluded.updated_at_ns",
      "save feed cursor");
  statement.bind_text(1, feed);
  statement.bind_int64(2, position);
  statement.bind_int64(3, static_cast<std::int64_t>(now_ns));
  statement.run();
}

}  // namespace ptwin::store
