// SPDX-License-Identifier: Apache-2.0
#pragma once
// The output stage of `ptwin serve` (docs/serve.md#fhir-outputs), attached to the sample
// stream after the twin's update stage and its alert episodes: after each update it decides,
// per patient, whether the new estimate is written out, and hands that work to its own writer
// thread, which asks the model gate and hands the FHIR resources to an OutputWriter:
//   - a RiskAssessment (5 and 15 min) and the estimated SVR and CO Observations at most once
//     per `risk_interval` of data time per patient, on the patient's own grid of data time
//     (output_schedule.hpp: twins started together do not all write at once), and at once whenever the twin's alert
//     policy (RiskAlertEpisodes, shared with the dashboard) raises, re-raises, escalates or
//     clears an alert;
//   - a DetectedIssue for each such notification, the episode's (its id derives from patient,
//     rule and the episode's alert id), pointing at the RiskAssessment written with it;
//   - the model's Device before the first output;
//   - when a clinician acknowledges an alert (RiskAlertEpisodes::acknowledge, the dashboard),
//     the episode's DetectedIssue again, as last written, with the acknowledgement as a
//     mitigation entry; every later version of it keeps its acknowledgements. The rewrite goes
//     through the same writer thread and OutputWriter (so the facade's Subscriptions and the
//     EHR get it); an episode whose DetectedIssue is not written yet gets the mitigation when
//     it is.
// RiskAssessment.basis lists the Observations (at most kMaxBasis, the latest) whose MAP and CO
// went into the assessment since the previous one, where a sample names one (samples of the
// EHR subscription feed: source "fhir:Observation/<id>"); samples of other feeds have none.
// Throttling follows the data's time (a replay gives the same outputs). A model the gate does
// not admit emits nothing: every resource it would have written is counted as withheld.
//
// The queue between the feeds and the writer thread holds at most `queue_capacity` outputs,
// first in, first out. The writer takes everything waiting (at most kMaxWriteBatch outputs) and
// hands it to the OutputWriter in one call (one transaction for the facade). When the queue is
// full, an update for a patient that already has an output waiting is merged into the newest
// one (counted as coalesced): the latest risk and estimate replace the older ones, its alert
// notifications and basis are added, so no DetectedIssue is lost and what is written is the
// newest state. A patient with nothing waiting makes the feed wait for room (counted, with the
// time waited). Nothing is dropped; stop() writes everything queued.
// Thread-safe (feeds call on_stored concurrently).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "ptwin/clinical/alerts/risk_alert_episodes.hpp"
#include "ptwin/clinical/fhir/model_provenance.hpp"
#include "ptwin/clinical/fhir/output_writer.hpp"
#include "ptwin/core/latency_histogram.hpp"
#include "ptwin/ingest/stream/sample_stream.hpp"
#include "ptwin/twin/live/hypotension_risk_stage.hpp"
#include "ptwin/vv/gate/model_gate.hpp"

