// SPDX-License-Identifier: Apache-2.0
#pragma once
// SqliteStore's state, shared by the translation units that implement its record kinds
// (sqlite_store.cpp: open, patients, samples, quarantine; sqlite_store_runs.cpp: runs).
// Every statement is prepared once, on open, and reused for the life of the connection.

#include <filesystem>
#include <mutex>
#include <string_view>

#include "ptwin/store/detail/sqlite_connection.hpp"
#include "ptwin/store/detail/sqlite_statement.hpp"
#include "ptwin/store/detail/sqlite_transaction.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::store {

namespace detail {
// Column lists of the run and series queries; read_run() and read_series() in
// sqlite_store_runs.cpp read the columns by these positions.
inline constexpr std::string_view kRunColumns =
    "id, patient_id, twin_id, model_name, model_digest, parameters_json, started_at_ns, "
    "status, summary_json, message, finished_at_ns";
inline constexpr std::string_view kSeriesColumns = "variable, unit, times_s_f64le, values_f64le";
}  // namespace detail

struct SqliteStore::Impl {
  /// Opens and configures the connection, migrates the schema, prepares every statement.
  Impl(const std::filesystem::path& path, const SqliteOptions& options);

  // Declared first so that it is destroyed last, after every statement is finalized.
  detail::SqliteConnection connection;
  int schema_version;
  std::mutex mutex;  // serialises every call on this connection (see the class comment)

  detail::SqliteTransactionStatements transaction;

  detail::SqliteStatement upsert_patient;
  detail::SqliteStatement select_patient;

  detail::SqliteStatement insert_sample;
  detail::SqliteStatement select_samples;
  detail::SqliteStatement count_samples;

  detail::SqliteStatement insert_run;
  detail::SqliteStatement select_run_status;
  detail::SqliteStatement update_run_outcome;
  detail::SqliteStatement select_run;
  detail::SqliteStatement select_runs_of_patient;
  detail::SqliteStatement select_series_exists;
  detail::SqliteStatement insert_series;
  detail::SqliteStatement select_series_of_run;
  detail::SqliteStatement select_series;

  detail::SqliteStatement insert_quarantine;
  detail::SqliteStatement select_quarantine;
  detail::SqliteStatement count_quarantine;
};

}  // namespace ptwin::store
