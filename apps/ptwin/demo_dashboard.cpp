// SPDX-License-Identifier: Apache-2.0
#include "demo_dashboard.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <numbers>
#include <vector>

#include "ptwin/core/units.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"
#include "ptwin/ingest/stream/sample_stream.hpp"
#include "ptwin/server/http/http_server.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "serve_dashboard.hpp"

namespace ptwin::app {
namespace {

using namespace std::chrono_literals;
namespace loinc = ingest::fhir::loinc;

constexpr int kMinutes = 40;
constexpr auto kInterval = 10s;

// The synthetic record's rules, in display units at minute t (0 <= t < 40): MAP 80 mmHg for 20
// minutes, then falling 1.2 mmHg/min, with a +-1.5 mmHg wave of period 3 min; heart rate 74/min
// rising 1/min after minute 20; cardiac output 5.0 L/min falling 0.03 L/min per minute.
double map_mmhg(double t) {
  return 80.0 - 1.2 * std::max(0.0, t - 20.0) + 1.5 * std::sin(2.0 * std::numbers::pi * t / 3.0);
}
double heart_rate_per_min(double t) { return 74.0 + std::max(0.0, t - 20.0); }
double cardiac_output_l_min(double t) { return 5.0 - 0.03 * t; }

// One minute of the record.
std::vector<Sample> minute_of(const std::string& patient, int minute, time::Instant start) {
  std::vector<Sample> batch;
  const auto sample = [&](std::string_view code, double value_si, std::string_view unit,
                          time::Instant at) {
    batch.push_back(Sample{patient, std::string(code), value_si, std::string(unit), at,
                           "demo:synthetic-monitor", SampleQuality::Good});
  };
  for (auto offset = 0s; offset < 60s; offset += kInterval) {
    const auto at = start + std::chrono::minutes(minute) + offset;
    const double t = minute + std::chrono::duration<double>(offset).count() / 60.0;
    sample(loinc::kMeanPressure, map_mmhg(t) * units::kPaPerMmHg, "mm[Hg]", at);
    sample(loinc::kHeartRate, heart_rate_per_min(t) / 60.0, "/min", at);
  }
  if (minute % 5 == 0) {
    sample(loinc::kCardiacOutput, cardiac_output_l_min(minute) / 6e4, "L/min",
           start + std::chrono::minutes(minute) + 30s);
  }
  return batch;
}

}  // namespace

void serve_demo_dashboard(const DemoDashboardOptions& options, const TwinConfig& config,
                          const std::string& patient_id, StopSignals& stop_signals,
                          const time::Clock& clock) {
  // A file of its own, started afresh: a second demo must not show the first one's record.
  const auto store_path = config.outputs.directory / "dashboard_replay.db";
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(store_path.string() + suffix);
  }
  store::SqliteStore store(store_path);
  ingest::stream::SampleStream stream;
  twin::live::HypotensionRiskStage risk;
  stream.attach(risk);
  server::dashboard::RiskAlertBoard alerts(risk, server::dashboard::RiskAlertBoard::default_rules(),
                                           clock);
  stream.attach(alerts);
  ServeDashboard dashboard(risk, store, alerts, clock, options.assets, /*gate=*/nullptr);

  const auto start = clock.now() - std::chrono::minutes(kMinutes);
  std::size_t samples = 0;
  for (int minute = 0; minute < kMinutes; ++minute) {
    const auto batch = minute_of(patient_id, minute, start);
    store.append_samples(batch);
    const auto now = clock.now();
    stream.publish({.feed = "demo", .samples = batch, .received_at = now, .stored_at = now});
    samples += batch.size();
  }
  const auto twin = risk.find(patient_id);
  fmt::print(
      "\n  dashboard: replayed {} synthetic monitor samples of patient {} ({} min) into {}\n",
      samples, patient_id, kMinutes, store_path.string());
  if (twin) {
    fmt::print("  twin: risk of hypotension {:.0f} % in 5 min, {:.0f} % in 15 min; {} alert(s)\n",
               100 * twin->in_5_min.probability, 100 * twin->in_15_min.probability,
               alerts.alerts().size());
  }
  server::HttpServer http(
      server::HttpServerSettings{.address = options.address,
                                 .port = static_cast<std::uint16_t>(options.port),
                                 .threads = 2,
                                 .max_body_bytes = 64U * 1024U,
                                 .read_timeout = std::chrono::seconds(10),
                                 .idle_timeout = std::chrono::seconds(60)},
      dashboard.handler([](const server::HttpRequest&) {
        return server::HttpResponse::with_body(404, "text/plain",
                                               "ptwin demo serves /dashboard/ and /api/\n");
      }));
  fmt::print("ptwin demo: {}; SIGINT or SIGTERM stops\n", dashboard.describe(http.origin()));
  std::fflush(stdout);
  const int received = stop_signals.wait();
  fmt::print("ptwin demo: stopping on signal {}\n", received);
  http.stop();
}

}  // namespace ptwin::app
