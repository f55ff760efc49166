// SPDX-License-Identifier: Apache-2.0
#pragma once
// Recalibration of a risk predictor, fitted on a calibration split of patients and judged on
// held-out patients: platt and isotonic maps (twin/risk/risk_recalibration.hpp) are fitted on
// the calibration patients' (risk, outcome) pairs and applied to the test patients' risks, and
// the calibration slope and intercept, Brier score and expected calibration error
// (metrics/calibration.hpp) are reported before and after. A map judged on the patients it was
// fitted on would look better than it is; the split is by patient, so that no patient's
// correlated predictions sit on both sides.

#include <cstddef>
#include <span>

#include "ptwin/twin/risk/risk_recalibration.hpp"
#include "ptwin/vv/metrics/calibration.hpp"

namespace ptwin::vv {

struct RecalibrationEvaluation {
  std::size_t calibration_patients = 0;
  std::size_t calibration_cases = 0;
  std::size_t calibration_events = 0;  // positive cases among them
  twin::risk::RiskRecalibration platt;
  twin::risk::RiskRecalibration isotonic;
  CalibrationReport before;          // raw risk, test patients
  CalibrationReport after_platt;     // platt map applied, test patients
  CalibrationReport after_isotonic;  // isotonic map applied, test patients
};

/// Fits both maps on `calibration` and reports `test` before and after each. Throws as
/// fit_platt_recalibration and assess_calibration do (a class missing on either side, complete
/// separation).
[[nodiscard]] RecalibrationEvaluation evaluate_recalibration(
    std::span<const PredictedOutcome> calibration, std::size_t calibration_patients,
    std::span<const PredictedOutcome> test);

}  // namespace ptwin::vv
