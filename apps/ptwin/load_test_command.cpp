// SPDX-License-Identifier: Apache-2.0
// `ptwin load-test`: drives a running `ptwin serve` through its real transport on loopback
// (an MQTT broker for Tier A, an EHR's FHIR Subscription for Tier B) with a bounded, paced
// synthetic deterioration stream, then reads serve's /metrics before and after and reports the
// p50/p99 of every stage and end to end for this load alone, against the tier budgets
// (docs/serve.md#load-test).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/latency_exposition.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/ingest/mqtt/biosensor_publisher.hpp"

namespace ptwin::app {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kStageMetric = "ptwin_stage_latency_seconds";

struct LoadTestOptions {
  std::string feed = "mqtt";  // or "fhir_subscription"
  std::string serve_url = "http://127.0.0.1:8090";
  std::string broker = "127.0.0.1:1883";
  std::string topic = "ptwin/load/vitals";
  int qos = 1;
  std::string ehr_url;
  int patients = 10;
  double rate_per_s = 100.0;
  int count = 1000;
  double settle_s = 30.0;
  std::uint64_t seed = 20261124;
  std::string json_path;
  bool enforce_budget = false;
};

// The tier a feed's path belongs to (DESIGN.md, "Latency tiers"), its end-to-end budget and
// the goal the project set itself for it.
struct TierBudget {
  std::string_view tier;
  double budget_s;
  std::optional<double> goal_p99_s;
};

TierBudget budget_of(std::string_view feed) {
  if (feed == "mqtt") return {"A", 0.200, 0.020};
  return {"B", 5.0, std::nullopt};
}

// One patient's synthetic deterioration: MAP falls from about 85 mmHg by 0.25 mmHg a message,
// floored at 45, with 2 mmHg noise; every fourth message is a cardiac output that falls with it.
struct SyntheticVitals {
  std::mt19937_64 random;
  std::normal_distribution<double> noise{0.0, 1.0};
  std::vector<int> sent;  // per patient

  SyntheticVitals(std::uint64_t seed, int patients) : random(seed), sent(patients, 0) {}

  struct Reading {
    bool is_cardiac_output;
    double value;  // mmHg or L/min
  };
  Reading next(int patient) {
    const int k = sent[patient]++;
    const double map_mmhg = std::max(45.0, 85.0 - 0.25 * k) + 2.0 * noise(random);
    if (k % 4 == 3) return {true, std::max(1.5, 5.0 * map_mmhg / 85.0 + 0.2 * noise(random))};
    return {false, map_mmhg};
  }
};

std::string patient_id(int i) { return fmt::format("load-{}", i + 1); }

ingest::fhir::FhirClientSettings settings_for(const std::string& base_url) {
  ingest::fhir::FhirClientSettings settings;
  settings.base_url = base_url;
  settings.timeout = 10s;
  return settings;
}

class ServeMetrics {
 public:
  explicit ServeMetrics(const std::string& serve_url)
      : url_(serve_url), client_(settings_for(serve_url)) {}
  std::string read() { return client_.fetch(url_ + "/metrics", "text/plain").body; }
  nlohmann::json status() {
    return nlohmann::json::parse(client_.fetch(url_ + "/status", "application/json").body);
  }

 private:
  std::string url_;
  ingest::fhir::FhirClient client_;
};

// Waits until the feed would pass the load on: serve's MQTT subscription exists (a message
// published before it would not reach a new session), or the EHR has activated serve's
// Subscription (a requested one is not notified, R5 Subscription.status).
void wait_until_feed_is_ready(ServeMetrics& serve, const LoadTestOptions& o) {
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(o.settle_s));
  std::optional<ingest::fhir::FhirClient> ehr;
  while (true) {
    const auto feed = serve.status().at("feeds").value(o.feed, nlohmann::json());
    if (feed.is_null()) {
      throw InputError(ErrorCode::NotFound, "serve /status feeds", o.feed,
                       "has no such feed; declare it in the twin.yaml that serve runs");
    }
    if (o.feed == "mqtt") {
      if (feed.value("is_subscribed", false)) return;
    } else {
      const auto reference = feed.value("subscription", std::string());  // Subscription/<id>
      if (!ehr) ehr.emplace(settings_for(o.ehr_url));
      const auto slash = reference.find('/');
      if (slash != std::string::npos &&
          ehr->read("Subscription", reference.substr(slash + 1)).value("status", "") == "active") {
        return;
      }
    }
    if (Clock::now() > deadline) {
      throw Error(ErrorCode::RemoteServer,
                  fmt::format("serve's {} feed was not ready within {} s ({}); check serve's log",
                              o.feed, o.settle_s,
                              o.feed == "mqtt" ? "not subscribed at the broker"
                                               : "its Subscription is not active on the EHR"));
    }
    std::this_thread::sleep_for(100ms);
  }
}

