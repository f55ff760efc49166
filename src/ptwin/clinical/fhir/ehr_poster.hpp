// SPDX-License-Identifier: Apache-2.0
#pragma once
// Sends the twin's FHIR outputs to the EHR (docs/serve.md#fhir-outputs): a queue drained by
// one thread that owns the FHIR client, each resource PUT to [base]/[type]/[id]
// (update-as-create: a resend updates, never duplicates). A failed PUT is counted and retried
// with a doubling back-off (1 s up to max_backoff) until it succeeds: nothing is dropped while
// the poster runs. At stop() what is still queued is counted as not_posted and logged; with a
// spool it is sent by the next run, and it stays in ptwin's own FHIR store in any case.
// A 4xx answer other than 408/429 is the EHR refusing the resource: retrying cannot help, so
// it is counted as rejected and logged with the server's OperationOutcome.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "ptwin/clinical/fhir/output_spool.hpp"
#include "ptwin/ingest/fhir/client/fhir_client.hpp"

namespace ptwin::clinical::fhir {

struct EhrPosterCounts {
  std::uint64_t posted = 0;           // PUTs answered 2xx
  std::uint64_t failed_attempts = 0;  // PUTs that failed and were retried
  std::uint64_t rejected = 0;         // refused by the EHR (4xx), not retried
  std::uint64_t pending = 0;          // queued now
  std::uint64_t not_posted = 0;       // still queued at stop (kept in the spool, if any)
  std::uint64_t resumed = 0;          // queued from the spool of an earlier run
  std::uint64_t spool_failures = 0;   // spool writes that failed (logged)
};

class EhrPoster {
 public:
  /// Starts the thread; the client is created on it (connection errors come later, as failed
  /// attempts). With a spool (output_spool.hpp) the queue is kept on disk, and what an earlier
  /// run left unposted is queued first. Throws what OutputSpool throws.
  explicit EhrPoster(ingest::fhir::FhirClientSettings client,
                     std::chrono::milliseconds max_backoff = std::chrono::seconds(30),
                     std::optional<std::filesystem::path> spool = std::nullopt);
  ~EhrPoster();
  EhrPoster(const EhrPoster&) = delete;
  EhrPoster& operator=(const EhrPoster&) = delete;

  void enqueue(nlohmann::json resource);
  /// Waits up to `grace` for the queue to drain, then stops the thread.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  [[nodiscard]] EhrPosterCounts counts() const;
  [[nodiscard]] const std::string& base_url() const { return settings_.base_url; }

 private:
  void run();

  ingest::fhir::FhirClientSettings settings_;
  std::chrono::milliseconds max_backoff_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::unique_ptr<OutputSpool> spool_;    // nullptr: the queue is in memory only
  std::deque<OutputSpool::Entry> queue_;  // number 0 without a spool
  EhrPosterCounts counts_;
  bool is_stopping_ = false;
  std::thread thread_;  // started once the queue holds what the spool resumed
};

}  // namespace ptwin::clinical::fhir
