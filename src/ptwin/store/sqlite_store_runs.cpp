// SPDX-License-Identifier: Apache-2.0
// SqliteStore: simulation runs and their result series (the rest is in sqlite_store.cpp).
#include <optional>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/detail/double_blob.hpp"
#include "ptwin/store/detail/sqlite_store_impl.hpp"
#include "ptwin/store/sqlite_store.hpp"

namespace ptwin::store {
namespace {

RunStatus status_from_storage(std::string_view text, std::string_view where) {
  for (const RunStatus status : {RunStatus::Running, RunStatus::Completed, RunStatus::Failed}) {
    if (text == to_string(status)) return status;
  }
  throw Error(
      ErrorCode::StoreFailure,
      fmt::format("{}: stored run status '{}' is not running, completed or failed", where, text));
}

RunRecord read_run(const detail::SqliteStatement& row, std::string_view where) {
  const auto finished_at_ns = row.column_optional_int64(10);
  return RunRecord{.id = row.column_int64(0),
                   .run = SimulationRun{.patient_id = row.column_text(1),
                                        .twin_id = row.column_text(2),
                                        .model_name = row.column_text(3),
                                        .model_digest = row.column_text(4),
                                        .parameters_json = row.column_text(5),
                                        .started_at = time::from_epoch_ns(row.column_int64(6))},
                   .status = status_from_storage(row.column_text(7), where),
                   .summary_json = row.column_optional_text(8),
                   .message = row.column_optional_text(9),
                   .finished_at = finished_at_ns
                                      ? std::optional(time::from_epoch_ns(*finished_at_ns))
                                      : std::nullopt};
}

ResultSeries read_series(const detail::SqliteStatement& row, std::string_view where) {
  std::string variable = row.column_text(0);
  const std::string blob_where = fmt::format("{}: result series '{}'", where, variable);
  auto times_s = detail::decode_f64le(row.column_blob(2), blob_where + ": times_s");
  auto values = detail::decode_f64le(row.column_blob(3), blob_where + ": values");
  return ResultSeries{.variable = std::move(variable),
                      .unit = row.column_text(1),
                      .times_s = std::move(times_s),
                      .values = std::move(values)};
}

/// The status of a run, or nullopt when there is no such run.
std::optional<RunStatus> find_run_status(detail::SqliteStatement& select_run_status, RunId run_id,
                                         std::string_view where) {
  const detail::StatementReset reset(select_run_status);
  select_run_status.bind_int64(1, run_id);
  if (!select_run_status.step()) return std::nullopt;
  return status_from_storage(select_run_status.column_text(0), where);
}

Error run_not_found(std::string_view path, std::string_view operation, RunId run_id) {
  return Error(
      ErrorCode::NotFound,
      fmt::format("sqlite store '{}': {}: there is no simulation run {}", path, operation, run_id));
}

/// Throws NotFound for an unknown run and InputError for a run that is no longer Running.
void require_running(detail::SqliteStatement& select_run_status, std::string_view path,
                     std::string_view operation, RunId run_id) {
  const auto status = find_run_status(select_run_status, run_id, path);
  if (!status) throw run_not_found(path, operation, run_id);
  if (*status != RunStatus::Running) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}: status of run {}", operation, run_id),
                     std::string(to_string(*status)), "must be running");
  }
}

}  // namespace

RunId SqliteStore::begin_run(const SimulationRun& run) {
  validate(run);
  const std::lock_guard lock(impl_->mutex);
  detail::SqliteTransaction transaction(impl_->connection, impl_->transaction);
  RunId id = 0;
  {
    auto& statement = impl_->insert_run;
    const detail::StatementReset reset(statement);
    statement.bind_text(1, run.patient_id);
    statement.bind_text(2, run.twin_id);
    statement.bind_text(3, run.model_name);
    statement.bind_text(4, run.model_digest);
    statement.bind_text(5, run.parameters_json);
    statement.bind_int64(6, time::to_epoch_ns(run.started_at));
    if (!statement.step()) {
      throw Error(ErrorCode::Internal, "begin_run: INSERT ... RETURNING id returned no row");
    }
    id = statement.column_int64(0);
    statement.run();  // completes the statement so that its errors surface here
  }
  transaction.commit();
  return id;
}

