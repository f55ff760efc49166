// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where each long-running feed got to in its source (the last event number of an EHR
// subscription, ...), kept in the store so that a restarted process asks its sources for what
// it missed instead of starting over (docs/serve.md#restarts).

#include <cstdint>
#include <optional>
#include <string_view>

namespace ptwin::store {

class FeedCursors {
 public:
  virtual ~FeedCursors() = default;
  FeedCursors(const FeedCursors&) = delete;
  FeedCursors& operator=(const FeedCursors&) = delete;
  FeedCursors(FeedCursors&&) = delete;
  FeedCursors& operator=(FeedCursors&&) = delete;

  /// The position last saved under `feed`, or nullopt when none was.
  [[nodiscard]] virtual std::optional<std::int64_t> feed_cursor(std::string_view feed) const = 0;

  /// Saves `position` under `feed` (non-empty), replacing what was saved; durable on return
  /// like every store write. Throws InputError for an empty name, StoreFailure on failure.
  virtual void save_feed_cursor(std::string_view feed, std::int64_t position) = 0;

 protected:
  FeedCursors() = default;
};

}  // namespace ptwin::store
