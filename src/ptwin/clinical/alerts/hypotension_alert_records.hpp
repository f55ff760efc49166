// SPDX-License-Identifier: Apache-2.0
#pragma once
// Labelled alert records from the synthetic hypotension cohort (twin/cohort,
// docs/twin.md#synthetic-hypotension-cohort): what a bedside alert layer would be fed for each
// patient, and the ground truth it is judged against.
//
// - signal kMapSignal: every measured MAP (Pa), as the monitor shows it;
// - signal kRiskSignal: the live twin's hypotension risk (twin::risk::HypotensionRiskTwin,
//   probability of MAP < 65 mmHg for >= 1 min within `risk_horizon`), computed every
//   `risk_interval` from the data up to that instant (vv::hypotension_risk_twin_predictor);
// - events: runs of the measured MAP below 65 mmHg for >= 60 s
//   (vv::hypotension_event_definition(), the validation definition).
// Samples are in time order; at one instant the MAP comes before the risk computed from it.

#include <chrono>
#include <span>
#include <vector>

#include "ptwin/clinical/alerts/alert_evaluation.hpp"
#include "ptwin/twin/cohort/hypotension_cohort.hpp"
#include "ptwin/twin/risk/hypotension_risk_twin.hpp"

namespace ptwin::clinical::alerts {

inline constexpr const char* kMapSignal = "map";
inline constexpr const char* kRiskSignal = "hypotension_risk";

struct HypotensionAlertRecordSettings {
  twin::risk::HypotensionRiskSettings twin;
  std::chrono::seconds risk_horizon{std::chrono::minutes(10)};
  std::chrono::seconds risk_interval{std::chrono::seconds(20)};
};

/// One record per patient (named by the patient's id).
/// Throws InputError(BadInput) naming "risk_horizon" or "risk_interval" when not positive, and
/// as the twin and vv::find_sustained_runs_below.
[[nodiscard]] std::vector<PatientRecord> hypotension_alert_records(
    std::span<const twin::cohort::SyntheticPatient> patients,
    const HypotensionAlertRecordSettings& settings);

}  // namespace ptwin::clinical::alerts
