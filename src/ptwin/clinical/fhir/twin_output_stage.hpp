// SPDX-License-Identifier: Apache-2.0
#pragma once
// The output stage of `ptwin serve` (docs/serve.md#fhir-outputs), attached to the sample
// stream after the twin's update stage: after each update it decides, per patient, whether the
// new estimate is written out, asks the model gate, and hands the FHIR resources to an
// OutputWriter:
//   - a RiskAssessment (5 and 15 min) and the estimated SVR and CO Observations at most once
//     per `risk_interval` of data time per patient, and at once whenever the alert policy
//     raises, re-raises, escalates or clears the hypotension-risk alert (15-min risk against
//     alert_raise / alert_clear with hysteresis and minimum duration, clinical/alerts);
//   - a DetectedIssue for each such alert notification, pointing at the RiskAssessment;
//   - the model's Device before the first output.
// RiskAssessment.basis lists the Observations (at most kMaxBasis, the latest) whose MAP and CO
// went into the assessment since the previous one, where a sample names one (samples of the
// EHR subscription feed: source "fhir:Observation/<id>"); samples of other feeds have none.
// Throttling follows the data's time (a replay gives the same outputs). A model the gate does
// not admit emits nothing: every resource it would have written is counted as withheld.
// Thread-safe (feeds call it concurrently).

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "ptwin/clinical/alerts/alert_policy.hpp"
#include "ptwin/clinical/fhir/output_writer.hpp"
#include "ptwin/core/latency_histogram.hpp"
#include "ptwin/ingest/stream/sample_stream.hpp"
#include "ptwin/twin/live/hypotension_risk_stage.hpp"
#include "ptwin/vv/gate/model_gate.hpp"

namespace ptwin::clinical::fhir {

struct TwinOutputSettings {
  std::chrono::seconds risk_interval{60};
  double alert_raise = 0.5;  // 15-min probability
  double alert_clear = 0.3;
  std::chrono::seconds alert_minimum_duration{60};
  twin::risk::HypotensionRiskSettings model;  // the event definition written in the outputs
};

struct TwinOutputCounts {
  std::uint64_t risk_assessments = 0;  // handed to the writer
  std::uint64_t observations = 0;
  std::uint64_t detected_issues = 0;
  std::uint64_t devices = 0;
  std::uint64_t withheld = 0;   // resources the gate did not admit
  std::uint64_t throttled = 0;  // updates with no output (inside the interval, no alert)
};

class TwinOutputStage final : public ingest::stream::SampleSink {
 public:
  /// References must outlive the stage. Throws InputError naming the field for an interval
  /// below 1 s or thresholds not 0 < clear < raise < 1.
  TwinOutputStage(const twin::live::HypotensionRiskStage& risk, vv::gate::ModelGate& gate,
                  OutputWriter& writer, TwinOutputSettings settings);

  void on_stored(const ingest::stream::StoredSamples& stored) override;

  [[nodiscard]] TwinOutputCounts counts() const;
  /// From a stored batch to its outputs handed to the writer (only batches with output).
  [[nodiscard]] LatencyHistogram::Snapshot output_latency() const { return latency_.snapshot(); }

 private:
  struct PatientOutputs {
    time::Instant seen_to{};                 // the last update looked at
    std::optional<time::Instant> last_risk;  // data time of the last RiskAssessment
    std::vector<std::string> basis;          // input Observations since the last one
  };
  /// Remembers the FHIR Observations the batch's MAP and CO samples came from.
  void collect_basis(const ingest::stream::StoredSamples& stored);
  /// The resources for one patient's update, or none.
  std::vector<nlohmann::json> plan(const twin::live::PatientRisk& patient, PatientOutputs& state);

  const twin::live::HypotensionRiskStage& risk_;
  vv::gate::ModelGate& gate_;
  OutputWriter& writer_;
  TwinOutputSettings settings_;
  mutable std::mutex mutex_;
  alerts::AlertPolicy policy_;
  std::map<std::string, PatientOutputs, std::less<>> patients_;
  bool is_device_offered_ = false;
  TwinOutputCounts counts_;
  LatencyHistogram latency_;
};

}  // namespace ptwin::clinical::fhir
