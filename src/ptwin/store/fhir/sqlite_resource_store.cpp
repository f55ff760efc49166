// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/sqlite_resource_store.hpp"

#include "ptwin/core/logging.hpp"
#include "ptwin/store/fhir/detail/fhir_schema.hpp"
#include "ptwin/store/fhir/detail/sql_store_core.hpp"
#include "ptwin/store/fhir/detail/sqlite_session.hpp"

namespace ptwin::store::fhir {
namespace {

int migrate(detail::SqlSession& session) {
  const detail::SchemaOutcome outcome =
      detail::migrate_fhir_schema(session, detail::sqlite_fhir_schema());
  logging::zone_logger("store")->info(
      "fhir store opened store=\"{}\" schema_version={} "
      "migrated_from={}",
      session.description(), outcome.version_after, outcome.version_before);
  return outcome.version_after;
}

}  // namespace

SqliteResourceStore::SqliteResourceStore(const std::filesystem::path& path,
                                         const time::Clock& clock, SqliteOptions options) {
  auto session = std::make_unique<detail::SqliteSession>(path, options);
  session_ = session.get();
  schema_version_ = migrate(*session);
  core_ = std::make_unique<detail::SqlStoreCore>(std::move(session), clock);
}

SqliteResourceStore::~SqliteResourceStore() = default;

std::unique_ptr<ResourceTransaction> SqliteResourceStore::begin(TransactionMode mode) {
  return core_->begin(mode);
}

int SqliteResourceStore::latest_schema_version() {
  return detail::sqlite_fhir_schema().back().version;
}

std::string SqliteResourceStore::journal_mode() {
  const auto transaction = core_->begin(TransactionMode::ReadOnly);  // holds the connection
  std::string mode = session_->journal_mode();
  transaction->commit();
  return mode;
}

}  // namespace ptwin::store::fhir
