// SPDX-License-Identifier: Apache-2.0
#pragma once
// Which model produced an output: its name, its version (bumped when its equations or code
// change) and the SHA-256 of its settings in a canonical text form (so that any change of a
// setting after verification is seen as a different model). The gate (model_gate.hpp) compares
// the running model's identity with the one its verification record was made for.

#include <optional>
#include <string>
#include <vector>

#include "ptwin/twin/risk/hypotension_risk_twin.hpp"

namespace ptwin::vv::gate {

struct ModelIdentity {
  std::string name;             // e.g. "ptwin-hypotension-risk"
  std::string version;          // e.g. "1.0.0"
  std::string settings_digest;  // 64 lowercase hex digits
  friend bool operator==(const ModelIdentity&, const ModelIdentity&) = default;
};

/// The version of the hypotension risk model (HaemodynamicTrendModel + UKF or EnKF + Gaussian
/// forecast + optional recalibration per horizon). Bump it when the model's equations, filter or
/// forecast change. 1.1.0: the filter is a setting (UKF or EnKF) and the risk may be recalibrated.
inline constexpr const char* kHypotensionRiskModelName = "ptwin-hypotension-risk";
inline constexpr const char* kHypotensionRiskModelVersion = "1.1.0";

/// Every setting of the model, one "name=value" per line with values printed to 17
/// significant digits (round-trip exact), in a fixed order: the text that is digested.
[[nodiscard]] std::string canonical_settings_text(
    const twin::risk::HypotensionRiskSettings& settings);

/// The recalibration maps' part of canonical_settings_text ("recalibration[300s].method=platt"
/// ...), in the order given.
[[nodiscard]] std::string recalibration_settings_text(
    const std::vector<twin::risk::HorizonRecalibration>& recalibrations);

/// SHA-256 of recalibration_settings_text: which maps recalibrate the risk (shown with the
/// model's identity on the outputs and the dashboard); nullopt without maps (raw risk).
[[nodiscard]] std::optional<std::string> recalibration_digest(
    const std::vector<twin::risk::HorizonRecalibration>& recalibrations);

/// The identity of the hypotension risk model run with `settings`.
[[nodiscard]] ModelIdentity hypotension_risk_model_identity(
    const twin::risk::HypotensionRiskSettings& settings);

}  // namespace ptwin::vv::gate
