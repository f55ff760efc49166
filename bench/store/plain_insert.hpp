// SPDX-License-Identifier: Apache-2.0
#pragma once
// The baseline of the FHIR store throughput benchmarks: the same resources and index rows
// written with the database's own client API (sqlite3, libpq) into plain tables, one prepared
// INSERT per row, all in one transaction, with no store logic: no id generation, no JSON
// rewrite (id, meta), no version row, no string normalisation, no row validation, no writer
// lock. The store's resources/s divided by this one's, on the same backend and durability
// setting, is what the store costs over writing the same bytes.
//
// Tables: plain_resources (pk, resource_type, id, json) and one plain_<kind>_index table per
// IndexRows kind with resource_pk, resource_type, param and the row's own fields as given.
// PlainIndexes::AsStore adds the secondary indexes of the store's schema (docs/store.md), so
// that the pair None / AsStore separates index maintenance from the rest.

#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "ptwin/store/fhir/resource_store.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::bench {

enum class PlainIndexes {
  None,     // primary keys only
  AsStore,  // plus the secondary indexes of the store's tables
};

class PlainTables {
 public:
  virtual ~PlainTables() = default;
  PlainTables(const PlainTables&) = delete;
  PlainTables& operator=(const PlainTables&) = delete;
  PlainTables(PlainTables&&) = delete;
  PlainTables& operator=(PlainTables&&) = delete;

  /// Inserts every resource (its JSON as given, under a new UUID-shaped id) and its index rows,
  /// in one transaction. Throws std::runtime_error with the database's message on failure.
  virtual void insert(std::span<const store::fhir::NewResource> resources) = 0;

 protected:
  PlainTables() = default;
};

/// Creates the plain tables in a new SQLite file at `file`, in WAL mode with `synchronous`
/// (as SqliteResourceStore configures its connection).
[[nodiscard]] std::unique_ptr<PlainTables> open_sqlite_plain_tables(
    const std::filesystem::path& file, store::SqliteSynchronous synchronous, PlainIndexes indexes);

/// Creates `schema` ([a-z_][a-z0-9_]*, must not exist) on the PostgreSQL server of `conninfo`
/// and the plain tables in it. Durability is the server's, as for PostgresResourceStore.
[[nodiscard]] std::unique_ptr<PlainTables> open_postgres_plain_tables(const std::string& conninfo,
                                                                      const std::string& schema,
                                                                      PlainIndexes indexes);

/// Drops `schema` and everything in it, if it exists. Throws std::runtime_error on failure.
void drop_postgres_schema(const std::string& conninfo, const std::string& schema);

/// "major.minor" of the PostgreSQL server of `conninfo`, for benchmark labels.
[[nodiscard]] std::string postgres_server_version(const std::string& conninfo);

}  // namespace ptwin::bench
