// SPDX-License-Identifier: Apache-2.0
#pragma once
// What `ptwin demo` reports after replaying a recording (docs/dashboard.md#demo): counts that
// conserve (lines = messages + quarantined), the twin's use of the samples, the hypotension
// episode of the recording (MAP < 65 mmHg for at least 1 min, the twin's event definition, found
// in the recorded MAP), the alerts raised and the first one's lead time before that onset, and
// the final estimates with their 90 % intervals. Times are the recording's own (the replay's
// shift taken off), so that they can be checked against the file. Printed as text and written as
// JSON (<outputs>/replay_summary.json).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "demo_replay.hpp"
#include "ptwin/server/dashboard/risk_alert_board.hpp"
#include "ptwin/twin/live/hypotension_risk_stage.hpp"

namespace ptwin::app {

struct ReplaySummaryInputs {
  const ingest::recording::MqttRecording& recording;
  std::string recording_path;
  double speed = 0.0;
  const ReplayOutcome& outcome;
  const twin::live::HypotensionRiskStage& risk;
  const server::dashboard::RiskAlertBoard& alerts;
};

/// The summary as JSON (times ISO 8601 UTC in recording time, display units).
[[nodiscard]] nlohmann::json summarise_replay(const ReplaySummaryInputs& inputs);

/// The summary for the terminal, one fact per line.
void print_replay_summary(const nlohmann::json& summary);

}  // namespace ptwin::app
