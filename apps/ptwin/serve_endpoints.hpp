// SPDX-License-Identifier: Apache-2.0
#pragma once
// ptwin serve's own HTTP endpoints (docs/serve.md#endpoints): /healthz
// (liveness), /metrics (Prometheus text exposition format 0.0.4) and /status
// (JSON), and the per-stage latency histograms they report, fed by the sample
// stream.

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/clinical/fhir/twin_output_stage.hpp"
#include "ptwin/core/latency_histogram.hpp"
#include "ptwin/server/http/http_server.hpp"
#include "ptwin/twin/live/hypotension_risk_stage.hpp"
#include "served_feed.hpp"

namespace ptwin::app {
class ServedFhirOutputs;
}  // namespace ptwin::app

namespace ptwin::app {

/// Per feed: transport = received_at - the newest sample's source time stamp
/// (the source's clock against ours: a negative value means the source clock
/// runs ahead, counted apart); ingest = stored_at - received_at. One value of
/// each per published input.
class StageLatencies final : public ingest::stream::SampleSink {
 public:
  struct Stages {
    LatencyHistogram transport;
    LatencyHistogram ingest;
    LatencyHistogram update;      // the feed thread's stages done (EndToEndLatency)
    LatencyHistogram end_to_end;  // the input's outputs written, or its update without output
  };
  /// One pair of histograms per feed name; samples of another feed are a
  /// programming error.
  explicit StageLatencies(const std::vector<std::string>& feeds);
  void on_stored(const ingest::stream::StoredSamples& stored) override;
  [[nodiscard]] const Stages& of(std::string_view feed) const;
  void record_update(std::string_view feed, std::chrono::nanoseconds latency);
  void record_end_to_end(std::string_view feed, std::chrono::nanoseconds latency);

 private:
  [[nodiscard]] Stages& stages_of(std::string_view feed) const;
  std::map<std::string, std::unique_ptr<Stages>, std::less<>> feeds_;  // fixed after construction
};

/// Per stored input, from the newest sample's source time stamp:
///   update = the moment every stage on the feed's thread (attached before this one) has
///   handled it: transport, ingest, the twin's update and its alert policy;
///   end_to_end = the moment its path ends: without an output stage, the update; with one
///   (serve.fhir_outputs), when the outputs it led to are written by the output stage's writer
///   thread (on_output_done), or at once when it led to none.
/// Attach it to the sample stream after the twin's stages and before the output stage (sinks
/// run in attachment order on the feed's thread).
class EndToEndLatency final : public ingest::stream::SampleSink,
                              public clinical::fhir::OutputCompletion {
 public:
  /// `has_output_stage`: an output stage reports end_to_end through on_output_done.
  EndToEndLatency(StageLatencies& latencies, const time::Clock& clock, bool has_output_stage)
      : latencies_(latencies), clock_(clock), has_output_stage_(has_output_stage) {}
  void on_stored(const ingest::stream::StoredSamples& stored) override;
  void on_output_done(std::string_view feed, time::Instant newest_sample,
                      bool has_output) override;

 private:
  StageLatencies& latencies_;
  const time::Clock& clock_;
  bool has_output_stage_;
};

/// What the endpoints report; every reference outlives the handler.
struct ServeView {
  const TwinConfig& config;
  const std::vector<std::unique_ptr<ServedFeed>>& feeds;
  const StageLatencies& latencies;
  const twin::live::HypotensionRiskStage& risk;
  const ingest::stream::SampleStream& stream;
  const store::Store& store;
  const time::Clock& clock;
  time::Instant started_at;
  const ServedFhirOutputs* outputs;  // nullptr without serve.fhir_outputs
};

[[nodiscard]] std::string prometheus_text(const ServeView& view);
[[nodiscard]] nlohmann::json status_json(const ServeView& view);
/// GET (or HEAD) /healthz, /metrics, /status; 404 elsewhere, 405 for other
/// methods.
[[nodiscard]] server::HttpHandler serve_endpoints(const ServeView& view);

}  // namespace ptwin::app
