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
    LatencyHistogram end_to_end;  // recorded by EndToEndLatency, after every other stage
  };
  /// One pair of histograms per feed name; samples of another feed are a
  /// programming error.
  explicit StageLatencies(const std::vector<std::string>& feeds);
  void on_stored(const ingest::stream::StoredSamples& stored) override;
  [[nodiscard]] const Stages& of(std::string_view feed) const;
  void record_end_to_end(std::string_view feed, std::chrono::nanoseconds latency);

 private:
  [[nodiscard]] Stages& stages_of(std::string_view feed) const;
  std::map<std::string, std::unique_ptr<Stages>, std::less<>> feeds_;  // fixed after construction
};

/// end_to_end = the moment every stage attached before it has handled a stored batch - the
/// newest sample's source time stamp: the path from the source through transport, ingest, the
/// twin's update and its outputs. Attach it to the sample stream last (sinks run in
/// attachment order on the feed's thread). One value per stored input, into `latencies`.
class EndToEndLatency final : public ingest::stream::SampleSink {
 public:
  EndToEndLatency(StageLatencies& latencies, const time::Clock& clock)
      : latencies_(latencies), clock_(clock) {}
  void on_stored(const ingest::stream::StoredSamples& stored) override;

 private:
  StageLatencies& latencies_;
  const time::Clock& clock_;
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
