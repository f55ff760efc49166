// SPDX-License-Identifier: Apache-2.0
#pragma once
// `ptwin demo --dashboard`: after the demo's report, the live twin of the demo patient on the
// web dashboard (docs/dashboard.md#demo), with no server to install. A synthetic 40-minute
// monitor record ending now (MAP steady, then falling through 65 mmHg; heart rate rising;
// cardiac output every 5 min) is stored in its own SQLite file in the outputs directory and
// replayed minute by minute through the sample stream into the hypotension-risk twin and the
// alert board; then the dashboard is served until SIGINT or SIGTERM.

#include <filesystem>
#include <string>

#include "ptwin/core/clock.hpp"
#include "ptwin/core/twin_config.hpp"
#include "stop_signals.hpp"

namespace ptwin::app {

struct DemoDashboardOptions {
  std::string address = "127.0.0.1";
  int port = 8090;  // 0: any free port
  std::filesystem::path assets;
};

/// Replays the synthetic record of `patient_id` and serves the dashboard until a stop signal.
void serve_demo_dashboard(const DemoDashboardOptions& options, const TwinConfig& config,
                          const std::string& patient_id, StopSignals& stop_signals,
                          const time::Clock& clock);

}  // namespace ptwin::app
