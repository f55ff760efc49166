// SPDX-License-Identifier: Apache-2.0
#pragma once
// The store zone's one interface: everything the engine persists goes through it. Backends:
// SqliteStore (embedded default); a PostgreSQL backend implements the same interface.
// Code in other zones takes a `Store&` in its constructor and never names a backend.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ptwin/core/sample.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/store/patient_record.hpp"
#include "ptwin/store/quarantine_entry.hpp"
#include "ptwin/store/result_series.hpp"
#include "ptwin/store/run_record.hpp"
#include "ptwin/store/simulation_run.hpp"

namespace ptwin::store {

/// Persistent storage of patients, samples, simulation runs and quarantined input.
///
/// Contract shared by every backend:
/// - Every write is durable when the call returns (the backend's durability setting says
///   against what: process crash or power loss) and atomic: a call that throws has changed
///   nothing.
/// - Records are validated with the `validate()` of their header before anything is written;
///   invalid records throw InputError naming the field and the value.
/// - Failures of the database itself throw Error(ErrorCode::StoreFailure) naming the operation.
/// - Times are UTC instants with nanosecond resolution; they round-trip exactly.
/// - Thread-safety is stated by each backend.
class Store {
 public:
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  Store(Store&&) = delete;
  Store& operator=(Store&&) = delete;

  // --- patients -------------------------------------------------------------------------

  /// Inserts the patient, or replaces the stored version with the same id.
  virtual void upsert_patient(const PatientRecord& patient) = 0;

  /// The patient with this id, or nullopt when there is none.
  [[nodiscard]] virtual std::optional<PatientRecord> find_patient(
      std::string_view patient_id) const = 0;

  // --- samples --------------------------------------------------------------------------

  /// Appends all samples in one transaction: either every sample is stored or none is.
  /// Samples are not deduplicated (removing duplicates is ingest's policy, not the store's).
  /// A sample that breaks a constraint (empty patient id or code, non-finite value) makes
  /// the whole batch fail with StoreFailure naming its index in the batch.
  virtual void append_samples(std::span<const Sample> samples) = 0;

  /// Samples of one patient and code with `from <= time < to`, ordered by time, then by
  /// insertion. Throws InputError when `from > to`.
  [[nodiscard]] virtual std::vector<Sample> samples(std::string_view patient_id,
                                                    std::string_view code, time::Instant from,
                                                    time::Instant to) const = 0;

  /// Number of samples stored, over all patients.
  [[nodiscard]] virtual std::int64_t count_samples() const = 0;

  // --- simulation runs ------------------------------------------------------------------

  /// Records a new run in status Running and returns its id (positive, unique in the store).
  [[nodiscard]] virtual RunId begin_run(const SimulationRun& run) = 0;

  /// Adds one output variable to a Running run. Throws Error(NotFound) for an unknown run,
  /// InputError for a run that has finished, for an invalid series, or for a variable the
  /// run already has.
  virtual void append_result_series(RunId run_id, const ResultSeries& series) = 0;

  /// Ends a Running run. Throws Error(NotFound) for an unknown run and InputError for a run
  /// that has already finished or an invalid outcome.
  virtual void finish_run(RunId run_id, const RunOutcome& outcome) = 0;

  /// The run with this id, or nullopt when there is none.
  [[nodiscard]] virtual std::optional<RunRecord> find_run(RunId run_id) const = 0;

  /// Every run of one patient, oldest first (by started_at, then id).
  [[nodiscard]] virtual std::vector<RunRecord> list_runs(std::string_view patient_id) const = 0;

  /// Every output variable of a run, in the order they were appended (empty for a run
  /// that has none yet). Throws Error(NotFound) for an unknown run.
  [[nodiscard]] virtual std::vector<ResultSeries> result_series(RunId run_id) const = 0;

  /// One output variable of a run, or nullopt when the run has no such variable. Throws
  /// Error(NotFound) for an unknown run.
  [[nodiscard]] virtual std::optional<ResultSeries> find_result_series(
      RunId run_id, std::string_view variable) const = 0;

  // --- quarantine -----------------------------------------------------------------------

  /// Keeps rejected input, byte-exact, and returns its id (positive, increasing).
  virtual QuarantineId quarantine(const QuarantineEntry& entry) = 0;

  /// Quarantined entries, oldest first; only those whose source starts with
  /// `source_prefix` when one is given (e.g. "fhir:" or "mqtt:icu/bed4").
  [[nodiscard]] virtual std::vector<QuarantineRecord> quarantined(
      std::optional<std::string_view> source_prefix) const = 0;

  /// Number of quarantined entries.
  [[nodiscard]] virtual std::int64_t count_quarantined() const = 0;

 protected:
  Store() = default;
};

}  // namespace ptwin::store
