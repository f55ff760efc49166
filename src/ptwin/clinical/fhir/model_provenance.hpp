// SPDX-License-Identifier: Apache-2.0
#pragma once
// How every FHIR output names the model that made it (docs/clinical.md#fhir-outputs):
//   - a Device resource for the model (R5 Device: name, version[].value, property[] with the
//     settings digest, the verification status and, for a recalibrated risk, the digest of the
//     recalibration maps), referenced from RiskAssessment.performer,
//     Observation.device and DetectedIssue.author;
//   - on the output itself, meta.tag with the verification status (so a consumer can filter
//     on it with _tag) and the model-provenance extension (name, version, digest, status), so
//     the facts travel with the resource even where the Device is not resolvable.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ptwin/vv/gate/model_identity.hpp"
#include "ptwin/vv/gate/verification_record.hpp"

namespace ptwin::clinical::fhir {

struct ModelProvenance {
  vv::gate::ModelIdentity model;
  vv::gate::VerificationStatus status = vv::gate::VerificationStatus::Unverified;
  /// vv::gate::recalibration_digest of the model's maps; nullopt: the risk is not recalibrated.
  std::optional<std::string> recalibration_digest;
};

/// "<name>-<first 16 hex digits of the digest>": a FHIR id (1-64 of A-Za-z0-9-.), one per
/// identity, so a settings change gives a new Device.
[[nodiscard]] std::string model_device_id(const vv::gate::ModelIdentity& model);
/// The Device resource of the model (with its id).
[[nodiscard]] nlohmann::json model_device(const ModelProvenance& provenance);
/// {"reference": "Device/<id>", "display": "<name> <version>"}.
[[nodiscard]] nlohmann::json model_device_reference(const vv::gate::ModelIdentity& model);
/// Adds meta.tag (verification status) and the model-provenance extension to `resource`.
void stamp_model_provenance(nlohmann::json& resource, const ModelProvenance& provenance);

/// A FHIR id derived from `parts` (SHA-256, 40 hex digits after `prefix`): the same output
/// gets the same id, so writing it again (a retry) updates instead of duplicating.
[[nodiscard]] std::string output_id(std::string_view prefix, std::string_view parts);

}  // namespace ptwin::clinical::fhir
