// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/detail/fhir_schema.hpp"

#include <array>

#include <fmt/format.h>

#include "ptwin/core/assert.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/store/fhir/detail/sql_session.hpp"

namespace ptwin::store::fhir::detail {
namespace {

// One row per resource: its current version. The JSON of every version, the current one
// included, lives in fhir_resource_versions. Index rows belong to the current version only.
// Text columns hold UTF-8 compared bytewise (SQLite's BINARY collation, PostgreSQL "C"), so
// that both backends order and match strings the same way. Times are int64 ns since the
// epoch, UTC; booleans are 0/1 integers; ids of rows are internal (the FHIR id is `id`).
constexpr std::string_view kSqliteV1 = R"sql(
CREATE TABLE fhir_resources (
  pk              INTEGER PRIMARY KEY,
  resource_type   TEXT    NOT NULL,
  id              TEXT    NOT NULL,
  version_id      INTEGER NOT NULL CHECK (version_id >= 1),
  last_updated_ns INTEGER NOT NULL,
  is_deleted      INTEGER NOT NULL CHECK (is_deleted IN (0, 1)),
  UNIQUE (resource_type, id)
);
CREATE TABLE fhir_resource_versions (
  pk              INTEGER PRIMARY KEY,
  resource_pk     INTEGER NOT NULL REFERENCES fhir_resources (pk),
  resource_type   TEXT    NOT NULL,
  id              TEXT    NOT NULL,
  version_id      INTEGER NOT NULL,
  last_updated_ns INTEGER NOT NULL,
  operation       TEXT    NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
  json            TEXT,
  CHECK ((operation = 'delete') = (json IS NULL)),
  UNIQUE (resource_pk, version_id)
);
CREATE INDEX fhir_versions_by_time ON fhir_resource_versions (last_updated_ns);
CREATE INDEX fhir_versions_by_type_time ON fhir_resource_versions (resource_type, last_updated_ns);
CREATE INDEX fhir_versions_by_instance ON fhir_resource_versions (resource_type, id, version_id);
CREATE TABLE fhir_string_index (
  resource_pk      INTEGER NOT NULL REFERENCES fhir_resources (pk),
  resource_type    TEXT    NOT NULL,
  param            TEXT    NOT NULL,
  value_normalized TEXT    NOT NULL,
  value_exact      TEXT    NOT NULL
);
CREATE INDEX fhir_string_by_value ON fhir_string_index (resource_type, param, value_normalized);
CREATE INDEX fhir_string_by_resource ON fhir_string_index (resource_pk, param);
CREATE TABLE fhir_token_index (
  resource_pk     INTEGER NOT NULL REFERENCES fhir_resources (pk),
  resource_type   TEXT    NOT NULL,
  param           TEXT    NOT NULL,
  system          TEXT,
  code            TEXT,
  text_normalized TEXT
);
CREATE INDEX fhir_token_by_code ON fhir_token_index (resource_type, param, code, system);
CREATE INDEX fhir_token_by_resource ON fhir_token_index (resource_pk, param);
CREATE TABLE fhir_date_index (
  resource_pk   INTEGER NOT NULL REFERENCES fhir_resources (pk),
  resource_type TEXT    NOT NULL,
  param         TEXT    NOT NULL,
  low_ns        INTEGER NOT NULL,
  high_ns       INTEGER NOT NULL,
  CHECK (low_ns <= high_ns)
);
CREATE INDEX fhir_date_by_low ON fhir_date_index (resource_type, param, low_ns);
CREATE INDEX fhir_date_by_high ON fhir_date_index (resource_type, param, high_ns);
CREATE INDEX fhir_date_by_resource ON fhir_date_index (resource_pk, param);
CREATE TABLE fhir_number_index (
  resource_pk   INTEGER NOT NULL REFERENCES fhir_resources (pk),
  resource_type TEXT    NOT NULL,
  param         TEXT    NOT NULL,
  value         REAL    NOT NULL,
  low           REAL    NOT NULL,
  high          REAL    NOT NULL
);
CREATE INDEX fhir_number_by_low ON fhir_number_index (resource_type, param, low);
CREATE INDEX fhir_number_by_resource ON fhir_number_index (resource_pk, param);
CREATE TABLE fhir_quantity_index (
  resource_pk   INTEGER NOT NULL REFERENCES fhir_resources (pk),
  resource_type TEXT    NOT NULL,
  param         TEXT    NOT NULL,
  value         REAL    NOT NULL,
  low           REAL    NOT NULL,
  high          REAL    NOT NULL,
  system        TEXT,
  code          TEXT,
  unit          TEXT
);
CREATE INDEX fhir_quantity_by_low ON fhir_quantity_index (resource_type, param, low);
CREATE INDEX fhir_quantity_by_resource ON fhir_quantity_index (resource_pk, param);
CREATE TABLE fhir_reference_index (
  resource_pk    INTEGER NOT NULL REFERENCES fhir_resources (pk),
  resource_type  TEXT    NOT NULL,
  param          TEXT    NOT NULL,
  target_type    TEXT,
  target_id      TEXT,
  target_version TEXT,
  url            TEXT,
  CHECK ((target_id IS NULL) = (url IS NOT NULL))
);
CREATE INDEX fhir_reference_by_target ON fhir_reference_index (target_id, target_type, param);
CREATE INDEX fhir_reference_by_url ON fhir_reference_index (url);
CREATE INDEX fhir_reference_by_resource ON fhir_reference_index (resource_pk, param);
CREATE TABLE fhir_uri_index (
  resource_pk   INTEGER NOT NULL REFERENCES fhir_resources (pk),
  resource_type TEXT    NOT NULL,
  param         TEXT    NOT NULL,
  uri           TEXT    NOT NULL
);
CREATE INDEX fhir_uri_by_value ON fhir_uri_index (resource_type, param, uri);
CREATE INDEX fhir_uri_by_resource ON fhir_uri_index (resource_pk, param);
)sql";

// The same schema in PostgreSQL's types: BIGINT identities, DOUBLE PRECISION, TEXT COLLATE
// "C" (bytewise, whatever the database's locale).
constexpr std::string_view kPostgresV1 = R"sql(
CREATE TABLE fhir_resources (
  pk              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  resource_type   TEXT COLLATE "C" NOT NULL,
  id              TEXT COLLATE "C" NOT NULL,
  version_id      BIGINT  NOT NULL CHECK (version_id >= 1),
  last_updated_ns BIGINT  NOT NULL,
  is_deleted      INTEGER NOT NULL CHECK (is_deleted IN (0, 1)),
  UNIQUE (resource_type, id)
);
CREATE TABLE fhir_resource_versions (
  pk              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  resource_pk     BIGINT  NOT NULL REFERENCES fhir_resources (pk),
  resource_type   TEXT COLLATE "C" NOT NULL,
  id              TEXT COLLATE "C" NOT NULL,
  version_id      BIGINT  NOT NULL,
  last_updated_ns BIGINT  NOT NULL,
  operation       TEXT COLLATE "C" NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
  json            TEXT,
  CHECK ((operation = 'delete') = (json IS NULL)),
  UNIQUE (resource_pk, version_id)
);
CREATE INDEX fhir_versions_by_time ON fhir_resource_versions (last_updated_ns);
CREATE INDEX fhir_versions_by_type_time ON fhir_resource_versions (resource_type, last_updated_ns);
CREATE INDEX fhir_versions_by_instance ON fhir_resource_versions (resource_type, id, version_id);
CREATE TABLE fhir_string_index (
  resource_pk      BIGINT NOT NULL REFERENCES fhir_resources (pk),
  resource_type    TEXT COLLATE "C" NOT NULL,
  param            TEXT COLLATE "C" NOT NULL,
  value_normalized TEXT COLLATE "C" NOT NULL,
  value_exact      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX fhir_string_by_value ON fhir_string_index (resource_type, param, value_normalized);
CREATE INDEX fhir_string_by_resource ON fhir_string_index (resource_pk, param);
CREATE TABLE fhir_token_index (
  resource_pk     BIGINT NOT NULL REFERENCES fhir_resources (pk),
  resource_type   TEXT COLLATE "C" NOT NULL,
  param           TEXT COLLATE "C" NOT NULL,
  system          TEXT COLLATE "C",
  code            TEXT COLLATE "C",
  text_normalized TEXT COLLATE "C"
);
CREATE INDEX fhir_token_by_code ON fhir_token_index (resource_type, param, code, system);
CREATE INDEX fhir_token_by_resource ON fhir_token_index (resource_pk, param);
CREATE TABLE fhir_date_index (
  resource_pk   BIGINT NOT NULL REFERENCES fhir_resources (pk),
  resource_type TEXT COLLATE "C" NOT NULL,
  param         TEXT COLLATE "C" NOT NULL,
  low_ns        BIGINT NOT NULL,
  high_ns       BIGINT NOT NULL,
  CHECK (low_ns <= high_ns)
);
CREATE INDEX fhir_date_by_low ON fhir_date_index (resource_type, param, low_ns);
CREATE INDEX fhir_date_by_high ON fhir_date_index (resource_type, param, high_ns);
CREATE INDEX fhir_date_by_resource ON fhir_date_index (resource_pk, param);
CREATE TABLE fhir_number_index (
  resource_pk   BIGINT NOT NULL REFERENCES fhir_resources (pk),
  resource_type TEXT COLLATE "C" NOT NULL,
  param         TEXT COLLATE "C" NOT NULL,
  value         DOUBLE PRECISION NOT NULL,
  low           DOUBLE PRECISION NOT NULL,
  high          DOUBLE PRECISION NOT NULL
);
CREATE INDEX fhir_number_by_low ON fhir_number_index (resource_type, param, low);
CREATE INDEX fhir_number_by_resource ON fhir_number_index (resource_pk, param);
CREATE TABLE fhir_quantity_index (
  resource_pk   BIGINT NOT NULL REFERENCES fhir_resources (pk),
  resource_type TEXT COLLATE "C" NOT NULL,
  param         TEXT COLLATE "C" NOT NULL,
  value         DOUBLE PRECISION NOT NULL,
  low           DOUBLE PRECISION NOT NULL,
  high          DOUBLE PRECISION NOT NULL,
  system        TEXT COLLATE "C",
  code          TEXT COLLATE "C",
  unit          TEXT COLLATE "C"
);
CREATE INDEX fhir_quantity_by_low ON fhir_quantity_index (resource_type, param, low);
CREATE INDEX fhir_quantity_by_resource ON fhir_quantity_index (resource_pk, param);
CREATE TABLE fhir_reference_index (
  resource_pk    BIGINT NOT NULL REFERENCES fhir_resources (pk),
  resource_type  TEXT COLLATE "C" NOT NULL,
  param          TEXT COLLATE "C" NOT NULL,
  target_type    TEXT COLLATE "C",
  target_id      TEXT COLLATE "C",
  target_version TEXT COLLATE "C",
  url            TEXT COLLATE "C",
  CHECK ((target_id IS NULL) = (url IS NOT NULL))
);
CREATE INDEX fhir_reference_by_target ON fhir_reference_index (target_id, target_type, param);
CREATE INDEX fhir_reference_by_url ON fhir_reference_index (url);
CREATE INDEX fhir_reference_by_resource ON fhir_reference_index (resource_pk, param);
CREATE TABLE fhir_uri_index (
  resource_pk   BIGINT NOT NULL REFERENCES fhir_resources (pk),
  resource_type TEXT COLLATE "C" NOT NULL,
  param         TEXT COLLATE "C" NOT NULL,
  uri           TEXT COLLATE "C" NOT NULL
);
CREATE INDEX fhir_uri_by_value ON fhir_uri_index (resource_type, param, uri);
CREATE INDEX fhir_uri_by_resource ON fhir_uri_index (resource_pk, param);
)sql";

// Bulk Data $export jobs (server/fhir/bulk): one row per job, so that a job survives a
// restart. The store keeps the request and progress as opaque JSON written by the exporter.
constexpr std::string_view kSqliteV2 = R"sql(
CREATE TABLE fhir_export_jobs (
  id                  TEXT    NOT NULL PRIMARY KEY,
  state               TEXT    NOT NULL,
  request_json        TEXT    NOT NULL,
  progress_json       TEXT    NOT NULL,
  transaction_time_ns INTEGER NOT NULL,
  updated_ns          INTEGER NOT NULL
);
)sql";
constexpr std::string_view kPostgresV2 = R"sql(
CREATE TABLE fhir_export_jobs (
  id                  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  state               TEXT COLLATE "C" NOT NULL,
  request_json        TEXT    NOT NULL,
  progress_json       TEXT    NOT NULL,
  transaction_time_ns BIGINT  NOT NULL,
  updated_ns          BIGINT  NOT NULL
);
)sql";

