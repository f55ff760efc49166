// SPDX-License-Identifier: Apache-2.0
#pragma once
// The twin's hypotension risk as a FHIR R5 RiskAssessment (docs/clinical.md#riskassessment):
//   status final; code and method name the twin's risk and how it is computed; subject the
//   Patient; occurrenceDateTime the time the estimate is valid for (the last assimilated
//   sample); performer the model's Device; basis the input Observations where they are known;
//   one prediction per horizon: outcome "MAP < 65 mmHg for >= 1 min", probabilityDecimal,
//   whenPeriod [occurrence, occurrence + horizon], rationale in words, and the forecast MAP and
//   cardiac output at the horizon (median and 90 % interval) in the forecast-interval
//   extension; a note repeats the figures for readers without the extension.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/clinical/fhir/model_provenance.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/twin/risk/hypotension_risk_twin.hpp"

namespace ptwin::clinical::fhir {

struct RiskAssessmentInput {
  std::string patient_id;  // the FHIR Patient id
  time::Instant occurrence;
  std::vector<twin::risk::HypotensionForecast> forecasts;  // one prediction each, horizon > 0
  double hypotension_threshold_pa = 0.0;                   // the event definition
  std::chrono::seconds minimum_duration{0};
  std::vector<std::string> basis;  // literal references, e.g. "Observation/map-1"
  ModelProvenance provenance;
  StateFilter filter = StateFilter::Ukf;  // the filter behind the forecasts: RiskAssessment.method
};

/// The RiskAssessment, with an id derived from patient, time and model (output_id), so a
/// rewrite of the same assessment is an update. Throws InputError naming the field for an
/// empty patient id, no forecast, a probability outside [0, 1] or a non-positive horizon.
[[nodiscard]] nlohmann::json write_risk_assessment(const RiskAssessmentInput& input);

}  // namespace ptwin::clinical::fhir
