// SPDX-License-Identifier: Apache-2.0
#include "demo_dashboard.hpp"

#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "demo_replay_summary.hpp"
#include "progress_bar.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/stream/sample_stream.hpp"
#include "ptwin/server/http/http_server.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "serve_dashboard.hpp"

namespace ptwin::app {

void serve_demo_dashboard(const DemoDashboardOptions& options, const TwinConfig& config,
                          const ingest::recording::MqttRecording& recording,
                          StopSignals& stop_signals, const time::Clock& clock) {
  // A file of its own, started afresh: a second demo must not show the first one's replay.
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
  fmt::print("\nptwin demo: {}\n", dashboard.describe(http.origin()));
  fmt::print("  replaying {} ({} lines) into the live twin at {}; samples in {}\n",
             options.recording_path.string(), recording.entries.size(),
             options.replay.speed > 0 ? fmt::format("{}x", options.replay.speed)
                                      : std::string("full speed"),
             store_path.string());
  std::fflush(stdout);

  ProgressBar bar("replaying");
  const auto outcome =
      replay_recording(recording, options.replay, store, stream, stop_signals, clock, bar);
  bar.finish(fmt::format("{} of {} lines in {:.1f} s", outcome.messages + outcome.quarantined,
                         outcome.lines, outcome.wall_s));
  const auto summary = summarise_replay({recording, options.recording_path.string(),
                                         options.replay.speed, outcome, risk, alerts});
  print_replay_summary(summary);
  const auto summary_path = config.outputs.directory / "replay_summary.json";
  std::ofstream(summary_path) << summary.dump(2) << '\n';
  fmt::print("    {:<16} {}\n", "summary file", summary_path.string());

  if (outcome.stopped_by) {
    fmt::print("ptwin demo: stopping on signal {}\n", *outcome.stopped_by);
  } else if (options.exits_after_replay) {
    fmt::print("ptwin demo: replay finished; exiting (--exit-after-replay)\n");
  } else {
    fmt::print("ptwin demo: replay finished; the dashboard stays at {}/dashboard/ until SIGINT "
               "or SIGTERM\n",
               http.origin());
    std::fflush(stdout);
    const int received = stop_signals.wait();
    fmt::print("ptwin demo: stopping on signal {}\n", received);
  }
  http.stop();
}

}  // namespace ptwin::app
