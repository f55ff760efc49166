// SPDX-License-Identifier: Apache-2.0
#pragma once
// The embedded FHIR resource store: a SQLite file in WAL mode, durable as SqliteStore is
// (synchronous FULL by default), with its own versioned schema (tables fhir_*, versions in
// fhir_schema_migrations). It may share its file with a SqliteStore.

#include <filesystem>
#include <memory>

#include "ptwin/core/clock.hpp"
#include "ptwin/store/fhir/resource_store.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::store::fhir {

namespace detail {
class SqlStoreCore;
class SqliteSession;
}  // namespace detail

class SqliteResourceStore final : public ResourceStore {
 public:
  /// Opens (creating if absent) the database at `path` (":memory:" for a private in-memory
  /// one), configures it like SqliteStore (`options`) and applies pending schema steps.
  /// `clock` stamps meta.lastUpdated and must outlive the store. Throws Error(StoreFailure)
  /// naming the path when the file cannot be opened, is not a database, or has a FHIR schema
  /// newer than this build knows.
  SqliteResourceStore(const std::filesystem::path& path, const time::Clock& clock,
                      SqliteOptions options = {});
  ~SqliteResourceStore() override;

  [[nodiscard]] std::unique_ptr<ResourceTransaction> begin(TransactionMode mode) override;

  /// The FHIR schema version of the open database (after migration: latest_schema_version()).
  [[nodiscard]] int schema_version() const { return schema_version_; }
  [[nodiscard]] static int latest_schema_version();
  /// SQLite's journal mode on this connection: "wal" (or "memory" for ":memory:").
  [[nodiscard]] std::string journal_mode();

 private:
  detail::SqliteSession* session_;  // owned by core_
  std::unique_ptr<detail::SqlStoreCore> core_;
  int schema_version_;
};

}  // namespace ptwin::store::fhir
