// SPDX-License-Identifier: Apache-2.0
#pragma once
// Scoped write transaction: BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless
// commit() returned. IMMEDIATE takes the write lock up front, so two writers queue on
// busy_timeout at BEGIN instead of failing with SQLITE_BUSY when a read upgrades to a write.

#include "ptwin/store/detail/sqlite_statement.hpp"

namespace ptwin::store::detail {

class SqliteConnection;

/// The three statements every transaction uses, prepared once per connection.
struct SqliteTransactionStatements {
  explicit SqliteTransactionStatements(SqliteConnection& connection);
  SqliteStatement begin;
  SqliteStatement commit;
  SqliteStatement rollback;
};

class SqliteTransaction {
 public:
  /// Throws Error(StoreFailure) when the write lock is not granted within busy_timeout.
  SqliteTransaction(SqliteConnection& connection, SqliteTransactionStatements& statements);
  /// Rolls back unless committed. A failing ROLLBACK is logged (ptwin.store, error): a
  /// destructor cannot throw, and SQLite rolls back on close in any case.
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  SqliteTransaction(SqliteTransaction&&) = delete;
  SqliteTransaction& operator=(SqliteTransaction&&) = delete;

  /// Commits; the transaction is durable (to the configured synchronous level) on return.
  void commit();

 private:
  SqliteConnection& connection_;
  SqliteTransactionStatements& statements_;
  bool is_committed_ = false;
};

}  // namespace ptwin::store::detail
