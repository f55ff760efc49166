// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the dashboard's banner says about the model behind the risk: its name, version, a digest
// of its settings, and its verification and validation status.
//
// The V&V status comes from one function, verification_status(): until the model registry and
// its gate answer for the live model, it reports "unknown" with the reason, never "passed".

#include <string>

#include "ptwin/twin/risk/hypotension_risk_twin.hpp"

namespace ptwin::server::dashboard {

struct VerificationStatus {
  std::string status;  // "unknown" (no gate result yet), later "passed" / "failed"
  std::string detail;  // why, in words
};

struct ModelInfo {
  std::string name;
  std::string version;
  std::string settings_digest;  // "sha256:<hex>" of the canonical JSON of the settings
  VerificationStatus verification;
};

/// The settings as canonical JSON text (keys sorted, SI values): what the digest is taken of.
[[nodiscard]] std::string settings_json(const twin::risk::HypotensionRiskSettings& settings);

/// The status of a model of this name and settings digest. The one place to ask the V&V gate.
[[nodiscard]] VerificationStatus verification_status(const std::string& name,
                                                     const std::string& settings_digest);

/// The live hypotension-risk model of `ptwin serve`; `software_version` is ptwin's.
[[nodiscard]] ModelInfo hypotension_model_info(const twin::risk::HypotensionRiskSettings& settings,
                                               const std::string& software_version);

}  // namespace ptwin::server::dashboard