double counter(const std::string& text, std::string_view metric, std::string_view feed) {
  const auto samples = read_prometheus_samples(text, metric);
  const auto found = samples.find(fmt::format("feed=\"{}\"", feed));
  if (found == samples.end()) {
    throw InputError(ErrorCode::NotFound, fmt::format("serve /metrics {}", metric),
                     std::string(feed),
                     "has no such feed; declare it in the twin.yaml that serve runs");
  }
  return found->second;
}

// Calls send(i, patient, reading) for i = 0 .. count-1 at `rate_per_s`, round-robin over the
// patients; a late send does not shift the ones after it (the schedule is absolute).
template <typename Send>
void send_paced(const LoadTestOptions& o, Send&& send) {
  SyntheticVitals vitals(o.seed, o.patients);
  const auto start = Clock::now();
  for (int i = 0; i < o.count; ++i) {
    std::this_thread::sleep_until(start + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(i / o.rate_per_s)));
    const int p = i % o.patients;
    send(i, p, vitals.next(p));
  }
}

void publish_mqtt(const LoadTestOptions& o, ProgressBar& progress) {
  const auto colon = o.broker.rfind(':');
  ingest::mqtt::PublisherSettings settings;
  settings.host = o.broker.substr(0, colon);
  settings.port = colon == std::string::npos ? 1883 : std::stoi(o.broker.substr(colon + 1));
  settings.client_id = fmt::format("ptwin-load-test-{}", ::getpid());
  ingest::mqtt::BiosensorPublisher publisher(settings);
  const time::SystemClock clock;
  send_paced(o, [&](int i, int p, const SyntheticVitals::Reading& reading) {
    const nlohmann::json payload{
        {"device", fmt::format("load-monitor-{}", p + 1)},
        {"patient", patient_id(p)},
        {"quantity", reading.is_cardiac_output ? "cardiac_output" : "mean_pressure"},
        {"unit", reading.is_cardiac_output ? "L/min" : "mm[Hg]"},
        {"value", reading.value},
        {"t", std::chrono::duration_cast<std::chrono::milliseconds>(
                  clock.now().time_since_epoch()).count()}};
    publisher.publish(o.topic, payload.dump(), o.qos);
    if (i % 50 == 0 || i + 1 == o.count) progress.update(i + 1, o.count, "published");
  });
  publisher.wait_until_delivered(std::chrono::milliseconds(static_cast<long>(o.settle_s * 1000)));
}

void publish_fhir(const LoadTestOptions& o, ProgressBar& progress) {
  ingest::fhir::FhirClient ehr(settings_for(o.ehr_url));
  for (int p = 0; p < o.patients; ++p) {
    ehr.update({{"resourceType", "Patient"}, {"id", patient_id(p)}, {"active", true}});
  }
  const time::SystemClock clock;
  send_paced(o, [&](int i, int p, const SyntheticVitals::Reading& reading) {
    const bool co = reading.is_cardiac_output;
    ehr.create({{"resourceType", "Observation"},
                {"status", "final"},
                {"category",
                 {{{"coding",
                    {{{"system", "http://terminology.hl7.org/CodeSystem/observation-category"},
                      {"code", "vital-signs"}}}}}}},
                {"code",
                 {{"coding",
                   {{{"system", "http://loinc.org"}, {"code", co ? "8741-1" : "8478-0"}}}}}},
                {"subject", {{"reference", "Patient/" + patient_id(p)}}},
                {"effectiveDateTime", time::format_iso8601(clock.now())},
                {"valueQuantity",
                 {{"value", std::round(reading.value * 100.0) / 100.0},
                  {"unit", co ? "L/min" : "mmHg"},
                  {"system", "http://unitsofmeasure.org"},
                  {"code", co ? "L/min" : "mm[Hg]"}}}});
    if (i % 10 == 0 || i + 1 == o.count) progress.update(i + 1, o.count, "created on the EHR");
  });
}

