// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/detail/sqlite_session.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>
#include <sqlite3.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"

namespace ptwin::store::fhir::detail {
namespace {

using store::detail::SqliteStatement;
using store::detail::StatementReset;

// Search SQL varies with the shape of a query, not with its values, so few texts recur; the
// cap only stops a pathological caller from growing the cache without bound.
constexpr std::size_t kMaxCachedStatements = 512;

std::string read_pragma(store::detail::SqliteConnection& connection, std::string_view pragma) {
  SqliteStatement statement(connection, fmt::format("PRAGMA {}", pragma),
                            fmt::format("PRAGMA {}", pragma));
  const StatementReset reset(statement);
  return statement.step() ? statement.column_text(0) : std::string();
}

// The same settings as SqliteStore (docs/store.md#durability): WAL, synchronous FULL by
// default, foreign keys, busy timeout.
void configure(store::detail::SqliteConnection& connection, const SqliteOptions& options) {
  const auto timeout_ms = std::clamp<std::chrono::milliseconds::rep>(
      options.busy_timeout.count(), 0, std::numeric_limits<int>::max());
  connection.check(sqlite3_busy_timeout(connection.handle(), static_cast<int>(timeout_ms)),
                   "set busy_timeout");
  const std::string mode = read_pragma(connection, "journal_mode = WAL");
  if (mode != "wal" && !(connection.path() == ":memory:" && mode == "memory")) {
    throw Error(ErrorCode::StoreFailure,
                fmt::format("sqlite fhir store '{}': set journal_mode=WAL: the database stayed "
                            "in mode '{}'",
                            connection.path(), mode));
  }
  connection.exec(options.synchronous == SqliteSynchronous::Full ? "PRAGMA synchronous = FULL"
                                                                 : "PRAGMA synchronous = NORMAL",
                  "set synchronous");
  if (options.cache_kib < 1) {
    throw InputError(ErrorCode::BadInput, "sqlite options: cache_kib",
                     std::to_string(options.cache_kib), "must be >= 1 (KiB of page cache)");
  }
  // A negative cache_size is in KiB, a positive one in pages.
  connection.exec(fmt::format("PRAGMA cache_size = -{}", options.cache_kib), "set cache_size");
  // A checkpoint copies the WAL's pages into the database file (and syncs it); at SQLite's
  // default of 1000 pages a bulk import's every batch commit triggered one. 16384 pages
  // (64 MiB at 4 KiB) lets pages written by several batches be copied once. Durability is
  // the WAL's: a commit is synced there whatever this value (docs/bulk_data.md#import).
  connection.exec("PRAGMA wal_autocheckpoint = 16384", "set wal_autocheckpoint");
  connection.exec("PRAGMA foreign_keys = ON", "enable foreign keys");
}

}  // namespace

SqliteSession::SqliteSession(const std::filesystem::path& path, const SqliteOptions& options)
    : connection_(path.string()),
      description_(fmt::format("sqlite fhir store '{}'", path.string())) {
  configure(connection_, options);
}

SqliteSession::~SqliteSession() = default;

std::string SqliteSession::journal_mode() { return read_pragma(connection_, "journal_mode"); }

SqliteStatement& SqliteSession::prepared(std::string_view sql, std::string_view operation) {
  if (const auto found = statements_.find(sql); found != statements_.end()) {
    return *found->second;
  }
  if (statements_.size() >= kMaxCachedStatements) statements_.clear();
  auto statement = std::make_unique<SqliteStatement>(connection_, sql, std::string(operation));
  return *statements_.emplace(std::string(sql), std::move(statement)).first->second;
}

void SqliteSession::bind_all(SqliteStatement& statement, std::span<const SqlValue> params) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int index = static_cast<int>(i) + 1;
    const SqlValue& value = params[i];
    if (const auto* integer = std::get_if<std::int64_t>(&value)) {
      statement.bind_int64(index, *integer);
    } else if (const auto* real = std::get_if<double>(&value)) {
      statement.bind_double(index, *real);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      statement.bind_text(index, *text);
    } else {
      statement.bind_optional_text(index, std::nullopt);
    }
  }
}

std::vector<SqlRow> SqliteSession::query(std::string_view sql, std::span<const SqlValue> params,
                                         std::span<const SqlType> columns,
                                         std::string_view operation) {
  SqliteStatement& statement = prepared(sql, operation);
  const StatementReset reset(statement);
  bind_all(statement, params);
  std::vector<SqlRow> rows;
  while (statement.step()) {
    SqlRow& row = rows.emplace_back();
    row.reserve(columns.size());
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const int index = static_cast<int>(c);
      if (statement.column_is_null(index)) {
        row.emplace_back(std::monostate{});
      } else if (columns[c] == SqlType::Int64) {
        row.emplace_back(statement.column_int64(index));
      } else if (columns[c] == SqlType::Double) {
        row.emplace_back(statement.column_double(index));
      } else {
        row.emplace_back(statement.column_text(index));
      }
    }
  }
  return rows;
}

void SqliteSession::execute(std::string_view sql, std::span<const SqlValue> params,
                            std::string_view operation) {
  SqliteStatement& statement = prepared(sql, operation);
  const StatementReset reset(statement);
  bind_all(statement, params);
  while (statement.step()) {
  }
}

void SqliteSession::execute_script(std::string_view sql, std::string_view operation) {
  connection_.exec(sql, operation);
}

void SqliteSession::begin(TransactionMode mode) {
  // IMMEDIATE takes the write lock up front: writers queue on busy_timeout here instead of
  // failing when a read later upgrades to a write.
  execute(mode == TransactionMode::ReadWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED", {},
          "begin transaction");
}

void SqliteSession::commit() { execute("COMMIT", {}, "commit transaction"); }

void SqliteSession::rollback() noexcept {
  // SQLite rolls back by itself after some errors; then there is nothing left to undo.
  if (sqlite3_get_autocommit(connection_.handle()) != 0) return;
  try {
    execute("ROLLBACK", {}, "roll back transaction");
  } catch (const Error& error) {
    logging::zone_logger("store")->error("fhir store rollback failed: {}", error.what());
  }
}

}  // namespace ptwin::store::fhir::detail