// Step 3: the subscription event outbox (subscription_outbox.hpp). The counter row per
// subscription hands out event numbers; events reference the focus version and are kept until
// purged (step 4: purge_subscription_events), so that $events can answer for any number still held.
constexpr std::string_view kSqliteV3 = R"sql(
CREATE TABLE fhir_subscription_counters (
  subscription_id   TEXT    NOT NULL PRIMARY KEY,
  last_event_number INTEGER NOT NULL CHECK (last_event_number >= 0),
  delivered_through INTEGER NOT NULL CHECK (delivered_through >= 0),
  CHECK (delivered_through <= last_event_number)
);
CREATE TABLE fhir_subscription_events (
  subscription_id  TEXT    NOT NULL,
  event_number     INTEGER NOT NULL CHECK (event_number >= 1),
  topic_url        TEXT    NOT NULL,
  interaction      TEXT    NOT NULL CHECK (interaction IN ('create', 'update', 'delete')),
  focus_type       TEXT    NOT NULL,
  focus_id         TEXT    NOT NULL,
  focus_version_id INTEGER NOT NULL,
  recorded_ns      INTEGER NOT NULL,
  PRIMARY KEY (subscription_id, event_number)
);
)sql";

constexpr std::string_view kPostgresV3 = R"sql(
CREATE TABLE fhir_subscription_counters (
  subscription_id   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  last_event_number BIGINT NOT NULL CHECK (last_event_number >= 0),
  delivered_through BIGINT NOT NULL CHECK (delivered_through >= 0),
  CHECK (delivered_through <= last_event_number)
);
CREATE TABLE fhir_subscription_events (
  subscription_id  TEXT COLLATE "C" NOT NULL,
  event_number     BIGINT NOT NULL CHECK (event_number >= 1),
  topic_url        TEXT COLLATE "C" NOT NULL,
  interaction      TEXT COLLATE "C" NOT NULL CHECK (interaction IN ('create', 'update', 'delete')),
  focus_type       TEXT COLLATE "C" NOT NULL,
  focus_id         TEXT COLLATE "C" NOT NULL,
  focus_version_id BIGINT NOT NULL,
  recorded_ns      BIGINT NOT NULL,
  PRIMARY KEY (subscription_id, event_number)
);
)sql";

