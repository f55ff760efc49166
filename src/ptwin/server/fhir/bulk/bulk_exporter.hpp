// SPDX-License-Identifier: Apache-2.0
#pragma once
// Runs Bulk Data $export jobs (FHIR Bulk Data Access IG v2) off the request threads: one
// worker thread takes accepted jobs in order and writes each requested type's resources as
// NDJSON files under <directory>/<job id>/, split at a size limit. Jobs are durable: the job
// row (store, fhir_export_jobs) holds the request, the state and the files of the types
// finished so far, saved after every type (the count of a type in progress is kept in memory). A job that a stop or crash interrupted is taken up again by the next
// exporter opened on the same database: the types it had finished are kept, the type it was
// writing is started again (its partial files removed), so no resource is written twice.
// transactionTime is fixed at kick-off and bounds the export (lastUpdated <= transactionTime),
// so a restarted job exports the same resources.
//
// Thread-safety: every public function may be called from any thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/indexing/index_extractor.hpp"
#include "ptwin/server/fhir/bulk/export_request.hpp"
#include "ptwin/server/fhir/bulk/ndjson_file_set.hpp"
#include "ptwin/server/fhir/bulk/patient_compartment.hpp"
#include "ptwin/store/fhir/resource_store.hpp"

namespace ptwin::server::fhir::bulk {

enum class JobState { Accepted, Running, Completed, Failed };
[[nodiscard]] std::string_view to_code(JobState state) noexcept;

/// Where a job is, as the status endpoint reports it.
struct JobProgress {
  std::size_t next_type = 0;        // index into the request's types of the type being written
  std::int64_t resources = 0;       // resources written in finished types
  std::vector<OutputFile> output;   // files of finished types
  std::vector<OutputFile> error;    // OperationOutcome files
  std::string message;              // why a job failed
};

struct ExportJob {
  std::string id;
  JobState state = JobState::Accepted;
  ExportRequest request;
  JobProgress progress;
  time::Instant transaction_time{};
};

struct BulkExportSettings {
  std::filesystem::path directory;                    // created if absent
  std::uint64_t max_file_bytes = 16U * 1024U * 1024U;  // output files are split at this size
  std::int64_t page_size = 1000;                      // resources read per store transaction
  std::chrono::seconds retry_after{2};                // Retry-After while a job runs
  /// Called on the worker thread after each page is written (job id, resources written in the
  /// job so far). For metrics and tests; keep it short, it holds up the job.
  std::function<void(const std::string&, std::int64_t)> on_page;
};

class BulkExporter {
 public:
  /// `store`, `clock` (the clock that stamps the store's lastUpdated) and `definitions` (the
  /// search parameters of _typeFilter, the Patient CompartmentDefinition) must outlive the
  /// exporter. `resource_types` (sorted) are those _type may name. Resumes every job the store
  /// holds as accepted or running. Throws InputError for a page_size outside 1..1000 or
  /// max_file_bytes 0, or when the package has no Patient CompartmentDefinition, Error(Io)
  /// when the directory cannot be created.
  BulkExporter(store::fhir::ResourceStore& store, const time::Clock& clock,
               const ingest::fhir::definitions::Definitions& definitions,
               std::vector<std::string> resource_types, BulkExportSettings settings);
  /// stop().
  ~BulkExporter();
  BulkExporter(const BulkExporter&) = delete;
  BulkExporter& operator=(const BulkExporter&) = delete;

  /// Checks what parse_export_request leaves to the exporter, then stores a new job (state
  /// accepted) and queues it; returns its id. Group level: reads the Group (`request.group_id`)
  /// and fixes its Patient members (those in `request.patients`, if given) in the job. Throws
  /// FhirError: 400 for a _typeFilter with search parameters the type does not have (all of
  /// them named) or a value they refuse; 404 for a missing Group; 400 for a Group with a
  /// member that is not a Patient (naming it).
  [[nodiscard]] std::string kick_off(ExportRequest request);
  /// The job as stored, or nullopt when there is no such job.
  [[nodiscard]] std::optional<ExportJob> job(std::string_view id);
  /// Cancels a job (running or not) or deletes a finished one: its row and files go. Returns
  /// false when there is no such job.
  bool cancel(std::string_view id);
  /// The path of an output or error file of a completed job, or nullopt.
  [[nodiscard]] std::optional<std::filesystem::path> file(std::string_view id,
                                                          std::string_view name);

  /// Asks the worker to stop after the page it is writing, without waiting (callable from
  /// on_page); unfinished jobs stay in the store for the next exporter.
  void request_stop();
  /// request_stop() and waits for the worker to end.
  void stop();

  [[nodiscard]] const std::vector<std::string>& resource_types() const { return types_; }
  [[nodiscard]] const PatientCompartment& patient_compartment() const { return compartment_; }
  [[nodiscard]] const BulkExportSettings& settings() const { return settings_; }

 private:
  void work();
  void run(ExportJob job);
  /// Exports one type; returns false when stopped or cancelled midway.
  bool export_type(ExportJob& job, const std::string& type);
  /// Saves the job unless it was cancelled; returns false if it was.
  bool save(const ExportJob& job);
  [[nodiscard]] bool should_stop(const std::string& id);
  /// The _typeFilter searches of `type` as store criteria (each filter one ANDed list).
  [[nodiscard]] std::vector<std::vector<store::fhir::Criterion>> filters_of(
      const ExportRequest& request, const std::string& type) const;
  /// The ids of the Patient members of Group `id`; throws FhirError (404, 400).
  [[nodiscard]] std::vector<std::string> group_patients(const std::string& id,
                                                        const std::string& base_url);

  store::fhir::ResourceStore& store_;
  const time::Clock& clock_;
  const ingest::fhir::definitions::Definitions& definitions_;  // _elements
  ingest::fhir::indexing::IndexExtractor search_parameters_;
  PatientCompartment compartment_;
  std::vector<std::string> types_;
  BulkExportSettings settings_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;
  std::set<std::string, std::less<>> cancelled_;
  std::map<std::string, std::int64_t, std::less<>> live_resources_;  // running jobs, per page
  bool is_stopping_ = false;
  std::thread worker_;
};

}  // namespace ptwin::server::fhir::bulk
