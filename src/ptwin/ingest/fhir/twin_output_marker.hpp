// SPDX-License-Identifier: Apache-2.0
#pragma once
// How a FHIR resource written by a ptwin twin is told apart from a measurement: every output
// (docs/clinical.md#fhir-outputs) carries the model-provenance extension. An EHR subscription
// that notifies ptwin of all Observations also notifies it of the twin's own estimates (an
// estimated cardiac output has LOINC 8741-1); assimilating them as measurements would feed the
// twin its own output, so readers of EHR data skip them.

#include <string_view>

#include <nlohmann/json.hpp>

namespace ptwin::ingest::fhir {

/// The extension every twin output carries: the model's name, version, digest and status.
inline constexpr std::string_view kModelProvenanceExtension =
    "https://ptwin.dev/fhir/StructureDefinition/model-provenance";

/// Whether `resource` has the model-provenance extension at its root.
[[nodiscard]] inline bool is_twin_output(const nlohmann::json& resource) {
  const auto extensions = resource.find("extension");
  if (extensions == resource.end() || !extensions->is_array()) return false;
  for (const auto& extension : *extensions) {
    if (extension.is_object() && extension.value("url", "") == kModelProvenanceExtension) {
      return true;
    }
  }
  return false;
}

}  // namespace ptwin::ingest::fhir
