// SPDX-License-Identifier: Apache-2.0
#pragma once
// The FHIR store's schema as ordered, versioned steps, one list per backend with the same
// version numbers, and the runner that applies them. The store's tables carry the prefix
// `fhir_` and their own version table, fhir_schema_migrations, so that a SQLite file can hold
// both this store and SqliteStore (whose versions live in schema_migrations).

#include <span>
#include <string_view>

namespace ptwin::store::fhir::detail {

class SqlSession;

/// One schema step; never edited once released: add a step instead (docs/store.md).
struct SchemaStep {
  int version;
  std::string_view description;
  std::string_view sql;  // several statements, run in the step's transaction
};

[[nodiscard]] std::span<const SchemaStep> sqlite_fhir_schema();
[[nodiscard]] std::span<const SchemaStep> postgres_fhir_schema();

struct SchemaOutcome {
  int version_before = 0;  // 0 for a database without the FHIR store
  int version_after = 0;
};

/// Applies each step newer than the database's version in its own write transaction with its
/// row in fhir_schema_migrations (re-reading the version under the writer lock, so that two
/// processes opening one database apply each step once). A failing step leaves the previous
/// version. Throws Error(StoreFailure) when the database is newer than the last step known.
SchemaOutcome migrate_fhir_schema(SqlSession& session, std::span<const SchemaStep> steps);

}  // namespace ptwin::store::fhir::detail
