// SPDX-License-Identifier: Apache-2.0
#pragma once
// The FHIR resource store on PostgreSQL (libpq): the same schema, SQL and semantics as
// SqliteResourceStore, in one schema of a database. Writers are serialised per store by a
// transaction-scoped advisory lock, as SQLite serialises them per file.

#include <memory>
#include <string>

#include "ptwin/core/clock.hpp"
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::store::fhir {

namespace detail {
class SqlStoreCore;
}  // namespace detail

struct PostgresOptions {
  /// The schema holding the store's tables, created if absent: [a-z_][a-z0-9_]{0,62}.
  std::string schema = "ptwin_fhir";
};

class PostgresResourceStore final : public ResourceStore {
 public:
  /// Connects with `conninfo` (a libpq URI such as "postgresql://user@host:5432/db", or
  /// key=value pairs), creates and selects the schema, and applies pending schema steps.
  /// `clock` stamps meta.lastUpdated and must outlive the store. Durability is the server's
  /// (synchronous_commit, fsync). Throws Error(StoreFailure) naming host, port and database
  /// when the server cannot be reached or refuses, or when the schema is newer than this build
  /// knows; InputError for an invalid schema name.
  PostgresResourceStore(const std::string& conninfo, const time::Clock& clock,
                        PostgresOptions options = {});
  ~PostgresResourceStore() override;

  [[nodiscard]] std::unique_ptr<ResourceTransaction> begin(TransactionMode mode) override;

  [[nodiscard]] int schema_version() const { return schema_version_; }
  [[nodiscard]] static int latest_schema_version();

 private:
  std::unique_ptr<detail::SqlStoreCore> core_;
  int schema_version_;
};

}  // namespace ptwin::store::fhir
