// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the dashboard's banner says about the model behind the risk: its name, version, the
// digest of its settings, and its verification status, all as the V&V gate sees them
// (docs/vv.md#model-gate): the same identity the FHIR outputs carry.

#include <optional>
#include <string>

#include "ptwin/twin/risk/hypotension_risk_twin.hpp"
#include "ptwin/vv/gate/model_gate.hpp"

namespace ptwin::server::dashboard {

struct VerificationStatus {
  std::string status;  // "passed", "failed" or "unverified" (vv::gate::VerificationStatus)
  std::string detail;  // why, in words
};

struct ModelInfo {
  std::string name;
  std::string version;
  std::string settings_digest;  // vv::gate::ModelIdentity::settings_digest
  VerificationStatus verification;
  /// The risk's recalibration: "platt 300 s, isotonic 900 s" and the maps' digest
  /// (vv::gate::recalibration_digest); absent when the risk is the raw one.
  std::optional<std::string> recalibration;
  std::optional<std::string> recalibration_digest;
};

/// The live hypotension-risk model run with `settings`. `gate` is the gate the process
/// established for it (serve runs the verification cases when it has FHIR outputs), or null:
/// then the status is "unverified", saying how to establish it.
[[nodiscard]] ModelInfo hypotension_model_info(const twin::risk::HypotensionRiskSettings& settings,
                                               const vv::gate::ModelGate* gate);

}  // namespace ptwin::server::dashboard
