// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/fhir/detail/export_sql.hpp"

#include <array>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/fhir/detail/resource_rows.hpp"
#include "ptwin/store/fhir/detail/search_sql.hpp"
#include "ptwin/store/fhir/search_values.hpp"

namespace ptwin::store::fhir::detail {
namespace {

constexpr std::array kJobColumnTypes{SqlType::Text,  SqlType::Text,  SqlType::Text,
                                     SqlType::Text,  SqlType::Int64, SqlType::Int64};
constexpr std::string_view kJobColumns =
    "id, state, request_json, progress_json, transaction_time_ns, updated_ns";

ExportJobRecord job_from_row(const SqlRow& row) {
  return ExportJobRecord{.id = as_text(row[0]),
                         .state = as_text(row[1]),
                         .request_json = as_text(row[2]),
                         .progress_json = as_text(row[3]),
                         .transaction_time = time::from_epoch_ns(as_int64(row[4])),
                         .updated_at = time::from_epoch_ns(as_int64(row[5]))};
}

// Job ids appear in URLs and file names: a FHIR id without dots.
bool is_job_id(std::string_view id) {
  return is_resource_id(id) && id.find('.') == std::string_view::npos;
}

void check_job_id(std::string_view id, std::string_view operation) {
  if (!is_job_id(id)) {
    throw InputError(ErrorCode::BadInput, fmt::format("export job {}: id", operation),
                     printable_value(id), "must be [A-Za-z0-9-]{1,64}");
  }
}

void validate(const ExportScan& scan) {
  if (!is_resource_type_name(scan.resource_type)) {
    throw InputError(ErrorCode::BadInput, "export scan: resource type",
                     printable_value(scan.resource_type), "must be a FHIR resource type name");
  }
  if (scan.after_id && !is_resource_id(*scan.after_id)) {
    throw InputError(ErrorCode::BadInput, "export scan: after_id", printable_value(*scan.after_id),
                     "must be a FHIR id");
  }
  if (scan.limit < 1 || scan.limit > kMaxPageSize) {
    throw InputError(ErrorCode::BadInput, "export scan: limit", std::to_string(scan.limit),
                     fmt::format("must be 1 to {}", kMaxPageSize));
  }
  if (scan.patient_compartment) {
    for (const std::string& param : scan.patient_compartment->reference_params) {
      if (param.empty()) {
        throw InputError(ErrorCode::BadInput, "export scan: compartment parameter", "",
                         "must not be empty");
      }
    }
    if (scan.patient_compartment->patient_ids) {
      for (const std::string& id : *scan.patient_compartment->patient_ids) {
        if (!is_resource_id(id)) {
          throw InputError(ErrorCode::BadInput, "export scan: patient id", printable_value(id),
                           "must be a FHIR id");
        }
      }
    }
  }
  for (const std::vector<Criterion>& filter : scan.filters) {
    if (filter.empty()) {
      throw InputError(ErrorCode::BadInput, "export scan: filter", "(no criteria)",
                       "a _typeFilter needs at least one criterion");
    }
    fhir::validate(SearchQuery{.resource_type = scan.resource_type, .criteria = filter,
                               .sort = {}, .count = 0, .offset = 0, .includes = {},
                               .revincludes = {}});
  }
}

// A list of bound values: "(?, ?, ?)".
void append_list(SqlBuilder& sql, const std::vector<std::string>& values) {
  sql << "(";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) sql << ", ";
    sql.bind(values[i]);
  }
  sql << ")";
}

void append_compartment(SqlBuilder& sql, const ExportScan& scan) {
  const CompartmentScope& scope = *scan.patient_compartment;
  const bool has_no_patient = scope.patient_ids && scope.patient_ids->empty();
  if (has_no_patient) {
    sql << " AND 1 = 0";
    return;
  }
  if (scan.resource_type == "Patient") {
    if (scope.patient_ids) {
      // The patient itself, and Patients that point to it through a compartment parameter
      // (R5: Patient.link).
      sql << " AND (r.id IN ";
      append_list(sql, *scope.patient_ids);
      if (!scope.reference_params.empty()) {
        sql << " OR EXISTS (SELECT 1 FROM fhir_reference_index ref WHERE ref.resource_pk = "
               "r.pk AND ref.target_type = 'Patient' AND ref.param IN ";
        append_list(sql, scope.reference_params);
        sql << " AND ref.target_id IN ";
        append_list(sql, *scope.patient_ids);
        sql << ")";
      }
      sql << ")";
    }
    return;
  }
  if (scope.reference_params.empty()) {
    sql << " AND 1 = 0";  // the type is not in the patient compartment
    return;
  }
  sql << " AND EXISTS (SELECT 1 FROM fhir_reference_index ref WHERE ref.resource_pk = r.pk "
         "AND ref.target_type = 'Patient' AND ref.param IN ";
  append_list(sql, scope.reference_params);
  if (scope.patient_ids) {
    sql << " AND ref.target_id IN ";
    append_list(sql, *scope.patient_ids);
  }
  sql << ")";
}

