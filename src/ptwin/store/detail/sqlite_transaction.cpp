// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/detail/sqlite_transaction.hpp"

#include <sqlite3.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/store/detail/sqlite_connection.hpp"

namespace ptwin::store::detail {

SqliteTransactionStatements::SqliteTransactionStatements(SqliteConnection& connection)
    : begin(connection, "BEGIN IMMEDIATE", "begin transaction"),
      commit(connection, "COMMIT", "commit transaction"),
      rollback(connection, "ROLLBACK", "roll back transaction") {}

SqliteTransaction::SqliteTransaction(SqliteConnection& connection,
                                     SqliteTransactionStatements& statements)
    : connection_(connection), statements_(statements) {
  const StatementReset reset(statements_.begin);
  statements_.begin.run();
}

void SqliteTransaction::commit() {
  const StatementReset reset(statements_.commit);
  statements_.commit.run();
  is_committed_ = true;
}

SqliteTransaction::~SqliteTransaction() {
  // SQLite rolls back by itself after some errors (SQLITE_FULL, SQLITE_IOERR, ...); then
  // the connection is back in autocommit mode and there is nothing left to roll back.
  if (is_committed_ || sqlite3_get_autocommit(connection_.handle()) != 0) return;
  try {
    const StatementReset reset(statements_.rollback);
    statements_.rollback.run();
  } catch (const Error& error) {
    logging::zone_logger("store")->error("rollback failed: {}", error.what());
  }
}

}  // namespace ptwin::store::detail
