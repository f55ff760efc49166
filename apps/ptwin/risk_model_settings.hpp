// SPDX-License-Identifier: Apache-2.0
#pragma once
// The hypotension risk model a twin declaration runs: the defaults of docs/twin.md with the
// filter its twin: section chose. `ptwin serve` runs it and `ptwin vv gate --twin` verifies it,
// so that a verification record is written for the model that is served.

#include <string>

#include "ptwin/core/twin_config.hpp"
#include "ptwin/twin/risk/hypotension_risk_twin.hpp"

namespace ptwin::app {

[[nodiscard]] twin::risk::HypotensionRiskSettings risk_model_settings(const TwinSection& twin);

/// "ukf", or "enkf (200 members, seed 20261125)".
[[nodiscard]] std::string describe_filter(const twin::risk::HypotensionRiskSettings& model);

}  // namespace ptwin::app