// Step 4: outbox retention and delivery leases. purged_through is the highest event number
// whose row the retention purge removed (0: none), so that $events can tell a purged number
// from one never assigned. A lease row names the process that may deliver (owner) until
// expires_ns; a second process takes it over only once it has expired.
constexpr std::string_view kSqliteV4 = R"sql(
ALTER TABLE fhir_subscription_counters ADD COLUMN purged_through INTEGER NOT NULL DEFAULT 0;
CREATE INDEX fhir_subscription_events_by_time ON fhir_subscription_events (recorded_ns);
CREATE TABLE fhir_leases (
  name       TEXT    NOT NULL PRIMARY KEY,
  owner      TEXT    NOT NULL,
  expires_ns INTEGER NOT NULL
);
)sql";

constexpr std::string_view kPostgresV4 = R"sql(
ALTER TABLE fhir_subscription_counters ADD COLUMN purged_through BIGINT NOT NULL DEFAULT 0;
CREATE INDEX fhir_subscription_events_by_time ON fhir_subscription_events (recorded_ns);
CREATE TABLE fhir_leases (
  name       TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  owner      TEXT COLLATE "C" NOT NULL,
  expires_ns BIGINT NOT NULL
);
)sql";

constexpr std::string_view kStepOneDescription =
    "resources, versions, string/token/date/number/quantity/reference/uri indexes";
