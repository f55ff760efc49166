// SPDX-License-Identifier: Apache-2.0
#pragma once
// The twin's clinical outputs in `ptwin serve` (docs/serve.md#fhir-outputs), assembled from
// serve.fhir_outputs: the model gate (a stored verification record for this exact model, or
// the model's verification cases run at start-up), ptwin's FHIR facade over its own SQLite
// file with topic-based Subscriptions (mounted at base_path on the serve port), the output
// stage that writes RiskAssessment, Observation, DetectedIssue and Device resources to that
// facade, and the poster that PUTs them to the EHR when ehr_base_url is given.

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "ptwin/clinical/fhir/twin_output_stage.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/core/twin_config.hpp"
#include "ptwin/server/http/http_server.hpp"
#include "ptwin/twin/live/hypotension_risk_stage.hpp"
#include "ptwin/vv/gate/model_gate.hpp"

namespace ptwin::app {

/// Resources the facade writer handed on: written to the facade (2xx) or refused by it.
struct FacadeWriteCounts {
  std::uint64_t written = 0;
  std::uint64_t failed = 0;  // refused or failed (logged with the OperationOutcome)
};

class ServedFhirOutputs {
 public:
  /// Establishes the gate (runs the verification cases unless a record is configured), opens
  /// the facade's store and starts the EHR poster. Throws InputError for an unreadable record
  /// or FHIR package, Error for a store that cannot be opened.
  /// `alerts`: the twin's alert policy, whose notifications become DetectedIssues; `completion`
  /// is told when each input's outputs are written (the end_to_end latency).
  ServedFhirOutputs(const FhirOutputsConfig& config,
                    const twin::risk::HypotensionRiskSettings& model,
                    const twin::live::HypotensionRiskStage& risk,
                    clinical::alerts::RiskAlertEpisodes& alerts,
                    clinical::fhir::OutputCompletion& completion, const time::Clock& clock);
  ~ServedFhirOutputs();
  ServedFhirOutputs(const ServedFhirOutputs&) = delete;
  ServedFhirOutputs& operator=(const ServedFhirOutputs&) = delete;

  /// The output stage, to attach to the sample stream after the twin's update stage.
  [[nodiscard]] ingest::stream::SampleSink& stage();
  /// True for a request under base_path (the facade answers it).
  [[nodiscard]] bool is_fhir_request(const server::HttpRequest& request) const;
  [[nodiscard]] server::HttpResponse handle(const server::HttpRequest& request) const;
  /// Starts Subscription delivery once the serve port is known (origin "http://host:port").
  void start(const std::string& origin);
  /// Writes what the output queue holds, then drains the EHR queue (a few seconds at most) and
  /// stops delivery. Call after the feeds have stopped.
  void stop();

  [[nodiscard]] const vv::gate::ModelGate& gate() const;
  [[nodiscard]] std::string describe() const;
  /// Prometheus lines (counters of outputs written, posted, withheld) and the JSON for /status.
  void append_metrics(std::string& out) const;
  [[nodiscard]] nlohmann::json status() const;
  [[nodiscard]] LatencyHistogram::Snapshot output_latency() const;
  [[nodiscard]] LatencyHistogram::Snapshot queue_wait() const;

 private:
  void warm_up();

  struct Parts;
  std::unique_ptr<Parts> parts_;
  double warm_up_s_ = 0.0;
};

}  // namespace ptwin::app
