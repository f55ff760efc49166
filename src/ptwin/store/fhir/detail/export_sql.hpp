// SPDX-License-Identifier: Apache-2.0
#pragma once
// The SQL behind Bulk Data export (bulk_export_records.hpp): the keyset-paged resource scan
// and the job rows. Each function runs in the caller's transaction, on either backend.

#include <optional>
#include <string_view>
#include <vector>

#include "ptwin/store/fhir/detail/sql_session.hpp"
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::store::fhir::detail {

[[nodiscard]] std::vector<ResourceVersion> run_export_scan(SqlSession& session,
                                                           const ExportScan& scan);

void upsert_export_job(SqlSession& session, const ExportJobRecord& job);
[[nodiscard]] std::optional<ExportJobRecord> select_export_job(SqlSession& session,
                                                               std::string_view id);
[[nodiscard]] std::vector<ExportJobRecord> select_export_jobs(SqlSession& session);
bool delete_export_job_row(SqlSession& session, std::string_view id);

}  // namespace ptwin::store::fhir::detail
