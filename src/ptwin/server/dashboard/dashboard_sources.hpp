// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the dashboard API reads and acts on; every reference outlives the handler.

#include "ptwin/core/clock.hpp"
#include "ptwin/server/dashboard/model_info.hpp"
#include "ptwin/server/dashboard/risk_alert_board.hpp"
#include "ptwin/store/store.hpp"
#include "ptwin/twin/live/hypotension_risk_stage.hpp"

namespace ptwin::server::dashboard {

struct DashboardSources {
  const twin::live::HypotensionRiskStage& risk;
  const store::Store& store;
  RiskAlertBoard& alerts;
  const ModelInfo& model;
  const time::Clock& clock;
};

}  // namespace ptwin::server::dashboard
