// SPDX-License-Identifier: Apache-2.0
#pragma once
// RAII owner of one sqlite3 connection, and the one place where SQLite result codes become
// ptwin::Error(StoreFailure) messages naming the operation, the database path and SQLite's
// own explanation.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ptwin/core/error.hpp"

struct sqlite3;

namespace ptwin::store::detail {

class SqliteConnection {
 public:
  /// Opens (creating if needed) the database at `path` with sqlite3_open_v2. `path` may be
  /// ":memory:". Throws Error(StoreFailure) when SQLite cannot open it.
  explicit SqliteConnection(std::string path);

  [[nodiscard]] sqlite3* handle() const noexcept { return db_.get(); }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

  /// Runs SQL text that may hold several statements and returns no rows (PRAGMAs, DDL).
  void exec(std::string_view sql, std::string_view operation);

  /// The error for result code `rc` of `operation`, with sqlite3_errmsg read now: call it
  /// before anything else touches the connection.
  [[nodiscard]] Error error(std::string_view operation, int rc) const;

  /// Throws error(operation, rc) unless rc is SQLITE_OK.
  void check(int rc, std::string_view operation) const;

 private:
  struct Closer {
    void operator()(sqlite3* db) const noexcept;
  };
  std::string path_;
  std::unique_ptr<sqlite3, Closer> db_;
};

}  // namespace ptwin::store::detail
