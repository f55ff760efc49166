// SPDX-License-Identifier: Apache-2.0
#pragma once
// `ptwin demo` after its report: the live twin of the demo patient on the web dashboard
// (docs/dashboard.md#demo), with no server to install. The dashboard is served at once (one line
// gives its URL); the patient's recorded monitor stream (an MQTT feed recording, shipped as
// data/demo/monitor_recording.ndjson) is replayed through the sample stream into the
// hypotension-risk twin and the alert board in accelerated time, with a progress bar, into its
// own SQLite file in the outputs directory; then a summary is printed (and written as
// replay_summary.json) and the dashboard stays up until SIGINT or SIGTERM, or the command exits
// at once when asked to.

#include <filesystem>
#include <string>

#include "demo_replay.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/core/twin_config.hpp"
#include "ptwin/ingest/recording/mqtt_recording.hpp"
#include "stop_signals.hpp"

namespace ptwin::app {

struct DemoDashboardOptions {
  std::string address = "127.0.0.1";
  int port = 8090;  // 0: any free port
  std::filesystem::path assets;
  std::filesystem::path recording_path;  // for messages and the summary
  ReplaySettings replay;
  bool exits_after_replay = false;
};

/// Serves the dashboard, replays `recording` and reports; returns when a stop signal arrives, or
/// after the replay when `exits_after_replay`.
void serve_demo_dashboard(const DemoDashboardOptions& options, const TwinConfig& config,
                          const ingest::recording::MqttRecording& recording,
                          StopSignals& stop_signals, const time::Clock& clock);

}  // namespace ptwin::app
