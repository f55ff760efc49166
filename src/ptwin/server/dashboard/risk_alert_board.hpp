// SPDX-License-Identifier: Apache-2.0
#pragma once
// The alerts the dashboard lists and acknowledges: the twin's one alert policy and its episodes
// (clinical/alerts/risk_alert_episodes.hpp), the same that the FHIR output stage writes as
// DetectedIssues. The dashboard owns no policy of its own.

#include "ptwin/clinical/alerts/risk_alert_episodes.hpp"

namespace ptwin::server::dashboard {

using RiskAlertBoard = clinical::alerts::RiskAlertEpisodes;
using RiskAlert = clinical::alerts::RiskAlert;
using AlertActionOutcome = clinical::alerts::AlertActionOutcome;

}  // namespace ptwin::server::dashboard
