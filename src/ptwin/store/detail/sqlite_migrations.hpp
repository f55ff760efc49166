// SPDX-License-Identifier: Apache-2.0
#pragma once
// The SQLite schema as an ordered list of migrations, and the code that brings a database up
// to date. How to add a migration: docs/store.md#migrations.

#include <span>
#include <string_view>

namespace ptwin::store::detail {

class SqliteConnection;

/// One schema step. `version` numbers start at 1 and increase by 1; a step is never edited
/// once released (databases in the field have already applied it): add a new one instead.
struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;  // one or more statements, run inside the step's transaction
};

/// Every migration this build knows, in order.
[[nodiscard]] std::span<const Migration> sqlite_migrations();

struct MigrationOutcome {
  int version_before;  // 0 for a new, empty database
  int version_after;
};

/// Applies, in order, each migration newer than the database's version, each in its own
/// transaction together with its row in schema_migrations; a failing step leaves the database
/// at the previous version. Safe when several processes open the same file at once (each
/// step re-reads the version under the write lock). Throws Error(StoreFailure) when the
/// database's version is newer than the last of `migrations`, or when a step fails.
MigrationOutcome migrate(SqliteConnection& connection, std::span<const Migration> migrations);

}  // namespace ptwin::store::detail
