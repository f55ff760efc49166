// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/fhir/model_provenance.hpp"

#include <fmt/format.h>

#include "ptwin/clinical/fhir/output_codes.hpp"
#include "ptwin/core/digest.hpp"

namespace ptwin::clinical::fhir {
namespace {

using nlohmann::json;

json ptwin_concept(std::string_view code, std::string_view display) {
  return {
      {"coding", json::array({{{"system", kCodeSystem}, {"code", code}, {"display", display}}})}};
}

}  // namespace

std::string model_device_id(const vv::gate::ModelIdentity& model) {
  return fmt::format("{}-{}", model.name, model.settings_digest.substr(0, 16));
}

json model_device_reference(const vv::gate::ModelIdentity& model) {
  return {{"reference", "Device/" + model_device_id(model)},
          {"display", fmt::format("{} {}", model.name, model.version)}};
}

json model_device(const ModelProvenance& p) {
  const auto status = std::string(vv::gate::to_string(p.status));
  json device = {
      {"resourceType", "Device"},
      {"id", model_device_id(p.model)},
      {"status", "active"},
      {"displayName", p.model.name},
      {"name", json::array({{{"value", p.model.name}, {"type", "user-friendly-name"}}})},
      {"type",
       json::array({ptwin_concept("digital-twin-model", "Patient digital twin model (software)")})},
      {"version", json::array({{{"type", ptwin_concept("model-version", "Model version")},
                                {"value", p.model.version}}})},
      {"property",
       json::array({{{"type", ptwin_concept("settings-digest", "SHA-256 of the model's settings")},
                     {"valueString", p.model.settings_digest}},
                    {{"type", ptwin_concept("verification-status", "Model verification status")},
                     {"valueCodeableConcept",
                      {{"coding", json::array({{{"system", kVerificationStatusSystem},
                                                {"code", status}}})}}}}})}};
  if (p.recalibration_digest) {
    device["property"].push_back(
        {{"type", ptwin_concept("recalibration-digest",
                                "SHA-256 of the risk recalibration maps (part of the settings)")},
         {"valueString", *p.recalibration_digest}});
  }
  return device;
}

void stamp_model_provenance(json& resource, const ModelProvenance& p) {
  const auto status = std::string(vv::gate::to_string(p.status));
  resource["meta"]["tag"].push_back({{"system", kVerificationStatusSystem}, {"code", status}});
  json parts =
      json::array({{{"url", "name"}, {"valueString", p.model.name}},
                   {{"url", "version"}, {"valueString", p.model.version}},
                   {{"url", "settingsDigest"}, {"valueString", p.model.settings_digest}},
                   {{"url", "verificationStatus"}, {"valueCode", status}},
                   {{"url", "device"}, {"valueReference", model_device_reference(p.model)}}});
  if (p.recalibration_digest) {
    parts.push_back({{"url", "recalibrationDigest"}, {"valueString", *p.recalibration_digest}});
  }
  resource["extension"].push_back({{"url", kModelExtension}, {"extension", std::move(parts)}});
}

std::string output_id(std::string_view prefix, std::string_view parts) {
  return fmt::format("{}-{}", prefix, sha256_hex(parts).substr(0, 40));
}

}  // namespace ptwin::clinical::fhir
