// SPDX-License-Identifier: Apache-2.0
#include "serve_endpoints.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "ptwin/core/assert.hpp"
#include "ptwin/core/latency_exposition.hpp"
#include "ptwin/core/units.hpp"
#include "serve_fhir_outputs.hpp"

namespace ptwin::app {
namespace {

double seconds_between(time::Instant from, time::Instant to) {
  return static_cast<double>((to - from).count()) * 1e-9;
}

// One Prometheus histogram (cumulative `le` buckets, _sum, _count) of one feed
// and stage.
void append_histogram(std::string& out, std::string_view feed, std::string_view stage,
                      const LatencyHistogram::Snapshot& snapshot) {
  append_prometheus_histogram(out, "ptwin_stage_latency_seconds",
                              fmt::format("feed=\"{}\",stage=\"{}\"", feed, stage), snapshot);
}

void append_counter(std::string& out, std::string_view name, std::string_view help,
                    std::string_view type,
                    const std::vector<std::pair<std::string_view, std::uint64_t>>& values) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  for (const auto& [feed, value] : values) {
    fmt::format_to(std::back_inserter(out), "{}{{feed=\"{}\"}} {}\n", name, feed, value);
  }
}

nlohmann::json latency_json(const LatencyHistogram::Snapshot& snapshot) {
  nlohmann::json out{{"count", snapshot.count}, {"negative", snapshot.negative}};
  out["p50_s"] = snapshot.count == 0 ? nlohmann::json() : nlohmann::json(*snapshot.quantile_s(0.5));
  out["p99_s"] =
      snapshot.count == 0 ? nlohmann::json() : nlohmann::json(*snapshot.quantile_s(0.99));
  return out;
}

constexpr double kMmHg = units::kPaPerMmHg;

nlohmann::json forecast_json(const twin::risk::HypotensionForecast& f) {
  return {{"probability", f.probability},
          {"raw_probability", f.raw_probability},
          {"recalibration", twin::risk::to_string(f.recalibration)},
          {"map_mmhg", {{"p05", f.mean_arterial_pressure_pa.p05 / kMmHg},
                        {"p50", f.mean_arterial_pressure_pa.p50 / kMmHg},
                        {"p95", f.mean_arterial_pressure_pa.p95 / kMmHg}}},
          {"cardiac_output_l_min", {{"p05", f.cardiac_output_m3_per_s.p05 * 6e4},
                                    {"p50", f.cardiac_output_m3_per_s.p50 * 6e4},
                                    {"p95", f.cardiac_output_m3_per_s.p95 * 6e4}}}};
}

// The twin's stage: risk and forecasts per patient, sample outcomes, and inference latency.
void append_twin_metrics(std::string& out, const twin::live::HypotensionRiskStage& risk) {
  const auto patients = risk.snapshot();
  out += "# HELP ptwin_twin_hypotension_risk Probability of MAP < 65 mmHg for >= 1 min within "
         "the horizon.\n# TYPE ptwin_twin_hypotension_risk gauge\n";
  for (const auto& p : patients) {
    fmt::format_to(std::back_inserter(out),
                   "ptwin_twin_hypotension_risk{{patient=\"{}\",horizon=\"5m\"}} {:.6g}\n"
                   "ptwin_twin_hypotension_risk{{patient=\"{}\",horizon=\"15m\"}} {:.6g}\n",
                   p.patient_id, p.in_5_min.probability, p.patient_id, p.in_15_min.probability);
  }
  out += "# HELP ptwin_twin_samples_total Samples the twin received, by what it did with them.\n"
         "# TYPE ptwin_twin_samples_total counter\n";
  for (const auto& p : patients) {
    for (const auto& [outcome, value] : {std::pair{"assimilated", p.assimilated},
                                         std::pair{"gated", p.gated}, std::pair{"refused", p.refused}}) {
      fmt::format_to(std::back_inserter(out),
                     "ptwin_twin_samples_total{{patient=\"{}\",outcome=\"{}\"}} {}\n",
                     p.patient_id, outcome, value);
    }
  }
}

}  // namespace

StageLatencies::StageLatencies(const std::vector<std::string>& feeds) {
  for (const auto& feed : feeds) feeds_.emplace(feed, std::make_unique<Stages>());
}

void StageLatencies::on_stored(const ingest::stream::StoredSamples& stored) {
  Stages& stages = stages_of(stored.feed);
  if (!stored.samples.empty()) {
    const auto newest =
        std::max_element(stored.samples.begin(), stored.samples.end(),
                         [](const Sample& a, const Sample& b) { return a.time < b.time; });
    stages.transport.record(stored.received_at - newest->time);
  }
  stages.ingest.record(stored.stored_at - stored.received_at);
}

