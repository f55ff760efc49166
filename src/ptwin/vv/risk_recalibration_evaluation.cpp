// SPDX-License-Identifier: Apache-2.0
#include "ptwin/vv/risk_recalibration_evaluation.hpp"

#include <vector>

namespace ptwin::vv {
namespace {

std::vector<PredictedOutcome> mapped(std::span<const PredictedOutcome> cases,
                                     const twin::risk::RiskRecalibration& map) {
  std::vector<PredictedOutcome> out;
  out.reserve(cases.size());
  for (const auto& c : cases) out.push_back({map.apply(c.probability), c.occurred});
  return out;
}

}  // namespace

RecalibrationEvaluation evaluate_recalibration(std::span<const PredictedOutcome> calibration,
                                               std::size_t calibration_patients,
                                               std::span<const PredictedOutcome> test) {
  std::vector<uq::LabelledValue> fit_cases;
  fit_cases.reserve(calibration.size());
  RecalibrationEvaluation e;
  for (const auto& c : calibration) {
    fit_cases.push_back({c.probability, c.occurred});
    e.calibration_events += c.occurred ? 1 : 0;
  }
  e.calibration_patients = calibration_patients;
  e.calibration_cases = calibration.size();
  e.platt = twin::risk::fit_platt_recalibration(fit_cases);
  e.isotonic = twin::risk::fit_isotonic_recalibration(fit_cases);
  e.before = assess_calibration(test);
  e.after_platt = assess_calibration(mapped(test, e.platt));
  e.after_isotonic = assess_calibration(mapped(test, e.isotonic));
  return e;
}

}  // namespace ptwin::vv
