// SPDX-License-Identifier: Apache-2.0
// `ptwin serve twin.yaml`: keeps a twin's data feeds alive until SIGINT or
// SIGTERM (docs/serve.md). Opens the twin's store, starts every feed its feeds:
// section declares (MQTT biosensors, an HL7 v2 MLLP listener, an EHR
// subscription), publishes what they store to the sample stream, and answers
// /healthz, /metrics and /status. On a stop signal the feeds are drained
// (everything received is stored or quarantined) and the command returns 0.

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "ptwin/core/twin_config.hpp"
#include "ptwin/ingest/stream/sample_stream.hpp"
#include "ptwin/server/http/http_server.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "risk_model_settings.hpp"
#include "serve_dashboard.hpp"
#include "serve_endpoints.hpp"
#include "serve_fhir_outputs.hpp"
#include "served_feed.hpp"
#include "stop_signals.hpp"

namespace ptwin::app {
namespace {

struct ServeOptions {
  std::string twin_file;
  std::filesystem::path dashboard_dir = default_dashboard_dir();
};

std::vector<std::unique_ptr<ServedFeed>> start_feeds(const FeedsSection& feeds,
                                                     const FeedContext& context) {
  std::vector<std::unique_ptr<ServedFeed>> started;
  if (feeds.mqtt) started.push_back(start_mqtt_feed(*feeds.mqtt, context));
  if (feeds.hl7v2) started.push_back(start_hl7v2_feed(*feeds.hl7v2, context));
  if (feeds.fhir_subscription) {
    started.push_back(start_fhir_subscription_feed(*feeds.fhir_subscription, context));
  }
  return started;
}

std::vector<clinical::alerts::AlertRule> alert_rules(const AlertsConfig& c) {
  return clinical::alerts::RiskAlertEpisodes::rules_from(
      {.raise = c.raise,
       .clear = c.clear,
       .minimum_duration = std::chrono::seconds(c.minimum_duration_s),
       .snooze = std::chrono::seconds(c.snooze_s),
       .worsening_margin = c.worsening_margin,
       .escalate_after = std::chrono::seconds(c.escalate_after_s),
       .max_level = c.max_level});
}

std::vector<std::string> declared_feeds(const FeedsSection& feeds) {
  std::vector<std::string> names;
  if (feeds.mqtt) names.emplace_back("mqtt");
  if (feeds.hl7v2) names.emplace_back("hl7v2");
  if (feeds.fhir_subscription) names.emplace_back("fhir_subscription");
  return names;
}

void run_serve(const ServeOptions& options) {
  StopSignals stop_signals;  // before any thread starts
  const TwinConfig config = load_twin_config(options.twin_file);
  time::SystemClock clock;
  const auto started_at = clock.now();
  store::SqliteStore store(config.store.path);
  ingest::stream::SampleStream stream;
  StageLatencies latencies(declared_feeds(config.feeds));
  stream.attach(latencies);
  // The twin's model: the defaults of docs/twin.md with twin.yaml's filter and recalibration.
  const twin::risk::HypotensionRiskSettings model = risk_model_settings(config.twin);
  twin::live::HypotensionRiskStage risk(model);    // the twin's update and forecast (docs/serve.md)
  stream.attach(risk);
  // One alert policy for the dashboard and the DetectedIssues (docs/serve.md#alerts).
  server::dashboard::RiskAlertBoard alerts(risk, alert_rules(config.serve.alerts), clock);
  stream.attach(alerts);  // after the twin: it reads the updated risk
  // update = every stage above done; end_to_end = the input's outputs written.
  EndToEndLatency end_to_end(latencies, clock, config.serve.fhir_outputs.has_value());
  stream.attach(end_to_end);
  // Clinical outputs after the update (docs/serve.md#fhir-outputs): gated, then FHIR, written by
  // the output stage's own thread so that the feeds do not wait for them.
  std::unique_ptr<ServedFhirOutputs> outputs;
  if (config.serve.fhir_outputs) {
    outputs = std::make_unique<ServedFhirOutputs>(*config.serve.fhir_outputs, model, risk, alerts,
                                                  end_to_end, clock);
    stream.attach(outputs->stage());
    fmt::print("ptwin serve: FHIR outputs: {}\n", outputs->describe());
  }
  ServeDashboard dashboard(risk, store, alerts, clock, options.dashboard_dir,
                           outputs ? &outputs->gate() : nullptr);
  auto feeds = start_feeds(config.feeds, FeedContext{store, stream, clock, store, config.store.path});
  const ServeView view{config, feeds,      latencies,   risk, stream, store,
                       clock,  started_at, outputs.get()};
  server::HttpHandler handler = dashboard.handler(serve_endpoints(view));
  if (outputs) {
    handler = [endpoints = std::move(handler), &outputs](const server::HttpRequest& request) {
      return outputs->is_fhir_request(request) ? outputs->handle(request) : endpoints(request);
    };
  }
  server::HttpServer http(
      server::HttpServerSettings{.address = config.serve.address,
                                 .port = static_cast<std::uint16_t>(config.serve.port),
                                 .threads = outputs ? 4 : 2,
                                 .max_body_bytes = outputs ? 1024U * 1024U : 64U * 1024U,
                                 .read_timeout = std::chrono::seconds(10),
                                 .idle_timeout = std::chrono::seconds(60)},
      std::move(handler));
  if (outputs) outputs->start(http.origin());
  fmt::print("ptwin serve: twin {} store {} filter {} recalibration {}\n", config.twin.id,
             config.store.path.string(), describe_filter(model), describe_recalibration(model));
  for (const auto& feed : feeds) {
    fmt::print("ptwin serve: feed {}: {}\n", feed->name(), feed->describe());
  }
  fmt::print("ptwin serve: {}\n", dashboard.describe(http.origin()));
  if (feeds.empty()) fmt::print("ptwin serve: no feeds declared (twin.yaml feeds:)\n");
  fmt::print("ptwin serve: HTTP at {} (/healthz /metrics /status{}); SIGINT or SIGTERM stops\n",
             http.origin(),
             outputs ? fmt::format(" {}", config.serve.fhir_outputs->base_path) : std::string());
  std::fflush(stdout);
  const int received = stop_signals.wait();
  fmt::print("ptwin serve: stopping on signal {}: draining feeds\n", received);
  std::fflush(stdout);
  for (const auto& feed : feeds) feed->stop();
  for (const auto& feed : feeds) {
    const auto c = feed->counts();
    fmt::print("ptwin serve: feed {}: received {} accepted {} quarantined {} not_stored {} "
               "pending {} samples {}\n",
               feed->name(), c.received, c.accepted, c.quarantined, c.not_stored, c.pending,
               c.samples_stored);
  }
  if (outputs) {
    outputs->stop();  // writes the output queue, then drains the EHR queue for a few seconds
    fmt::print("ptwin serve: FHIR outputs: {}\n", outputs->status()["outputs"].dump());
  }
  http.stop();
  feeds.clear();
  fmt::print("ptwin serve: stopped\n");
}

}  // namespace

Command register_serve(CLI::App& app) {
  auto options = std::make_shared<ServeOptions>();
  auto* sub = app.add_subcommand("serve",
                                 "Keep a twin's data feeds alive until SIGINT or SIGTERM: the "
                                 "MQTT biosensor topics, the "
                                 "HL7 v2 MLLP listener and the EHR subscription (FHIR R5 "
                                 "rest-hook) declared in the feeds: "
                                 "section of twin.yaml, all writing to the twin's store and bad "
                                 "input to its quarantine. "
                                 "Answers /healthz, /metrics (Prometheus: per-feed counters, "
                                 "transport and ingest latency "
                                 "histograms), /status (JSON) and the web dashboard "
                                 "(/dashboard/, API /api/, docs/dashboard.md) at the serve: "
                                 "address. On a "
                                 "stop signal every feed is "
                                 "drained and the exit code is 0. See docs/serve.md.");
  sub->add_option("twin", options->twin_file, "the twin declaration (twin.yaml)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--dashboard-dir", options->dashboard_dir,
                  "the dashboard's built assets (docs/dashboard.md)")
      ->capture_default_str();
  return {sub, [options] { run_serve(*options); }};
}

}  // namespace ptwin::app
