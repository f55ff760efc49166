// SPDX-License-Identifier: Apache-2.0
#pragma once
// The hypotension risk model a twin declaration runs: the defaults of docs/twin.md with the
// filter its twin: section chose and, when twin.recalibration names a file, that file's maps.
// `ptwin serve` runs it and `ptwin vv gate --twin` verifies it, so that a verification record
// is written for the model that is served.

#include <string>

#include "ptwin/core/twin_config.hpp"
#include "ptwin/twin/risk/hypotension_risk_twin.hpp"

namespace ptwin::app {

/// The model without recalibration: what `ptwin vv hypotension --twin` fits maps for.
[[nodiscard]] twin::risk::HypotensionRiskSettings uncalibrated_risk_model_settings(
    const TwinSection& twin);

/// The served model: uncalibrated_risk_model_settings with the maps of twin.recalibration.
/// Throws InputError (naming the file and field) for a file that cannot be read, is not a
/// valid ptwin.risk-recalibration/1 file, was fitted for other model settings, or holds a map
/// for a horizon the twin does not forecast.
[[nodiscard]] twin::risk::HypotensionRiskSettings risk_model_settings(const TwinSection& twin);

/// "ukf", or "enkf (200 members, seed 20261125)".
[[nodiscard]] std::string describe_filter(const twin::risk::HypotensionRiskSettings& model);

/// "none (raw risk)", or "platt 300 s, isotonic 900 s (maps 0123456789abcdef)".
[[nodiscard]] std::string describe_recalibration(const twin::risk::HypotensionRiskSettings& model);

}  // namespace ptwin::app