namespace ptwin::clinical::fhir {

struct TwinOutputSettings {
  std::chrono::seconds risk_interval{60};
  twin::risk::HypotensionRiskSettings model;  // the event definition written in the outputs
  /// Outputs (one patient's update each) waiting for the writer thread, >= 1.
  std::size_t queue_capacity = 1024;
};

struct TwinOutputCounts {
  std::uint64_t risk_assessments = 0;  // handed to the writer
  std::uint64_t observations = 0;
  std::uint64_t detected_issues = 0;
  std::uint64_t devices = 0;
  std::uint64_t withheld = 0;   // resources the gate did not admit
  std::uint64_t throttled = 0;  // updates with no output (inside the interval, no alert)
  std::uint64_t queued = 0;     // outputs put on the queue (a coalesced one counts once)
  std::uint64_t coalesced = 0;  // updates merged into a waiting output (queue full)
  std::uint64_t queue_full_waits = 0;  // feeds that waited for room
  std::uint64_t queue_depth = 0;       // outputs waiting now (not counting those in hand)
  std::uint64_t write_batches = 0;     // calls to the OutputWriter
  std::uint64_t writer_failures = 0;   // outputs whose building or writing threw (logged)
};

/// Told when the path of a stored batch through the output stage ends: when its outputs were
/// handed to the writer and it returned, or at once when the batch led to no output. Called
/// once per batch that held samples, on the writer's thread or the feed's.
class OutputCompletion {
 public:
  OutputCompletion() = default;
  OutputCompletion(const OutputCompletion&) = delete;
  OutputCompletion& operator=(const OutputCompletion&) = delete;
  virtual ~OutputCompletion() = default;
  /// `feed`: the batch's feed; `newest_sample`: its newest sample's time stamp;
  /// `has_output`: whether outputs were written for it.
  virtual void on_output_done(std::string_view feed, time::Instant newest_sample,
                              bool has_output) = 0;
};

class TwinOutputStage final : public ingest::stream::SampleSink,
                              private alerts::AlertListener {
 public:
  /// Outputs the writer thread takes from the queue for one OutputWriter call.
  static constexpr std::size_t kMaxWriteBatch = 64;

  /// References must outlive the stage; the stage registers with `alerts` as a listener (so
  /// construct it before the first batch). `completion` may be null. Starts the writer thread.
  /// Throws InputError naming the field for an interval below 1 s or a capacity of 0.
  TwinOutputStage(const twin::live::HypotensionRiskStage& risk, vv::gate::ModelGate& gate,
                  OutputWriter& writer, alerts::RiskAlertEpisodes& alerts,
                  TwinOutputSettings settings, OutputCompletion* completion = nullptr);
  /// stop().
  ~TwinOutputStage() override;
  TwinOutputStage(const TwinOutputStage&) = delete;
  TwinOutputStage& operator=(const TwinOutputStage&) = delete;

  void on_stored(const ingest::stream::StoredSamples& stored) override;

  /// Returns once nothing is queued or being written (under a steady load it may wait for
  /// later outputs too). Thread-safe.
  void flush();
  /// Writes everything queued, then ends the writer thread; later batches are written on the
  /// caller's thread. Idempotent.
  void stop();

  /// One output of a synthetic patient ("warm-up", its twin started from a MAP and a cardiac
  /// output) as the writer thread builds it: the Device, a RiskAssessment, the Observations and
  /// a DetectedIssue of the first rule. Not counted and not written: for warming a writer's
  /// path (validation, indexes) at start-up, so that the first real output does not pay for it.
  [[nodiscard]] std::vector<nlohmann::json> example_outputs() const;

  [[nodiscard]] TwinOutputCounts counts() const;
  /// From a stored batch (the first of a coalesced output) to its outputs written (only
  /// batches with output): the queue wait included.
  [[nodiscard]] LatencyHistogram::Snapshot output_latency() const { return latency_.snapshot(); }
  /// Time a feed waited for room in a full queue (only waits).
  [[nodiscard]] LatencyHistogram::Snapshot queue_wait() const { return queue_wait_.snapshot(); }

 private:
  struct BatchStamp {
    std::string feed;
    time::Instant newest_sample{};
  };
  /// One patient's output waiting for the writer.
  struct PendingOutput {
    twin::live::PatientRisk patient;
    std::vector<alerts::AlertNotification> notifications;
    std::vector<std::string> basis;
    std::vector<BatchStamp> batches;  // inputs whose path ends when this is written
    std::chrono::steady_clock::time_point first_queued{};
  };
  struct PatientOutputs {
    time::Instant seen_to{};                 // the last update looked at
    std::optional<time::Instant> last_risk;  // data time of the last RiskAssessment
    time::Instant next_due{};                // of the next periodic one (output_schedule.hpp)
    std::vector<std::string> basis;          // input Observations since the last one
    std::vector<alerts::AlertNotification> notifications;  // not yet planned
  };

  /// The DetectedIssue of an alert episode as last handed to the writer (to write it again).
  struct WrittenIssue {
    alerts::AlertNotification notification;
    std::optional<std::string> evidence;
    std::size_t acknowledgements = 0;  // mitigations it carried
  };

  void on_alerts(std::span<const alerts::AlertNotification> notifications) override;
  void on_acknowledged(const alerts::AlertAcknowledgement& acknowledgement) override;
  /// The acknowledgements of episode `alert_id` so far (takes mutex_).
  [[nodiscard]] std::vector<alerts::AlertAcknowledgement> acknowledgements_of(
      std::uint64_t alert_id) const;
  /// Remembers the DetectedIssues of an admitted output (forgets cleared episodes). Under
  /// write_mutex_.
  void remember_issues(const PendingOutput& output, const std::vector<nlohmann::json>& built);
  /// Writes the DetectedIssues of acknowledged episodes again, with their mitigations; on the
  /// writer thread (or the caller's after stop()).
  void write_acknowledged(const std::vector<std::uint64_t>& alert_ids);
  /// Remembers the FHIR Observations the batch's MAP and CO samples came from.
  void collect_basis(const ingest::stream::StoredSamples& stored);
  /// The output due for one patient's update, or none. Under mutex_.
  std::optional<PendingOutput> plan(const twin::live::PatientRisk& patient,
                                    PatientOutputs& state);
  /// Puts `output` on the queue (merging, or waiting for room); may release `lock` meanwhile.
  void enqueue(std::unique_lock<std::mutex>& lock, PendingOutput output);
  void run_writer();
  /// Builds and writes outputs in one OutputWriter call; on the writer thread (or the caller's
  /// after stop()).
  void write(std::vector<PendingOutput>& outputs);
  [[nodiscard]] std::vector<nlohmann::json> resources_of(PendingOutput& output) const;
  /// The model as every output names it (with the digest of its recalibration maps, if any).
  [[nodiscard]] ModelProvenance provenance() const;

  const twin::live::HypotensionRiskStage& risk_;
  vv::gate::ModelGate& gate_;
  OutputWriter& writer_;
  alerts::RiskAlertEpisodes& alerts_;
  TwinOutputSettings settings_;
  OutputCompletion* completion_;
  mutable std::mutex mutex_;
  std::condition_variable has_work_;
  std::condition_variable has_room_;  // also: an output was written (flush)
  std::map<std::string, PatientOutputs, std::less<>> patients_;
  std::deque<PendingOutput> queue_;  // first queued first
  std::deque<std::uint64_t> acknowledged_;  // episodes whose DetectedIssue is due again
  std::map<std::uint64_t, std::vector<alerts::AlertAcknowledgement>> acknowledgements_;
  std::uint64_t in_hand_ = 0;        // outputs taken from the queue, not yet written
  bool is_stopping_ = false;
  bool is_device_offered_ = false;  // the writer's alone
  TwinOutputCounts counts_;
  LatencyHistogram latency_;
  LatencyHistogram queue_wait_;
  std::mutex write_mutex_;  // one writer at a time (the thread, or callers after stop)
  std::map<std::uint64_t, WrittenIssue> written_issues_;  // by alert id; under write_mutex_
  std::thread writer_thread_;
};

}  // namespace ptwin::clinical::fhir