constexpr std::string_view kStepTwoDescription = "bulk data export jobs";
constexpr std::string_view kStepThreeDescription = "subscription event outbox and counters";
constexpr std::string_view kStepFourDescription = "outbox retention mark and delivery leases";
constexpr std::array kSqliteSteps{SchemaStep{1, kStepOneDescription, kSqliteV1},
                                  SchemaStep{2, kStepTwoDescription, kSqliteV2},
                                  SchemaStep{3, kStepThreeDescription, kSqliteV3},
                                  SchemaStep{4, kStepFourDescription, kSqliteV4}};
constexpr std::array kPostgresSteps{SchemaStep{1, kStepOneDescription, kPostgresV1},
                                    SchemaStep{2, kStepTwoDescription, kPostgresV2},
                                    SchemaStep{3, kStepThreeDescription, kPostgresV3},
                                    SchemaStep{4, kStepFourDescription, kPostgresV4}};

constexpr std::string_view kCreateVersionTable = R"sql(
CREATE TABLE IF NOT EXISTS fhir_schema_migrations (
  version     INTEGER NOT NULL PRIMARY KEY,
  description TEXT    NOT NULL
))sql";

int read_version(SqlSession& session, int newest_known) {
  constexpr std::array kColumns{SqlType::Int64};
  const auto rows = session.query("SELECT coalesce(max(version), 0) FROM fhir_schema_migrations",
                                  {}, kColumns, "read fhir schema version");
  const int version = rows.empty() ? 0 : static_cast<int>(as_int64(rows.front().front()));
  if (version > newest_known) {
    throw Error(ErrorCode::StoreFailure,
                fmt::format("{}: schema version {} is newer than the newest this build knows "
                            "({}); open it with the ptwin build that wrote it or a later one",
                            session.description(), version, newest_known));
  }
  return version;
}

