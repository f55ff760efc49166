// SPDX-License-Identifier: Apache-2.0
// Opening the FHIR store: schema steps, refusal of newer schemas, WAL, sharing a SQLite file
// with SqliteStore, and the errors of the PostgreSQL connection.
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "fhir_store_fixture.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::store::fhir {
namespace {

using store::test_support::make_sample;
using store::test_support::RawDatabase;
using store::test_support::TempDir;
using test_support::patient;
using test_support::postgres_url;
using test_support::utc;

/// The message of the Error(StoreFailure) that `open` throws.
template <typename Open>
std::string store_failure_of(Open&& open) {
  try {
    open();
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::StoreFailure) << error.what();
    return error.what();
  }
  ADD_FAILURE() << "expected Error(StoreFailure)";
  return {};
}

TEST(SqliteResourceStoreSchema, NewFileGetsTheLatestSchemaInWalMode) {
  const TempDir dir;
  const time::ManualClock clock;
  SqliteResourceStore store(dir.file("fhir.sqlite"), clock);
  EXPECT_EQ(store.schema_version(), SqliteResourceStore::latest_schema_version());
  EXPECT_EQ(store.journal_mode(), "wal");
  RawDatabase raw(dir.file("fhir.sqlite"));
  EXPECT_EQ(raw.scalar("SELECT max(version) FROM fhir_schema_migrations"),
            std::to_string(SqliteResourceStore::latest_schema_version()));
}

TEST(SqliteResourceStoreSchema, SharesItsFileWithSqliteStore) {
  const TempDir dir;
  const time::ManualClock clock(utc("2024-05-01T12:00:00Z"));
  const auto path = dir.file("twin.sqlite");
  SqliteStore records(path);
  SqliteResourceStore resources(path, clock);
  records.append_samples(std::vector{make_sample("pt-1", "8480-6", 1, 2.0)});
  const ResourceVersion created =
      resources.create(patient({.family = "Smith", .given = "Eve"}));
  SqliteStore reopened_records(path);
  SqliteResourceStore reopened_resources(path, clock);
  EXPECT_EQ(reopened_records.count_samples(), 1);
  EXPECT_EQ(reopened_resources.read("Patient", created.id).version, created);
}

TEST(SqliteResourceStoreSchema, NewerSchemaIsRefusedNamingTheFileAndVersions) {
  const TempDir dir;
  const time::ManualClock clock;
  const auto path = dir.file("fhir.sqlite");
  { SqliteResourceStore store(path, clock); }
  RawDatabase(path).exec(
      "INSERT INTO fhir_schema_migrations (version, description) VALUES (99, 'future')");
  const std::string message = store_failure_of([&] { SqliteResourceStore store(path, clock); });
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("schema version 99 is newer than the newest this build knows (" +
                         std::to_string(SqliteResourceStore::latest_schema_version()) + ")"),
            std::string::npos)
      << message;
}

TEST(SqliteResourceStoreSchema, APageCacheOfNoKibIsRefusedNamingTheOption) {
  const TempDir dir;
  const time::ManualClock clock;
  SqliteOptions options;
  options.cache_kib = 0;
  for (const bool is_resource_store : {true, false}) {
    try {
      if (is_resource_store) {
        SqliteResourceStore store(dir.file("fhir.sqlite"), clock, options);
      } else {
        SqliteStore store(dir.file("twin.sqlite"), options);
      }
      ADD_FAILURE() << "cache_kib 0 was accepted";
    } catch (const InputError& error) {
      EXPECT_NE(std::string(error.what()).find("cache_kib"), std::string::npos) << error.what();
    }
  }
  options.cache_kib = 1;  // the smallest cache still works
  SqliteResourceStore small(dir.file("small.sqlite"), clock, options);
  const ResourceVersion created = small.create(patient({.family = "Smith", .given = "Eve"}));
  EXPECT_EQ(small.read("Patient", created.id).version, created);
}

TEST(SqliteResourceStoreSchema, FileThatIsNotADatabaseIsRefused) {
  const TempDir dir;
  const time::ManualClock clock;
  const auto path = dir.file("fhir.sqlite");
  std::ofstream(path) << std::string(4096, 'x');
  const std::string message = store_failure_of([&] { SqliteResourceStore store(path, clock); });
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
}

TEST(PostgresResourceStoreSchema, InvalidSchemaNameIsRejectedBeforeConnecting) {
  const time::ManualClock clock;
  try {
    PostgresResourceStore store("postgresql://nobody@127.0.0.1:1/none", clock,
                                {.schema = "Robert'); DROP TABLE"});
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "postgres fhir store: schema");
    EXPECT_EQ(error.rule(), "must match [a-z_][a-z0-9_]{0,62}");
  }
}

TEST(PostgresResourceStoreSchema, UnreachableServerFailsWithoutShowingThePassword) {
  const time::ManualClock clock;
  const std::string message = store_failure_of([&] {
    PostgresResourceStore store("postgresql://ptwin:s3cret-word@127.0.0.1:1/none?connect_timeout=5",
                                clock);
  });
  EXPECT_NE(message.find("postgres fhir store: connect:"), std::string::npos) << message;
  EXPECT_EQ(message.find("s3cret-word"), std::string::npos) << message;
}

TEST(PostgresResourceStoreSchema, NewerSchemaIsRefusedAndSchemasAreIndependent) {
  if (postgres_url() == nullptr) {
    GTEST_SKIP() << "PTWIN_TEST_POSTGRES_URL is not set; run under scripts/with_postgres.sh";
  }
  const time::ManualClock clock(utc("2024-05-01T12:00:00Z"));
  const std::string first = fmt::format("s_first_{:08x}", std::random_device{}());
  const std::string second = fmt::format("s_second_{:08x}", std::random_device{}());
  {
    PostgresResourceStore one(postgres_url(), clock, {.schema = first});
    PostgresResourceStore two(postgres_url(), clock, {.schema = second});
    EXPECT_EQ(one.schema_version(), PostgresResourceStore::latest_schema_version());
    (void)one.create(patient({.family = "Smith", .given = "Eve"}));
    EXPECT_EQ(one.search({.resource_type = "Patient"}).total, 1);
    EXPECT_EQ(two.search({.resource_type = "Patient"}).total, 0);
  }
  PGconn* raw = PQconnectdb(postgres_url());
  PQsetNoticeProcessor(raw, [](void*, const char*) {}, nullptr);
  PQclear(PQexec(raw, fmt::format("INSERT INTO {}.fhir_schema_migrations VALUES (99, 'future')",
                                  first).c_str()));
  const std::string message = store_failure_of(
      [&] { PostgresResourceStore store(postgres_url(), clock, {.schema = first}); });
  EXPECT_NE(message.find(fmt::format("schema '{}': schema version 99 is newer", first)),
            std::string::npos)
      << message;
  for (const std::string& schema : {first, second}) {
    PQclear(PQexec(raw, fmt::format("DROP SCHEMA {} CASCADE", schema).c_str()));
  }
  PQfinish(raw);
}

}  // namespace
}  // namespace ptwin::store::fhir
