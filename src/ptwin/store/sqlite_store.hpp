// SPDX-License-Identifier: Apache-2.0
#pragma once
// The embedded Store backend: one SQLite file in WAL mode, schema kept up to date by
// versioned migrations on open (docs/store.md).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "ptwin/store/feed_cursors.hpp"
#include "ptwin/store/store.hpp"

namespace ptwin::store {

/// How far a commit is durable when the call returns (SQLite's PRAGMA synchronous in WAL).
enum class SqliteSynchronous {
  /// fsync of the WAL at every commit: a returned write survives a process crash, an OS
  /// crash and a power cut. The default: "nothing accepted is lost".
  Full,
  /// No fsync at commit (only at checkpoints): a returned write survives a process crash,
  /// but the last commits before an OS crash or power cut may be lost. The database stays
  /// consistent either way. For bulk loads whose source can be replayed.
  Normal,
};

struct SqliteOptions {
  SqliteSynchronous synchronous = SqliteSynchronous::Full;
  /// How long a call waits for another connection's write lock before failing with
  /// StoreFailure ("database is locked").
  std::chrono::milliseconds busy_timeout{5000};
  /// Page cache of the connection (PRAGMA cache_size), in KiB. SQLite's default (2 MiB) is
  /// outgrown by one write transaction of the FHIR store (a resource writes about 15 rows into
  /// B-trees with 25 indexes), which then spills dirty pages and re-reads index pages at every
  /// insert; 64 MiB keeps the upper levels of every index in memory (docs/bulk_data.md#import).
  /// Memory, not durability: commits are as durable with any value.
  std::int64_t cache_kib = 64 * 1024;
};

/// Store on a local SQLite database file.
///
/// Thread-safety: one connection per SqliteStore object; every call takes an internal mutex,
/// so one object may be shared between threads (calls are serialised). For parallel reads,
/// open one SqliteStore per thread on the same file: WAL lets readers run beside one writer.
/// Several processes may open the same file. Never carry an open SqliteStore across fork():
/// open it in the process that uses it.
class SqliteStore final : public Store, public FeedCursors {
 public:
  /// Opens the database at `path` (created if absent; ":memory:" for a private in-memory
  /// database, which cannot use WAL and is lost on close), sets WAL, synchronous, foreign
  /// keys and busy_timeout, and applies pending migrations. Throws Error(StoreFailure) naming
  /// the path when the file cannot be opened, is not a database, or has a schema version newer
  /// than this build knows.
  explicit SqliteStore(const std::filesystem::path& path, SqliteOptions options = {});
  ~SqliteStore() override;

  /// The schema version of the open database (after migration: latest_schema_version()).
  [[nodiscard]] int schema_version() const;
  /// The newest schema version this build knows.
  [[nodiscard]] static int latest_schema_version();

  void upsert_patient(const PatientRecord& patient) override;
  [[nodiscard]] std::optional<PatientRecord> find_patient(
      std::string_view patient_id) const override;

  void append_samples(std::span<const Sample> samples) override;
  [[nodiscard]] std::vector<Sample> samples(std::string_view patient_id, std::string_view code,
                                            time::Instant from, time::Instant to) const override;
  [[nodiscard]] std::int64_t count_samples() const override;

  [[nodiscard]] RunId begin_run(const SimulationRun& run) override;
  void append_result_series(RunId run_id, const ResultSeries& series) override;
  void finish_run(RunId run_id, const RunOutcome& outcome) override;
  [[nodiscard]] std::optional<RunRecord> find_run(RunId run_id) const override;
  [[nodiscard]] std::vector<RunRecord> list_runs(std::string_view patient_id) const override;
  [[nodiscard]] std::vector<ResultSeries> result_series(RunId run_id) const override;
  [[nodiscard]] std::optional<ResultSeries> find_result_series(
      RunId run_id, std::string_view variable) const override;

  QuarantineId quarantine(const QuarantineEntry& entry) override;
  [[nodiscard]] std::vector<QuarantineRecord> quarantined(
      std::optional<std::string_view> source_prefix) const override;
  [[nodiscard]] std::int64_t count_quarantined() const override;

  [[nodiscard]] std::optional<std::int64_t> feed_cursor(std::string_view feed) const override;
  void save_feed_cursor(std::string_view feed, std::int64_t position) override;

 private:
  struct Impl;  // keeps sqlite3.h out of this header
  std::unique_ptr<Impl> impl_;
};

}  // namespace ptwin::store
