// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/sqlite_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <sqlite3.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/logging.hpp"
#include "ptwin/store/detail/sqlite_migrations.hpp"
#include "ptwin/store/detail/sample_quality_text.hpp"
#include "ptwin/store/detail/sqlite_store_impl.hpp"

namespace ptwin::store {
namespace {

constexpr std::string_view kInMemoryPath = ":memory:";

std::string read_pragma(detail::SqliteConnection& connection, std::string_view pragma) {
  detail::SqliteStatement statement(connection, fmt::format("PRAGMA {}", pragma),
                                    fmt::format("PRAGMA {}", pragma));
  const detail::StatementReset reset(statement);
  return statement.step() ? statement.column_text(0) : std::string();
}

// Durability: in WAL mode, synchronous=FULL fsyncs the WAL at every commit, so a commit that
// has returned survives power loss; NORMAL fsyncs only at checkpoints, so it survives a crash
// of this process (the WAL is in the OS page cache) but the last commits may be lost if the
// machine itself goes down. Clinical data is acknowledged to its sender once stored, and the
// sender may then discard it, hence FULL by default; NORMAL is for replayable bulk loads.
void configure(detail::SqliteConnection& connection, const SqliteOptions& options) {
  // SQLite takes the timeout as an int of milliseconds.
  const auto timeout_ms = std::clamp<std::chrono::milliseconds::rep>(
      options.busy_timeout.count(), 0, std::numeric_limits<int>::max());
  connection.check(sqlite3_busy_timeout(connection.handle(), static_cast<int>(timeout_ms)),
                   "set busy_timeout");
  const std::string journal_mode = read_pragma(connection, "journal_mode = WAL");
  const bool is_in_memory = connection.path() == kInMemoryPath;
  if (journal_mode != "wal" && !(is_in_memory && journal_mode == "memory")) {
    throw Error(ErrorCode::StoreFailure,
                fmt::format("sqlite store '{}': set journal_mode=WAL: the database stayed in "
                            "mode '{}' (a file system without shared memory support?)",
                            connection.path(), journal_mode));
  }
  connection.exec(options.synchronous == SqliteSynchronous::Full ? "PRAGMA synchronous = FULL"
                                                                 : "PRAGMA synchronous = NORMAL",
                  "set synchronous");
  if (options.cache_kib < 1) {
    throw InputError(ErrorCode::BadInput, "sqlite options: cache_kib",
                     std::to_string(options.cache_kib), "must be >= 1 (KiB of page cache)");
  }
  // A negative cache_size is in KiB, a positive one in pages.
  connection.exec(fmt::format("PRAGMA cache_size = -{}", options.cache_kib), "set cache_size");
  connection.exec("PRAGMA foreign_keys = ON", "enable foreign keys");
  if (read_pragma(connection, "foreign_keys") != "1") {
    throw Error(ErrorCode::StoreFailure,
                fmt::format("sqlite store '{}': enable foreign keys: this SQLite library was "
                            "built without foreign key support",
                            connection.path()));
  }
}

int configure_and_migrate(detail::SqliteConnection& connection, const SqliteOptions& options) {
  configure(connection, options);
  const auto outcome = detail::migrate(connection, detail::sqlite_migrations());
  logging::zone_logger("store")->info(
      "sqlite store opened path={} schema_version={} migrated_from={} synchronous={}",
      connection.path(), outcome.version_after, outcome.version_before,
      options.synchronous == SqliteSynchronous::Full ? "full" : "normal");
  return outcome.version_after;
}

constexpr std::string_view kSampleColumns =
    "patient_id, code, value_si, unit_of_origin, time_ns, source_id, quality";

Sample read_sample(const detail::SqliteStatement& row, std::string_view where) {
  return Sample{.patient_id = row.column_text(0),
                .code = row.column_text(1),
                .value_si = row.column_double(2),
                .unit_of_origin = row.column_text(3),
                .time = time::from_epoch_ns(row.column_int64(4)),
                .source_id = row.column_text(5),
                .quality = detail::sample_quality_from_storage_text(row.column_text(6), where)};
}

QuarantineRecord read_quarantine(const detail::SqliteStatement& row) {
  const auto raw = row.column_blob(3);
  return QuarantineRecord{
      .id = row.column_int64(0),
      .entry = QuarantineEntry{
          .source = row.column_text(1),
          .reason = row.column_text(2),
          .raw_bytes = std::string(reinterpret_cast<const char*>(raw.data()), raw.size()),
          .received_at = time::from_epoch_ns(row.column_int64(4))}};
}

std::int64_t read_count(detail::SqliteStatement& statement) {
  const detail::StatementReset reset(statement);
  if (!statement.step()) return 0;
  return statement.column_int64(0);
}

}  // namespace

// Longer than 60 lines: one initializer per prepared statement, a table of SQL, not logic.
SqliteStore::Impl::Impl(const std::filesystem::path& path, const SqliteOptions& options)
    : connection(path.string()),
      schema_version(configure_and_migrate(connection, options)),
      transaction(connection),
      upsert_patient(connection,
                     "INSERT INTO patients (id, fhir_json, updated_at_ns) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT (id) DO UPDATE SET fhir_json = excluded.fhir_json, "
                     "updated_at_ns = excluded.updated_at_ns",
                     "upsert patient"),
      select_patient(connection, "SELECT id, fhir_json, updated_at_ns FROM patients WHERE id = ?1",
                     "find patient"),
      insert_sample(connection,
                    fmt::format("INSERT INTO samples ({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                kSampleColumns),
                    "insert sample"),
      select_samples(connection,
                     fmt::format("SELECT {} FROM samples WHERE patient_id = ?1 AND code = ?2 "
                                 "AND time_ns >= ?3 AND time_ns < ?4 ORDER BY time_ns, id",
                                 kSampleColumns),
                     "query samples"),
      count_samples(connection, "SELECT count(*) FROM samples", "count samples"),
      insert_run(connection,
                 "INSERT INTO simulation_runs (patient_id, twin_id, model_name, model_digest, "
                 "parameters_json, started_at_ns, status) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'running') RETURNING id",
                 "begin run"),
      select_run_status(connection, "SELECT status FROM simulation_runs WHERE id = ?1",
                        "read run status"),
      update_run_outcome(connection,
                         "UPDATE simulation_runs SET status = ?2, summary_json = ?3, "
                         "message = ?4, finished_at_ns = ?5 WHERE id = ?1",
                         "finish run"),
      select_run(connection,
                 fmt::format("SELECT {} FROM simulation_runs WHERE id = ?1", detail::kRunColumns),
                 "find run"),
      select_runs_of_patient(connection,
                             fmt::format("SELECT {} FROM simulation_runs WHERE patient_id = ?1 "
                                         "ORDER BY started_at_ns, id",
                                         detail::kRunColumns),
                             "list runs"),
      select_series_exists(connection,
                           "SELECT 1 FROM result_series WHERE run_id = ?1 AND variable = ?2",
                           "check result series"),
      insert_series(connection,
                    "INSERT INTO result_series (run_id, variable, unit, point_count, "
                    "times_s_f64le, values_f64le) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    "append result series"),
      select_series_of_run(connection,
                           fmt::format("SELECT {} FROM result_series WHERE run_id = ?1 "
                                       "ORDER BY id",
                                       detail::kSeriesColumns),
                           "read result series"),
      select_series(connection,
                    fmt::format("SELECT {} FROM result_series WHERE run_id = ?1 "
                                "AND variable = ?2",
                                detail::kSeriesColumns),
                    "find result series"),
      insert_quarantine(connection,
                        "INSERT INTO quarantine (source, reason, raw_bytes, received_at_ns) "
                        "VALUES (?1, ?2, ?3, ?4) RETURNING id",
                        "quarantine"),
      // substr/length rather than LIKE: a prefix holding '%' or '_' must match literally.
      select_quarantine(connection,
                        "SELECT id, source, reason, raw_bytes, received_at_ns FROM quarantine "
                        "WHERE ?1 IS NULL OR substr(source, 1, length(?1)) = ?1 ORDER BY id",
                        "list quarantine"),
      count_quarantine(connection, "SELECT count(*) FROM quarantine", "count quarantine") {}

SqliteStore::SqliteStore(const std::filesystem::path& path, SqliteOptions options)
    : impl_(std::make_unique<Impl>(path, options)) {}

SqliteStore::~SqliteStore() = default;

int SqliteStore::schema_version() const { return impl_->schema_version; }

int SqliteStore::latest_schema_version() { return detail::sqlite_migrations().back().version; }

// --- patients ---------------------------------------------------------------------------

void SqliteStore::upsert_patient(const PatientRecord& patient) {
  validate(patient);
  const std::lock_guard lock(impl_->mutex);
  detail::SqliteTransaction transaction(impl_->connection, impl_->transaction);
  {
    auto& statement = impl_->upsert_patient;
    const detail::StatementReset reset(statement);
    statement.bind_text(1, patient.id);
    statement.bind_text(2, patient.fhir_json);
    statement.bind_int64(3, time::to_epoch_ns(patient.updated_at));
    statement.run();
  }
  transaction.commit();
}

std::optional<PatientRecord> SqliteStore::find_patient(std::string_view patient_id) const {
  const std::lock_guard lock(impl_->mutex);
  auto& statement = impl_->select_patient;
  const detail::StatementReset reset(statement);
  statement.bind_text(1, patient_id);
  if (!statement.step()) return std::nullopt;
  return PatientRecord{.id = statement.column_text(0),
                       .fhir_json = statement.column_text(1),
                       .updated_at = time::from_epoch_ns(statement.column_int64(2))};
}

// --- samples ----------------------------------------------------------------------------

void SqliteStore::append_samples(std::span<const Sample> samples) {
  if (samples.empty()) return;
  const std::lock_guard lock(impl_->mutex);
  detail::SqliteTransaction transaction(impl_->connection, impl_->transaction);
  auto& statement = impl_->insert_sample;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const Sample& sample = samples[i];
    const detail::StatementReset reset(statement);
    try {
      statement.bind_text(1, sample.patient_id);
      statement.bind_text(2, sample.code);
      statement.bind_double(3, sample.value_si);
      statement.bind_text(4, sample.unit_of_origin);
      statement.bind_int64(5, time::to_epoch_ns(sample.time));
      statement.bind_text(6, sample.source_id);
      statement.bind_text(7, detail::to_storage_text(sample.quality));
      statement.run();
    } catch (const Error& error) {
      throw Error(error.code(),
                  fmt::format("{} (append_samples: sample {} of {}, patient '{}', code '{}', "
                              "value_si {}; nothing of this batch was stored)",
                              error.what(), i, samples.size(), sample.patient_id, sample.code,
                              sample.value_si));
    }
  }
  transaction.commit();
}

std::vector<Sample> SqliteStore::samples(std::string_view patient_id, std::string_view code,
                                         time::Instant from, time::Instant to) const {
  if (from > to) {
    throw InputError(ErrorCode::BadInput, "sample query: time range",
                     fmt::format("[{}, {})", time::format_iso8601(from), time::format_iso8601(to)),
                     "must not end before it starts");
  }
  const std::lock_guard lock(impl_->mutex);
  auto& statement = impl_->select_samples;
  const detail::StatementReset reset(statement);
  statement.bind_text(1, patient_id);
  statement.bind_text(2, code);
  statement.bind_int64(3, time::to_epoch_ns(from));
  statement.bind_int64(4, time::to_epoch_ns(to));
  std::vector<Sample> found;
  const std::string where = fmt::format("sqlite store '{}': samples", impl_->connection.path());
  while (statement.step()) found.push_back(read_sample(statement, where));
  return found;
}

std::int64_t SqliteStore::count_samples() const {
  const std::lock_guard lock(impl_->mutex);
  return read_count(impl_->count_samples);
}

// --- quarantine -------------------------------------------------------------------------

QuarantineId SqliteStore::quarantine(const QuarantineEntry& entry) {
  validate(entry);
  const std::lock_guard lock(impl_->mutex);
  detail::SqliteTransaction transaction(impl_->connection, impl_->transaction);
  QuarantineId id = 0;
  {
    auto& statement = impl_->insert_quarantine;
    const detail::StatementReset reset(statement);
    statement.bind_text(1, entry.source);
    statement.bind_text(2, entry.reason);
    statement.bind_blob(3,
                        std::as_bytes(std::span(entry.raw_bytes.data(), entry.raw_bytes.size())));
    statement.bind_int64(4, time::to_epoch_ns(entry.received_at));
    if (!statement.step()) {
      throw Error(ErrorCode::Internal, "quarantine: INSERT ... RETURNING id returned no row");
    }
    id = statement.column_int64(0);
    statement.run();  // completes the statement so that its errors surface here
  }
  transaction.commit();
  return id;
}

std::vector<QuarantineRecord> SqliteStore::quarantined(
    std::optional<std::string_view> source_prefix) const {
  const std::lock_guard lock(impl_->mutex);
  auto& statement = impl_->select_quarantine;
  const detail::StatementReset reset(statement);
  if (source_prefix) statement.bind_text(1, *source_prefix);  // unbound parameters are NULL
  std::vector<QuarantineRecord> found;
  while (statement.step()) found.push_back(read_quarantine(statement));
  return found;
}

std::int64_t SqliteStore::count_quarantined() const {
  const std::lock_guard lock(impl_->mutex);
  return read_count(impl_->count_quarantine);
}

}  // namespace ptwin::store