// Runs `body` in a write transaction, rolling back if it throws.
template <typename Body>
void in_write_transaction(SqlSession& session, Body&& body) {
  session.begin(TransactionMode::ReadWrite);
  try {
    body();
    session.commit();
  } catch (...) {
    session.rollback();
    throw;
  }
}

}  // namespace

std::span<const SchemaStep> sqlite_fhir_schema() { return kSqliteSteps; }
std::span<const SchemaStep> postgres_fhir_schema() { return kPostgresSteps; }

SchemaOutcome migrate_fhir_schema(SqlSession& session, std::span<const SchemaStep> steps) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    PTWIN_ASSERT(steps[i].version == static_cast<int>(i) + 1,
                 "fhir schema versions must be 1, 2, 3, ... in order");
  }
  const int newest_known = steps.empty() ? 0 : steps.back().version;
  SchemaOutcome outcome;
  in_write_transaction(session, [&] {
    session.execute_script(kCreateVersionTable, "create fhir_schema_migrations");
    outcome.version_before = read_version(session, newest_known);
  });
  int version = outcome.version_before;
  for (const SchemaStep& step : steps) {
    if (step.version <= version) continue;
    in_write_transaction(session, [&] {
      if (read_version(session, newest_known) >= step.version) return;  // done meanwhile
      session.execute_script(
          step.sql, fmt::format("fhir schema step {} ({})", step.version, step.description));
      const std::array<SqlValue, 2> params{std::int64_t{step.version},
                                           std::string(step.description)};
      session.execute("INSERT INTO fhir_schema_migrations (version, description) VALUES (?, ?)",
                      params, "record fhir schema step");
    });
    version = step.version;
  }
  outcome.version_after = version;
  return outcome;
}

}  // namespace ptwin::store::fhir::detail
