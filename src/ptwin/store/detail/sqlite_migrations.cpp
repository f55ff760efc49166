// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/detail/sqlite_migrations.hpp"

#include <array>
#include <string>

#include <fmt/format.h>

#include "ptwin/core/assert.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/store/detail/sqlite_connection.hpp"
#include "ptwin/store/detail/sqlite_statement.hpp"
#include "ptwin/store/detail/sqlite_transaction.hpp"

namespace ptwin::store::detail {
namespace {

// Portability: apart from INTEGER PRIMARY KEY [AUTOINCREMENT] (PostgreSQL: BIGINT GENERATED
// ALWAYS AS IDENTITY), REAL (DOUBLE PRECISION), BLOB (BYTEA) and length() on blobs
// (octet_length), this is SQL that PostgreSQL accepts as written. Times are integer
// nanoseconds since the Unix epoch, UTC, so that they round-trip exactly in both backends.
// AUTOINCREMENT on runs and quarantine: their ids are handed out and must never be reused,
// even after the newest row is deleted. Samples are never referenced by id, so they skip it.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE patients (
  id            TEXT    NOT NULL PRIMARY KEY CHECK (length(id) > 0),
  fhir_json     TEXT    NOT NULL,
  updated_at_ns INTEGER NOT NULL
);

CREATE TABLE samples (
  id             INTEGER PRIMARY KEY,
  patient_id     TEXT    NOT NULL CHECK (length(patient_id) > 0),
  code           TEXT    NOT NULL CHECK (length(code) > 0),
  -- NaN is bound as NULL by SQLite and fails NOT NULL; +-Inf fails the range check.
  value_si       REAL    NOT NULL CHECK (abs(value_si) <= 1.7976931348623157e308),
  unit_of_origin TEXT    NOT NULL,
  time_ns        INTEGER NOT NULL,
  source_id      TEXT    NOT NULL,
  quality        TEXT    NOT NULL CHECK (quality IN ('good', 'questionable', 'artefact'))
);
CREATE INDEX samples_by_patient_code_time ON samples (patient_id, code, time_ns);

CREATE TABLE simulation_runs (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  patient_id      TEXT    NOT NULL CHECK (length(patient_id) > 0),
  twin_id         TEXT    NOT NULL CHECK (length(twin_id) > 0),
  model_name      TEXT    NOT NULL CHECK (length(model_name) > 0),
  model_digest    TEXT    NOT NULL CHECK (length(model_digest) >= 40),
  parameters_json TEXT    NOT NULL,
  started_at_ns   INTEGER NOT NULL,
  status          TEXT    NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  summary_json    TEXT,
  message         TEXT,
  finished_at_ns  INTEGER,
  CHECK ((status = 'running') = (finished_at_ns IS NULL)),
  CHECK ((status = 'completed') = (summary_json IS NOT NULL)),
  CHECK ((status = 'failed') = (message IS NOT NULL))
);
CREATE INDEX simulation_runs_by_patient ON simulation_runs (patient_id, started_at_ns);

CREATE TABLE result_series (
  id            INTEGER PRIMARY KEY,
  run_id        INTEGER NOT NULL REFERENCES simulation_runs (id) ON DELETE CASCADE,
  variable      TEXT    NOT NULL CHECK (length(variable) > 0),
  unit          TEXT    NOT NULL CHECK (length(unit) > 0),
  point_count   INTEGER NOT NULL CHECK (point_count > 0),
  times_s_f64le BLOB    NOT NULL CHECK (length(times_s_f64le) = 8 * point_count),
  values_f64le  BLOB    NOT NULL CHECK (length(values_f64le) = 8 * point_count),
  UNIQUE (run_id, variable)
);

CREATE TABLE quarantine (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  source         TEXT    NOT NULL CHECK (length(source) > 0),
  reason         TEXT    NOT NULL CHECK (length(reason) > 0),
  raw_bytes      BLOB    NOT NULL,
  received_at_ns INTEGER NOT NULL
);
CREATE INDEX quarantine_by_source ON quarantine (source);
)sql";

// Where each feed got to in its source (store/feed_cursors.hpp).
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE feed_cursors (
  feed          TEXT    NOT NULL PRIMARY KEY CHECK (length(feed) > 0),
  position      INTEGER NOT NULL,
  updated_at_ns INTEGER NOT NULL
);
)sql";

constexpr std::array kMigrations{
    Migration{1, "patients, samples, simulation runs and results, quarantine", kSchemaV1},
    Migration{2, "feed cursors", kSchemaV2},
};

constexpr std::string_view kCreateMigrationsTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version     INTEGER NOT NULL PRIMARY KEY,
  description TEXT    NOT NULL,
  applied_at  TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
))sql";

int current_version(SqliteStatement& select_version) {
  const StatementReset reset(select_version);
  if (!select_version.step()) return 0;
  return static_cast<int>(select_version.column_int64(0));
}

}  // namespace

std::span<const Migration> sqlite_migrations() { return kMigrations; }

MigrationOutcome migrate(SqliteConnection& connection, std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    PTWIN_ASSERT(migrations[i].version == static_cast<int>(i) + 1,
                 "migration versions must be 1, 2, 3, ... in order");
  }
  const int newest_known = migrations.empty() ? 0 : migrations.back().version;

  connection.exec(kCreateMigrationsTable, "create schema_migrations");
  SqliteStatement select_version(
      connection, "SELECT coalesce(max(version), 0) FROM schema_migrations", "read schema version");
  SqliteStatement record_step(connection,
                              "INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
                              "record migration");
  SqliteTransactionStatements transaction_statements(connection);

  const auto read_known_version = [&] {
    const int version = current_version(select_version);
    if (version > newest_known) {
      throw Error(ErrorCode::StoreFailure,
                  fmt::format("sqlite store '{}': schema version {} is newer than the newest "
                              "this build knows ({}); open it with the ptwin build that wrote "
                              "it or a later one",
                              connection.path(), version, newest_known));
    }
    return version;
  };

  const int before = read_known_version();
  int version = before;
  for (const Migration& migration : migrations) {
    if (migration.version <= version) continue;
    SqliteTransaction transaction(connection, transaction_statements);
    version = read_known_version();  // another process may have migrated meanwhile
    if (migration.version <= version) continue;
    connection.exec(migration.sql,
                    fmt::format("migration {} ({})", migration.version, migration.description));
    {
      const StatementReset reset(record_step);
      record_step.bind_int64(1, migration.version);
      record_step.bind_text(2, migration.description);
      record_step.run();
    }
    transaction.commit();
    version = migration.version;
  }
  return MigrationOutcome{.version_before = before, .version_after = version};
}

}  // namespace ptwin::store::detail