void StageLatencies::record_update(std::string_view feed, std::chrono::nanoseconds latency) {
  stages_of(feed).update.record(latency);
}

void StageLatencies::record_end_to_end(std::string_view feed, std::chrono::nanoseconds latency) {
  stages_of(feed).end_to_end.record(latency);
}

void EndToEndLatency::on_stored(const ingest::stream::StoredSamples& stored) {
  if (stored.samples.empty()) return;
  const auto newest =
      std::max_element(stored.samples.begin(), stored.samples.end(),
                       [](const Sample& a, const Sample& b) { return a.time < b.time; });
  const auto latency = clock_.now() - newest->time;
  latencies_.record_update(stored.feed, latency);
  if (!has_output_stage_) latencies_.record_end_to_end(stored.feed, latency);
}

void EndToEndLatency::on_output_done(std::string_view feed, time::Instant newest_sample,
                                     bool /*has_output*/) {
  latencies_.record_end_to_end(feed, clock_.now() - newest_sample);
}

const StageLatencies::Stages& StageLatencies::of(std::string_view feed) const {
  return stages_of(feed);
}

// The map never changes after construction, and the histograms are thread-safe.
StageLatencies::Stages& StageLatencies::stages_of(std::string_view feed) const {
  const auto found = feeds_.find(feed);
  PTWIN_ASSERT(found != feeds_.end(), "samples published by a feed that was not declared");
  return *found->second;
}

std::string prometheus_text(const ServeView& view) {
  std::vector<std::pair<std::string_view, FeedCounts>> counts;
  for (const auto& feed : view.feeds) counts.emplace_back(feed->name(), feed->counts());
  const auto column = [&counts](std::uint64_t FeedCounts::*member) {
    std::vector<std::pair<std::string_view, std::uint64_t>> values;
    for (const auto& [feed, c] : counts) values.emplace_back(feed, c.*member);
    return values;
  };
  std::string out;
  append_counter(out, "ptwin_feed_received_total",
                 "Inputs received (messages, frames, notifications).", "counter",
                 column(&FeedCounts::received));
  append_counter(out, "ptwin_feed_accepted_total", "Inputs stored.", "counter",
                 column(&FeedCounts::accepted));
  append_counter(out, "ptwin_feed_quarantined_total",
                 "Inputs refused and kept in the quarantine with the reason.", "counter",
                 column(&FeedCounts::quarantined));
  append_counter(out, "ptwin_feed_not_stored_total",
                 "Inputs not stored: the sender sends them again, or given up at stop.", "counter",
                 column(&FeedCounts::not_stored));
  append_counter(out, "ptwin_feed_pending", "Inputs received and not yet persisted.", "gauge",
                 column(&FeedCounts::pending));
  append_counter(out, "ptwin_feed_samples_stored_total", "Samples stored.", "counter",
                 column(&FeedCounts::samples_stored));
  out +=
      "# HELP ptwin_stage_latency_seconds Per-stage latency: transport = "
      "received - source "
      "time stamp, ingest = stored - received, inference = stored - twin updated, update = "
      "the feed thread's stages done - source time stamp, end_to_end = the input's outputs "
      "written (or its update, without output) - source time stamp, output = stored - "
      "outputs written, output_queue_wait = a feed waiting for room in the output queue.\n# TYPE "
      "ptwin_stage_latency_seconds histogram\n";
  for (const auto& feed : view.feeds) {
    const auto& stages = view.latencies.of(feed->name());
    append_histogram(out, feed->name(), "transport", stages.transport.snapshot());
    append_histogram(out, feed->name(), "ingest", stages.ingest.snapshot());
    append_histogram(out, feed->name(), "update", stages.update.snapshot());
    append_histogram(out, feed->name(), "end_to_end", stages.end_to_end.snapshot());
  }
  // inference = from a stored batch (any feed) to the twin's updated forecasts.
  append_histogram(out, "all", "inference", view.risk.inference_latency());
  // output = from a stored batch to its FHIR outputs written (serve.fhir_outputs).
  if (view.outputs != nullptr) {
    append_histogram(out, "all", "output", view.outputs->output_latency());
    append_histogram(out, "all", "output_queue_wait", view.outputs->queue_wait());
  }
  out +=
      "# HELP ptwin_stage_latency_negative_total Latencies below zero (a "
      "source clock ahead of "
      "ours), not in the histogram.\n# TYPE "
      "ptwin_stage_latency_negative_total counter\n";
  for (const auto& feed : view.feeds) {
    const auto& stages = view.latencies.of(feed->name());
    fmt::format_to(std::back_inserter(out),
                   "ptwin_stage_latency_negative_total{{feed=\"{}\",stage="
                   "\"transport\"}} {}\n"
                   "ptwin_stage_latency_negative_total{{feed=\"{}\",stage="
                   "\"ingest\"}} {}\n",
                   feed->name(), stages.transport.snapshot().negative, feed->name(),
                   stages.ingest.snapshot().negative);
  }
  fmt::format_to(std::back_inserter(out),
                 "# HELP ptwin_sample_sink_failures_total Sample sinks that "
                 "threw (logged).\n"
                 "# TYPE ptwin_sample_sink_failures_total counter\n"
                 "ptwin_sample_sink_failures_total {}\n",
                 view.stream.sink_failures());
  append_twin_metrics(out, view.risk);
  if (view.outputs != nullptr) view.outputs->append_metrics(out);
  return out;
}