// Waits until serve has received every input of the load and persisted it, and the twin's
// stages have stopped counting; returns the /metrics text then.
std::string wait_for_serve(ServeMetrics& metrics, const LoadTestOptions& o, double stored_before) {
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(o.settle_s));
  std::string previous;
  while (true) {
    auto text = metrics.read();
    // One sample per input; a notification Bundle may carry several.
    const double stored = counter(text, "ptwin_feed_samples_stored_total", o.feed) - stored_before;
    const double pending = counter(text, "ptwin_feed_pending", o.feed);
    const bool arrived = stored >= o.count && pending == 0;
    if (arrived && !previous.empty()) {
      // Stable across two readings: no stage is still recording.
      const auto a = read_prometheus_histograms(previous, kStageMetric);
      const auto b = read_prometheus_histograms(text, kStageMetric);
      const bool stable = std::equal(a.begin(), a.end(), b.begin(), b.end(),
                                     [](const auto& x, const auto& y) {
                                       return x.first == y.first && x.second.count == y.second.count;
                                     });
      if (stable) return text;
    }
    if (Clock::now() > deadline) {
      throw Error(ErrorCode::RemoteServer,
                  fmt::format("serve stored {} of the {} samples of the load ({} inputs pending) "
                              "within {} s; check its log and quarantine, or raise --settle-s",
                              stored, o.count, pending, o.settle_s));
    }
    previous = arrived ? std::move(text) : std::string();
    std::this_thread::sleep_for(200ms);
  }
}

struct StageRow {
  std::string feed, stage;
  LatencyHistogram::Snapshot values;
};

std::optional<std::string> label_value(const std::string& key, std::string_view name) {
  const auto at = key.find(fmt::format("{}=\"", name));
  if (at == std::string::npos) return std::nullopt;
  const auto start = at + name.size() + 2;
  return key.substr(start, key.find('"', start) - start);
}

nlohmann::json report(const LoadTestOptions& o, const std::string& before, const std::string& after,
                      double elapsed_s) {
  nlohmann::json inputs;
  for (const auto* name : {"received", "accepted", "quarantined", "not_stored", "samples_stored"}) {
    const auto metric = fmt::format("ptwin_feed_{}_total", name);
    inputs[name] = counter(after, metric, o.feed) - counter(before, metric, o.feed);
  }
  const auto first = read_prometheus_histograms(before, kStageMetric);
  const auto second = read_prometheus_histograms(after, kStageMetric);
  std::vector<StageRow> rows;
  for (const auto& [key, snapshot] : second) {
    const auto feed = label_value(key, "feed");
    const auto stage = label_value(key, "stage");
    if (!feed || !stage || (*feed != o.feed && *feed != "all")) continue;
    const auto found = first.find(key);
    auto values = found == first.end() ? snapshot : histogram_difference(snapshot, found->second);
    if (values.count == 0) continue;
    rows.push_back({*feed, *stage, values});
  }
  const auto budget = budget_of(o.feed);
  const auto ms = [](const LatencyHistogram::Snapshot& s, double q) { return *s.quantile_s(q) * 1e3; };
  fmt::print("\nload: {} inputs for {} patients at {:.1f}/s through {} (Tier {}), {:.1f} s\n\n",
             o.count, o.patients, o.count / elapsed_s, o.feed, budget.tier, elapsed_s);
  fmt::print("{:<20} {:<10} {:>8} {:>10} {:>10} {:>10}\n", "feed", "stage", "count", "p50 ms",
             "p99 ms", "mean ms");
  nlohmann::json stages = nlohmann::json::array();
  std::optional<StageRow> end_to_end;
  for (const auto& r : rows) {
    fmt::print("{:<20} {:<10} {:>8} {:>10.3f} {:>10.3f} {:>10.3f}\n", r.feed, r.stage,
               r.values.count, ms(r.values, 0.5), ms(r.values, 0.99),
               r.values.sum_s / static_cast<double>(r.values.count) * 1e3);
    stages.push_back({{"feed", r.feed}, {"stage", r.stage}, {"count", r.values.count},
                      {"p50_s", *r.values.quantile_s(0.5)}, {"p99_s", *r.values.quantile_s(0.99)},
                      {"mean_s", r.values.sum_s / static_cast<double>(r.values.count)}});
    if (r.stage == "end_to_end" && r.feed == o.feed) end_to_end = r;
  }
  fmt::print("\nserve: {} inputs received, {} stored, {} quarantined, {} not stored; {} samples\n",
             inputs["received"].get<double>(), inputs["accepted"].get<double>(),
             inputs["quarantined"].get<double>(), inputs["not_stored"].get<double>(),
             inputs["samples_stored"].get<double>());
  nlohmann::json out{{"feed", o.feed},           {"tier", budget.tier},
                     {"inputs", o.count},        {"patients", o.patients},
                     {"serve_counts", inputs},
                     {"elapsed_s", elapsed_s},   {"budget_s", budget.budget_s},
                     {"stages", std::move(stages)}};
  if (budget.goal_p99_s) out["goal_p99_s"] = *budget.goal_p99_s;
  if (!end_to_end) {
    fmt::print("\nend to end: this serve reports no end_to_end stage for feed {}\n", o.feed);
    out["within_budget"] = nullptr;
    return out;
  }
  const double p99 = *end_to_end->values.quantile_s(0.99);
  const bool within = p99 < budget.budget_s;
  fmt::print("\nend to end p99 {:.3f} ms against the Tier {} budget of {:.0f} ms: {}", p99 * 1e3,
             budget.tier, budget.budget_s * 1e3, within ? "within" : "OVER BUDGET");
  if (budget.goal_p99_s) {
    fmt::print("; goal {:.0f} ms: {}", *budget.goal_p99_s * 1e3,
               p99 < *budget.goal_p99_s ? "met" : "not met");
  }
  fmt::print("\n(quantiles are read from serve's histogram buckets: exact to within a factor "
             "1.58 of bucket bounds)\n");
  out["within_budget"] = within;
  out["end_to_end_p99_s"] = p99;
  return out;
}

