// SPDX-License-Identifier: Apache-2.0
#include <array>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/detail/sqlite_connection.hpp"
#include "ptwin/store/detail/sqlite_migrations.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace ptwin::store {
namespace {

using test_support::make_sample;
using test_support::RawDatabase;
using test_support::TempDir;

std::string error_message_of(const std::filesystem::path& path) {
  try {
    SqliteStore store(path);
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::StoreFailure);
    return error.what();
  }
  ADD_FAILURE() << "opening " << path << " should have failed";
  return {};
}

TEST(SqliteStoreMigrations, EmptyFileIsMigratedToTheLatestVersion) {
  const TempDir dir;
  const auto path = dir.file("store.sqlite");
  std::ofstream(path).close();  // zero bytes: what SQLite treats as a new database
  ASSERT_EQ(std::filesystem::file_size(path), 0U);
  {
    SqliteStore store(path);
    EXPECT_EQ(store.schema_version(), SqliteStore::latest_schema_version());
    EXPECT_EQ(store.count_samples(), 0);
  }
  RawDatabase raw(path);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM schema_migrations"),
            std::to_string(SqliteStore::latest_schema_version()));
  EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
}

TEST(SqliteStoreMigrations, ReopeningAppliesNothingAndKeepsTheData) {
  const TempDir dir;
  const auto path = dir.file("store.sqlite");
  { SqliteStore(path).append_samples(std::vector{make_sample("pt-001", "8480-6", 1, 2.0)}); }
  for (int reopen = 0; reopen < 3; ++reopen) {
    SqliteStore store(path);
    EXPECT_EQ(store.schema_version(), SqliteStore::latest_schema_version());
    EXPECT_EQ(store.count_samples(), 1);
  }
  RawDatabase raw(path);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM schema_migrations"),
            std::to_string(SqliteStore::latest_schema_version()));
}

TEST(SqliteStoreMigrations, DatabaseFromANewerBuildIsRefusedNamingBothVersions) {
  const TempDir dir;
  const auto path = dir.file("store.sqlite");
  { SqliteStore store(path); }
  const int newer = SqliteStore::latest_schema_version() + 1;
  {
    RawDatabase raw(path);
    raw.exec("INSERT INTO schema_migrations (version, description) VALUES (" +
             std::to_string(newer) + ", 'from the future')");
  }
  const std::string message = error_message_of(path);
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("schema version " + std::to_string(newer) + " is newer"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("(" + std::to_string(SqliteStore::latest_schema_version()) + ")"),
            std::string::npos)
      << message;
}

TEST(SqliteStoreMigrations, FailingStepLeavesTheDatabaseAtThePreviousVersion) {
  const TempDir dir;
  detail::SqliteConnection connection(dir.file("store.sqlite").string());
  const std::array steps{
      detail::Migration{1, "first table", "CREATE TABLE first (x INTEGER)"},
      detail::Migration{2, "second table, then a typo",
                        "CREATE TABLE second (y INTEGER); CREATE TABLEE third (z INTEGER)"},
  };
  try {
    static_cast<void>(detail::migrate(connection, steps));
    FAIL() << "expected the typo to fail the migration";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::StoreFailure);
    EXPECT_NE(std::string(error.what()).find("migration 2 (second table, then a typo)"),
              std::string::npos)
        << error.what();
  }
  RawDatabase raw(dir.file("store.sqlite"));
  EXPECT_EQ(raw.scalar("SELECT max(version) FROM schema_migrations"), "1");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'second'"), "0");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'first'"), "1");
}

TEST(SqliteStoreMigrations, LaterStepsAreAppliedToAnOlderDatabase) {
  const TempDir dir;
  detail::SqliteConnection connection(dir.file("store.sqlite").string());
  const std::array steps{
      detail::Migration{1, "first table", "CREATE TABLE first (x INTEGER)"},
      detail::Migration{2, "second table", "CREATE TABLE second (y INTEGER)"},
  };
  const auto at_one = detail::migrate(connection, std::span(steps).first(1));
  EXPECT_EQ(at_one.version_before, 0);
  EXPECT_EQ(at_one.version_after, 1);
  const auto at_two = detail::migrate(connection, steps);
  EXPECT_EQ(at_two.version_before, 1);
  EXPECT_EQ(at_two.version_after, 2);
}

TEST(SqliteStoreMigrations, FileThatIsNotADatabaseIsRefusedNamingThePath) {
  const TempDir dir;
  const auto path = dir.file("notes.txt");
  std::ofstream(path) << "this is a text file, not an SQLite database, and it is long enough "
                         "to have a header SQLite would read\n";
  const std::string message = error_message_of(path);
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find("not a database"), std::string::npos) << message;
}

TEST(SqliteStoreMigrations, MissingDirectoryIsRefusedNamingThePathAndOperation) {
  const TempDir dir;
  const auto path = dir.file("no-such-dir") / "store.sqlite";
  const std::string message = error_message_of(path);
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;
  EXPECT_NE(message.find(": open: "), std::string::npos) << message;
}

TEST(SqliteStoreMigrations, InMemoryDatabaseIsMigratedAndUsable) {
  SqliteStore store(":memory:");
  EXPECT_EQ(store.schema_version(), SqliteStore::latest_schema_version());
  store.append_samples(std::vector{make_sample("pt-001", "8480-6", 1, 2.0)});
  EXPECT_EQ(store.count_samples(), 1);
}

}  // namespace
}  // namespace ptwin::store
