// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/postgres_resource_store.hpp"

#include "ptwin/core/logging.hpp"
#include "ptwin/store/fhir/detail/fhir_schema.hpp"
#include "ptwin/store/fhir/detail/postgres_session.hpp"
#include "ptwin/store/fhir/detail/sql_store_core.hpp"

namespace ptwin::store::fhir {

PostgresResourceStore::PostgresResourceStore(const std::string& conninfo, const time::Clock& clock,
                                             PostgresOptions options) {
  auto session = std::make_unique<detail::PostgresSession>(conninfo, std::move(options.schema));
  const detail::SchemaOutcome outcome =
      detail::migrate_fhir_schema(*session, detail::postgres_fhir_schema());
  logging::zone_logger("store")->info(
      "fhir store opened store=\"{}\" schema_version={} migrated_from={}", session->description(),
      outcome.version_after, outcome.version_before);
  schema_version_ = outcome.version_after;
  core_ = std::make_unique<detail::SqlStoreCore>(std::move(session), clock);
}

PostgresResourceStore::~PostgresResourceStore() = default;

std::unique_ptr<ResourceTransaction> PostgresResourceStore::begin(TransactionMode mode) {
  return core_->begin(mode);
}

int PostgresResourceStore::latest_schema_version() {
  return detail::postgres_fhir_schema().back().version;
}

}  // namespace ptwin::store::fhir
