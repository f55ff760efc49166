// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/detail/sqlite_statement.hpp"

#include <utility>

#include <fmt/format.h>
#include <sqlite3.h>

#include "ptwin/store/detail/sqlite_connection.hpp"

namespace ptwin::store::detail {

void SqliteStatement::Finalizer::operator()(sqlite3_stmt* statement) const noexcept {
  sqlite3_finalize(statement);
}

SqliteStatement::SqliteStatement(SqliteConnection& connection, std::string_view sql,
                                 std::string name)
    : connection_(connection), name_(std::move(name)) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(connection_.handle(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  statement_.reset(raw);
  connection_.check(rc, fmt::format("prepare '{}'", name_));
}

void SqliteStatement::check_bind(int rc, int index) {
  if (rc != SQLITE_OK) {
    throw connection_.error(fmt::format("{}: bind parameter {}", name_, index), rc);
  }
}

void SqliteStatement::bind_int64(int index, std::int64_t value) {
  check_bind(sqlite3_bind_int64(statement_.get(), index, value), index);
}

void SqliteStatement::bind_double(int index, double value) {
  check_bind(sqlite3_bind_double(statement_.get(), index, value), index);
}

void SqliteStatement::bind_text(int index, std::string_view value) {
  // A zero-length text with a null pointer would bind NULL; a non-null pointer keeps it ''.
  const char* data = value.data() != nullptr ? value.data() : "";
  check_bind(sqlite3_bind_text64(statement_.get(), index, data, value.size(), SQLITE_TRANSIENT,
                                 SQLITE_UTF8),
             index);
}

void SqliteStatement::bind_optional_text(int index, const std::optional<std::string>& value) {
  if (value) {
    bind_text(index, *value);
  } else {
    check_bind(sqlite3_bind_null(statement_.get(), index), index);
  }
}

void SqliteStatement::bind_optional_int64(int index, std::optional<std::int64_t> value) {
  if (value) {
    bind_int64(index, *value);
  } else {
    check_bind(sqlite3_bind_null(statement_.get(), index), index);
  }
}

void SqliteStatement::bind_blob(int index, std::span<const std::byte> value) {
  if (value.empty()) {
    check_bind(sqlite3_bind_zeroblob(statement_.get(), index, 0), index);
  } else {
    check_bind(
        sqlite3_bind_blob64(statement_.get(), index, value.data(), value.size(), SQLITE_TRANSIENT),
        index);
  }
}

bool SqliteStatement::step() {
  const int rc = sqlite3_step(statement_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw connection_.error(name_, rc);
}

void SqliteStatement::run() {
  if (step()) {
    throw Error(ErrorCode::Internal,
                fmt::format("sqlite store '{}': {}: returned a row where none was expected",
                            connection_.path(), name_));
  }
}

bool SqliteStatement::column_is_null(int index) const {
  return sqlite3_column_type(statement_.get(), index) == SQLITE_NULL;
}

std::int64_t SqliteStatement::column_int64(int index) const {
  return sqlite3_column_int64(statement_.get(), index);
}

double SqliteStatement::column_double(int index) const {
  return sqlite3_column_double(statement_.get(), index);
}

std::string SqliteStatement::column_text(int index) const {
  // Text first, then bytes: the order SQLite documents for a stable length.
  const unsigned char* text = sqlite3_column_text(statement_.get(), index);
  const int size = sqlite3_column_bytes(statement_.get(), index);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text), static_cast<std::size_t>(size)};
}

std::optional<std::string> SqliteStatement::column_optional_text(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_text(index);
}

std::optional<std::int64_t> SqliteStatement::column_optional_int64(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_int64(index);
}

std::span<const std::byte> SqliteStatement::column_blob(int index) const {
  const void* data = sqlite3_column_blob(statement_.get(), index);
  const int size = sqlite3_column_bytes(statement_.get(), index);
  if (data == nullptr || size == 0) return {};
  return {static_cast<const std::byte*>(data), static_cast<std::size_t>(size)};
}

void SqliteStatement::reset() noexcept {
  // sqlite3_reset repeats the last step's error code; that error was already reported by
  // step(), so it is deliberately not checked here.
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
}

}  // namespace ptwin::store::detail
