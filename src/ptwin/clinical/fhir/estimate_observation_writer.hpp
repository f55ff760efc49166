// SPDX-License-Identifier: Apache-2.0
#pragma once
// The twin's estimated haemodynamic parameters as FHIR R5 Observations
// (docs/clinical.md#estimated-parameters): systemic vascular resistance and cardiac output from
// the UKF posterior of the trend model (log-space, so the posterior of each is log-normal).
// valueQuantity is the posterior median; the 90 % credible interval is a component (code
// "credible-interval-90", valueRange), since R5 has no uncertainty element on Quantity;
// method names the estimator (and says the value is estimated, not measured), device the
// model's Device, status "final" (the estimate at effectiveDateTime does not change).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/clinical/fhir/model_provenance.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/twin/estimation/state_space_model.hpp"

namespace ptwin::clinical::fhir {

struct EstimateInput {
  std::string patient_id;
  time::Instant time;  // the time the estimate is for
  /// Posterior of HaemodynamicTrendModel's state [ln SVR, d ln SVR/dt, ln CO, d ln CO/dt].
  twin::estimation::GaussianEstimate estimate;
  ModelProvenance provenance;
};

/// Two Observations: SVR, then CO. Throws InputError naming the field for an empty patient id
/// or an estimate that is not 4-dimensional with a finite, non-negative variance.
[[nodiscard]] std::vector<nlohmann::json> write_estimate_observations(const EstimateInput& input);

}  // namespace ptwin::clinical::fhir
