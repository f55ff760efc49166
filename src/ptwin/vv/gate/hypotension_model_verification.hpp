// SPDX-License-Identifier: Apache-2.0
#pragma once
// The verification cases of the hypotension risk model (docs/vv.md#model-gate), run with the
// exact settings the twin will use, in a few seconds, so that `ptwin serve` can establish the
// model's status at start-up:
//   - twin.risk.ukf_equals_kalman: the UKF, run on the model's own trend dynamics with a
//     linear observation of its log-state, against the exact Kalman filter (the unscented
//     transform is exact for linear maps; Julier & Uhlmann 2004, doi:10.1109/JPROC.2003.823141);
//   - twin.risk.enkf_near_kalman (only when the twin runs the EnKF): the EnKF with the twin's
//     ensemble size and seed on the same track, its mean within the sampling error 4/sqrt(N)
//     posterior SDs of the exact filter's (median over steps);
//   - twin.risk.forecast_coverage_map / _co: on a small seeded synthetic cohort
//     (twin::cohort), the share of nominal 90 % forecast intervals of MAP and CO, 15 min ahead,
//     that contain the generator's true value (vv::evaluate_forecast_coverage), within the
//     bounds the cohort-scale evaluation holds it to (tests/integration/vv).

#include <vector>

#include "ptwin/core/time.hpp"
#include "ptwin/twin/risk/hypotension_risk_twin.hpp"
#include "ptwin/vv/gate/verification_record.hpp"

namespace ptwin::vv::gate {

/// Runs every case and returns the record for hypotension_risk_model_identity(settings),
/// stamped `now`. A case that throws (settings out of range) is a failed case, not an escape.
[[nodiscard]] VerificationRecord verify_hypotension_risk_model(
    const twin::risk::HypotensionRiskSettings& settings, time::Instant now);

/// The cases alone (for tests and reports).
[[nodiscard]] CaseResult ukf_equals_kalman_case(
    const twin::risk::HypotensionRiskSettings& settings);
[[nodiscard]] CaseResult enkf_near_kalman_case(
    const twin::risk::HypotensionRiskSettings& settings);
[[nodiscard]] std::vector<CaseResult> forecast_coverage_cases(
    const twin::risk::HypotensionRiskSettings& settings);

}  // namespace ptwin::vv::gate