nlohmann::json twin_json(const twin::live::HypotensionRiskStage& risk) {
  nlohmann::json patients = nlohmann::json::array();
  for (const auto& p : risk.snapshot()) {
    patients.push_back({{"patient", p.patient_id},
                        {"updated_to", time::format_iso8601(p.updated_to)},
                        {"assimilated", p.assimilated},
                        {"gated", p.gated},
                        {"refused", p.refused},
                        {"waiting", p.waiting},
                        {"in_5_min", forecast_json(p.in_5_min)},
                        {"in_15_min", forecast_json(p.in_15_min)}});
  }
  const auto& settings = risk.settings();
  nlohmann::json filter = {{"kind", to_string(settings.filter)}};
  if (settings.filter == StateFilter::Enkf) {
    filter["ensemble_size"] = settings.ensemble_size;
    filter["ensemble_seed"] = settings.ensemble_seed;
  }
  return {{"model", fmt::format("hypotension risk: {} on the mean-pressure trend model "
                                "(docs/twin.md)",
                                settings.filter == StateFilter::Enkf ? "EnKF" : "UKF")},
          {"filter", std::move(filter)},
          {"patients", std::move(patients)},
          {"inference_latency", latency_json(risk.inference_latency())}};
}

nlohmann::json status_json(const ServeView& view) {
  const auto now = view.clock.now();
  nlohmann::json feeds = nlohmann::json::object();
  for (const auto& feed : view.feeds) {
    const auto c = feed->counts();
    const auto& stages = view.latencies.of(feed->name());
    nlohmann::json entry = feed->status();
    entry["received"] = c.received;
    entry["accepted"] = c.accepted;
    entry["quarantined"] = c.quarantined;
    entry["not_stored"] = c.not_stored;
    entry["pending"] = c.pending;
    entry["samples_stored"] = c.samples_stored;
    entry["latency"] = {{"transport", latency_json(stages.transport.snapshot())},
                        {"ingest", latency_json(stages.ingest.snapshot())},
                        {"update", latency_json(stages.update.snapshot())},
                        {"end_to_end", latency_json(stages.end_to_end.snapshot())}};
    feeds[std::string(feed->name())] = std::move(entry);
  }
  return {{"twin", view.config.twin.id},
          {"started_at", time::format_iso8601(view.started_at)},
          {"uptime_s", seconds_between(view.started_at, now)},
          {"store",
           {{"path", view.config.store.path.string()},
            {"samples", view.store.count_samples()},
            {"quarantined", view.store.count_quarantined()}}},
          {"feeds", std::move(feeds)},
          {"sample_sink_failures", view.stream.sink_failures()},
          {"hypotension_risk", twin_json(view.risk)},
          {"fhir_outputs", view.outputs != nullptr ? view.outputs->status() : nlohmann::json()}};
}

server::HttpHandler serve_endpoints(const ServeView& view) {
  return [&view](const server::HttpRequest& request) {
    if (request.method != "GET" && request.method != "HEAD") {
      auto response = server::HttpResponse::with_body(405, "text/plain", "use GET\n");
      response.headers["Allow"] = "GET, HEAD";
      return response;
    }
    const auto path = request.path();
    if (path == "/healthz") return server::HttpResponse::with_body(200, "text/plain", "ok\n");
    if (path == "/metrics") {
      return server::HttpResponse::with_body(200, "text/plain; version=0.0.4; charset=utf-8",
                                             prometheus_text(view));
    }
    if (path == "/status") {
      return server::HttpResponse::with_body(200, "application/json", status_json(view).dump(2));
    }
    return server::HttpResponse::with_body(404, "text/plain",
                                           "ptwin serve answers /healthz, /metrics and /status\n");
  };
}

}  // namespace ptwin::app