void SqliteStore::append_result_series(RunId run_id, const ResultSeries& series) {
  validate(series);
  const std::lock_guard lock(impl_->mutex);
  const std::string& path = impl_->connection.path();
  detail::SqliteTransaction transaction(impl_->connection, impl_->transaction);
  require_running(impl_->select_run_status, path, "append_result_series", run_id);
  {
    auto& exists = impl_->select_series_exists;
    const detail::StatementReset reset(exists);
    exists.bind_int64(1, run_id);
    exists.bind_text(2, series.variable);
    if (exists.step()) {
      throw InputError(ErrorCode::BadInput,
                       fmt::format("append_result_series: run {}: variable", run_id),
                       series.variable, "is already stored for this run");
    }
  }
  {
    auto& statement = impl_->insert_series;
    const detail::StatementReset reset(statement);
    statement.bind_int64(1, run_id);
    statement.bind_text(2, series.variable);
    statement.bind_text(3, series.unit);
    statement.bind_int64(4, static_cast<std::int64_t>(series.times_s.size()));
    statement.bind_blob(5, detail::encode_f64le(series.times_s));
    statement.bind_blob(6, detail::encode_f64le(series.values));
    statement.run();
  }
  transaction.commit();
}

void SqliteStore::finish_run(RunId run_id, const RunOutcome& outcome) {
  validate(outcome, run_id);
  const std::lock_guard lock(impl_->mutex);
  detail::SqliteTransaction transaction(impl_->connection, impl_->transaction);
  require_running(impl_->select_run_status, impl_->connection.path(), "finish_run", run_id);
  {
    auto& statement = impl_->update_run_outcome;
    const detail::StatementReset reset(statement);
    statement.bind_int64(1, run_id);
    statement.bind_text(2, to_string(outcome.status));
    statement.bind_optional_text(3, outcome.summary_json);
    statement.bind_optional_text(4, outcome.message);
    statement.bind_int64(5, time::to_epoch_ns(outcome.finished_at));
    statement.run();
  }
  transaction.commit();
}

std::optional<RunRecord> SqliteStore::find_run(RunId run_id) const {
  const std::lock_guard lock(impl_->mutex);
  auto& statement = impl_->select_run;
  const detail::StatementReset reset(statement);
  statement.bind_int64(1, run_id);
  if (!statement.step()) return std::nullopt;
  return read_run(statement, impl_->connection.path());
}

std::vector<RunRecord> SqliteStore::list_runs(std::string_view patient_id) const {
  const std::lock_guard lock(impl_->mutex);
  auto& statement = impl_->select_runs_of_patient;
  const detail::StatementReset reset(statement);
  statement.bind_text(1, patient_id);
  std::vector<RunRecord> runs;
  while (statement.step()) runs.push_back(read_run(statement, impl_->connection.path()));
  return runs;
}

std::vector<ResultSeries> SqliteStore::result_series(RunId run_id) const {
  const std::lock_guard lock(impl_->mutex);
  const std::string& path = impl_->connection.path();
  if (!find_run_status(impl_->select_run_status, run_id, path)) {
    throw run_not_found(path, "result_series", run_id);
  }
  auto& statement = impl_->select_series_of_run;
  const detail::StatementReset reset(statement);
  statement.bind_int64(1, run_id);
  std::vector<ResultSeries> found;
  while (statement.step()) found.push_back(read_series(statement, path));
  return found;
}

std::optional<ResultSeries> SqliteStore::find_result_series(RunId run_id,
                                                            std::string_view variable) const {
  const std::lock_guard lock(impl_->mutex);
  const std::string& path = impl_->connection.path();
  if (!find_run_status(impl_->select_run_status, run_id, path)) {
    throw run_not_found(path, "find_result_series", run_id);
  }
  auto& statement = impl_->select_series;
  const detail::StatementReset reset(statement);
  statement.bind_int64(1, run_id);
  statement.bind_text(2, variable);
  if (!statement.step()) return std::nullopt;
  return read_series(statement, path);
}

}  // namespace ptwin::store
