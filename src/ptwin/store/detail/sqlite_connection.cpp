// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/detail/sqlite_connection.hpp"

#include <utility>

#include <fmt/format.h>
#include <sqlite3.h>

namespace ptwin::store::detail {

void SqliteConnection::Closer::operator()(sqlite3* db) const noexcept {
  // close_v2 defers the close until the last statement is finalized instead of failing;
  // SqliteStore finalizes its statements first, so this closes at once.
  sqlite3_close_v2(db);
}

SqliteConnection::SqliteConnection(std::string path) : path_(std::move(path)) {
  sqlite3* raw = nullptr;
  // NOMUTEX: SqliteStore serialises every call itself, so SQLite's own mutex is redundant.
  constexpr int kFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path_.c_str(), &raw, kFlags, nullptr);
  db_.reset(raw);  // owned even on failure: SQLite allocates a handle to carry the message
  if (raw == nullptr) {
    throw Error(ErrorCode::StoreFailure,
                fmt::format("sqlite store '{}': open: out of memory", path_));
  }
  check(rc, "open");
  sqlite3_extended_result_codes(raw, 1);
}

void SqliteConnection::exec(std::string_view sql, std::string_view operation) {
  const std::string text(sql);  // sqlite3_exec wants a NUL-terminated string
  check(sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, nullptr), operation);
}

Error SqliteConnection::error(std::string_view operation, int rc) const {
  return Error(ErrorCode::StoreFailure,
               fmt::format("sqlite store '{}': {}: {} ({}, code {})", path_, operation,
                           sqlite3_errmsg(db_.get()), sqlite3_errstr(rc), rc));
}

void SqliteConnection::check(int rc, std::string_view operation) const {
  if (rc != SQLITE_OK) throw error(operation, rc);
}

}  // namespace ptwin::store::detail