void append_filters(SqlBuilder& sql, const ExportScan& scan) {
  if (scan.filters.empty()) return;
  const ResourceScope scope{.alias = "r", .resource_type = scan.resource_type,
                            .probes_index = true};
  sql << " AND (";
  for (std::size_t f = 0; f < scan.filters.size(); ++f) {
    if (f > 0) sql << " OR ";
    sql << "(";
    for (std::size_t c = 0; c < scan.filters[f].size(); ++c) {
      if (c > 0) sql << " AND ";
      // `ap` on dates is relative to the export's transactionTime, so a resumed job selects
      // the same resources.
      append_criterion(sql, scan.filters[f][c], scope, scan.until);
    }
    sql << ")";
  }
  sql << ")";
}

}  // namespace

std::vector<ResourceVersion> run_export_scan(SqlSession& session, const ExportScan& scan) {
  validate(scan);
  // Keyset paging on UNIQUE (resource_type, id): each page costs the same however far in.
  SqlBuilder sql;
  sql << "SELECT " << kVersionColumns
      << " FROM fhir_resources r JOIN fhir_resource_versions v ON v.resource_pk = r.pk AND "
         "v.version_id = r.version_id WHERE r.resource_type = ";
  sql.bind(scan.resource_type) << " AND r.is_deleted = 0 AND r.last_updated_ns <= ";
  sql.bind(time::to_epoch_ns(scan.until));
  if (scan.since) {
    sql << " AND r.last_updated_ns > ";
    sql.bind(time::to_epoch_ns(*scan.since));
  }
  if (scan.after_id) {
    sql << " AND r.id > ";
    sql.bind(*scan.after_id);
  }
  if (scan.patient_compartment) append_compartment(sql, scan);
  append_filters(sql, scan);
  sql << " ORDER BY r.id LIMIT ";
  sql.bind(scan.limit);
  std::vector<ResourceVersion> versions;
  for (const SqlRow& row :
       session.query(sql.sql(), sql.params(), kVersionColumnTypes, "export scan")) {
    versions.push_back(version_from_row(row));
  }
  return versions;
}

void upsert_export_job(SqlSession& session, const ExportJobRecord& job) {
  check_job_id(job.id, "save");
  if (job.state.empty()) {
    throw InputError(ErrorCode::MissingField, "export job save: state", "", "must not be empty");
  }
  // INSERT ... ON CONFLICT ... DO UPDATE is the same text in SQLite (>= 3.24) and PostgreSQL.
  const std::array<SqlValue, 6> params{job.id,
                                       job.state,
                                       job.request_json,
                                       job.progress_json,
                                       time::to_epoch_ns(job.transaction_time),
                                       time::to_epoch_ns(job.updated_at)};
  session.execute(fmt::format("INSERT INTO fhir_export_jobs ({}) VALUES (?, ?, ?, ?, ?, ?) "
                              "ON CONFLICT (id) DO UPDATE SET state = excluded.state, "
                              "request_json = excluded.request_json, "
                              "progress_json = excluded.progress_json, "
                              "transaction_time_ns = excluded.transaction_time_ns, "
                              "updated_ns = excluded.updated_ns",
                              kJobColumns),
                  params, "save export job");
}

std::optional<ExportJobRecord> select_export_job(SqlSession& session, std::string_view id) {
  if (!is_job_id(id)) return std::nullopt;  // such an id cannot have been saved
  const std::array<SqlValue, 1> params{std::string(id)};
  const auto rows =
      session.query(fmt::format("SELECT {} FROM fhir_export_jobs WHERE id = ?", kJobColumns),
                    params, kJobColumnTypes, "read export job");
  if (rows.empty()) return std::nullopt;
  return job_from_row(rows.front());
}

std::vector<ExportJobRecord> select_export_jobs(SqlSession& session) {
  const auto rows = session.query(
      fmt::format("SELECT {} FROM fhir_export_jobs ORDER BY transaction_time_ns, id", kJobColumns),
      {}, kJobColumnTypes, "list export jobs");
  std::vector<ExportJobRecord> jobs;
  jobs.reserve(rows.size());
  for (const SqlRow& row : rows) jobs.push_back(job_from_row(row));
  return jobs;
}

bool delete_export_job_row(SqlSession& session, std::string_view id) {
  if (!select_export_job(session, id)) return false;
  const std::array<SqlValue, 1> params{std::string(id)};
  session.execute("DELETE FROM fhir_export_jobs WHERE id = ?", params, "delete export job");
  return true;
}

}  // namespace ptwin::store::fhir::detail