void run_load_test(const LoadTestOptions& o) {
  if (o.feed == "fhir_subscription" && o.ehr_url.empty()) {
    throw InputError(ErrorCode::MissingField, "--ehr", "",
                     "is required with --feed fhir_subscription: the EHR whose Subscription "
                     "notifies serve");
  }
  ServeMetrics metrics(o.serve_url);
  wait_until_feed_is_ready(metrics, o);
  const auto before = metrics.read();
  const double stored_before = counter(before, "ptwin_feed_samples_stored_total", o.feed);
  ProgressBar progress("load-test");
  const auto start = Clock::now();
  if (o.feed == "mqtt") {
    publish_mqtt(o, progress);
  } else {
    publish_fhir(o, progress);
  }
  const double elapsed_s = std::chrono::duration<double>(Clock::now() - start).count();
  progress.finish("sent; waiting for serve");
  const auto after = wait_for_serve(metrics, o, stored_before);
  const auto out = report(o, before, after, elapsed_s);
  if (!o.json_path.empty()) {
    std::ofstream file(o.json_path);
    file << out.dump(2) << '\n';
    if (!file) throw Error(ErrorCode::Io, fmt::format("cannot write {}", o.json_path));
  }
  if (o.enforce_budget && out.at("within_budget") != true) {
    throw Error(ErrorCode::BadInput, "the end-to-end p99 is over the tier budget or not reported");
  }
}

}  // namespace

Command register_load_test(CLI::App& app) {
  auto options = std::make_shared<LoadTestOptions>();
  auto* cmd = app.add_subcommand(
      "load-test",
      "Drive a running `ptwin serve` on loopback with a bounded synthetic deterioration stream "
      "(MQTT: Tier A; FHIR Subscription through an EHR: Tier B) and report p50/p99 per stage "
      "and end to end for this load, against the tier budgets (A < 200 ms, B < 5 s).");
  cmd->add_option("--feed", options->feed, "Path to load: mqtt (Tier A) or fhir_subscription (Tier B)")
      ->check(CLI::IsMember({"mqtt", "fhir_subscription"}))
      ->capture_default_str();
  cmd->add_option("--serve", options->serve_url, "Base URL of the running serve's endpoints")
      ->capture_default_str();
  cmd->add_option("--broker", options->broker, "MQTT broker host:port (serve's feeds.mqtt)")
      ->capture_default_str();
  cmd->add_option("--topic", options->topic,
                  "Topic to publish on; must match a filter of serve's feeds.mqtt.topics")
      ->capture_default_str();
  cmd->add_option("--qos", options->qos, "MQTT QoS")->check(CLI::Range(0, 1))->capture_default_str();
  cmd->add_option("--ehr", options->ehr_url,
                  "FHIR base URL of the EHR whose Subscription notifies serve (feed "
                  "fhir_subscription)");
  cmd->add_option("--patients", options->patients, "Synthetic patients")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--rate", options->rate_per_s, "Inputs per second, all patients together")
      ->check(CLI::Range(0.1, 100000.0))
      ->capture_default_str();
  cmd->add_option("--count", options->count, "Inputs to send (the bound of the load)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--settle-s", options->settle_s,
                  "Seconds to wait for serve to take in the load after the last input")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  cmd->add_option("--seed", options->seed, "Seed of the synthetic values")->capture_default_str();
  cmd->add_option("--json", options->json_path, "Also write the report as JSON to this file");
  cmd->add_flag("--enforce-budget", options->enforce_budget,
                "Exit non-zero when the end-to-end p99 is over the tier budget");
  return {cmd, [options] { run_load_test(*options); }};
}

}  // namespace ptwin::app
