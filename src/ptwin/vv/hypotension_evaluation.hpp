// SPDX-License-Identifier: Apache-2.0
#pragma once
// Evaluates hypotension-risk predictors on a synthetic cohort, side by side with the current-MAP
// baseline: events from the measured MAP (vv::hypotension_event_definition), predictions every
// `prediction_interval` labelled for the horizon (positive / negative / excluded), then AUROC with
// DeLong interval, calibration, lead time at the alarm threshold, and DeLong's paired test of the
// predictor against the baseline on the same predictions. The baseline is fitted on the training
// patients (even indices) and every figure is computed on the test patients (odd indices).
// Because one patient's predictions are correlated, the areas and their difference also get
// patient-level bootstrap intervals (metrics/cluster_bootstrap.hpp), and the predictor's
// recalibration is fitted on the training patients (as the calibration split) and judged on the
// test patients (risk_recalibration_evaluation.hpp).

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ptwin/twin/cohort/hypotension_cohort.hpp"
#include "ptwin/twin/risk/hypotension_risk_twin.hpp"
#include "ptwin/vv/metrics/calibration.hpp"
#include "ptwin/vv/metrics/cluster_bootstrap.hpp"
#include "ptwin/vv/metrics/lead_time.hpp"
#include "ptwin/vv/metrics/roc.hpp"
#include "ptwin/vv/risk_recalibration_evaluation.hpp"

namespace ptwin::vv {

/// A predictor under evaluation: for one patient, the probability of hypotension within the
/// horizon at each requested time, computed only from data up to that time.
using HypotensionRiskPredictor = std::function<std::vector<double>(
    const twin::cohort::SyntheticPatient& patient, std::span<const std::size_t> sample_indices,
    std::chrono::seconds horizon)>;

struct HypotensionEvaluationSettings {
  std::chrono::seconds horizon{std::chrono::minutes(15)};
  std::chrono::seconds prediction_interval{20};
  double alarm_threshold = 0.5;  // for lead time and alarm counts
  ClusterBootstrapSettings bootstrap;  // patient-level intervals of the areas
  bool fits_recalibration = true;  // also run the predictor on the training patients to fit maps
};

struct PredictorEvaluation {
  std::string name;
  AurocEstimate auroc;
  CalibrationReport calibration;
  LeadTimeReport lead_time;
};

struct HypotensionEvaluation {
  std::chrono::seconds horizon{0};
  std::size_t test_patients = 0;
  double test_patient_hours = 0.0;
  std::size_t events = 0;  // in the test patients
  std::size_t positive_predictions = 0;
  std::size_t negative_predictions = 0;
  std::size_t excluded_predictions = 0;
  PredictorEvaluation predictor;
  PredictorEvaluation baseline;
  AurocComparison predictor_minus_baseline;  // DeLong, predictions treated as independent
  ClusterBootstrapAuroc patient_bootstrap;   // first: predictor, second: baseline
  std::optional<RecalibrationEvaluation> recalibration;  // when settings.fits_recalibration
};

[[nodiscard]] HypotensionEvaluation evaluate_hypotension_prediction(
    const std::vector<twin::cohort::SyntheticPatient>& cohort, const std::string& predictor_name,
    const HypotensionRiskPredictor& predictor, const HypotensionEvaluationSettings& settings);

/// The baseline alone, as a HypotensionRiskPredictor fitted on the cohort's training patients;
/// useful as the `predictor` to check the harness (the paired difference is then zero).
[[nodiscard]] HypotensionRiskPredictor current_map_baseline_predictor(
    const std::vector<twin::cohort::SyntheticPatient>& cohort,
    const HypotensionEvaluationSettings& settings);

/// The live twin's risk (twin::risk::HypotensionRiskTwin) as a HypotensionRiskPredictor: each
/// patient's MAP and cardiac output are assimilated in time order and a forecast is made at
/// each prediction time from the data up to it.
[[nodiscard]] HypotensionRiskPredictor hypotension_risk_twin_predictor(
    const twin::risk::HypotensionRiskSettings& settings);

/// How often the twin's nominal 90 % forecast intervals of MAP and CO contain the truth (the
/// generator's noise-free values) `horizon` ahead, over every test patient and every prediction
/// time whose horizon lies inside the record.
struct ForecastCoverage {
  std::chrono::seconds horizon{0};
  std::size_t forecasts = 0;
  double mean_arterial_pressure = 0.0;  // share inside [p05, p95]
  double cardiac_output = 0.0;
};

[[nodiscard]] ForecastCoverage evaluate_forecast_coverage(
    const std::vector<twin::cohort::SyntheticPatient>& cohort,
    const twin::risk::HypotensionRiskSettings& twin_settings,
    const HypotensionEvaluationSettings& settings);

}  // namespace ptwin::vv
