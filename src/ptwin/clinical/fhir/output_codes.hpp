// SPDX-License-Identifier: Apache-2.0
#pragma once
// The code systems and extension URLs ptwin's FHIR outputs use where FHIR R5, LOINC and UCUM
// have no code (docs/clinical.md#fhir-outputs). All live under one namespace so that a
// deployment can publish the matching CodeSystem and StructureDefinition resources there.

#include <string_view>

#include "ptwin/ingest/fhir/twin_output_marker.hpp"

namespace ptwin::clinical::fhir {

inline constexpr std::string_view kNamespace = "https://ptwin.dev/fhir";
/// Codes of what the twin computes: the risk, its outcome, the estimated parameters, methods.
inline constexpr std::string_view kCodeSystem = "https://ptwin.dev/fhir/CodeSystem/twin";
/// Verification status of the model that made an output: unverified | passed | failed.
inline constexpr std::string_view kVerificationStatusSystem =
    "https://ptwin.dev/fhir/CodeSystem/model-verification-status";
/// Identifier systems of written resources (the value is stable across retries).
inline constexpr std::string_view kIdentifierSystem = "https://ptwin.dev/fhir/identifier/output";
/// Extension on every output: the model's name, version, settings digest and status.
/// (Readers of EHR data recognise the twin's outputs by it: ingest/fhir/twin_output_marker.hpp.)
inline constexpr std::string_view kModelExtension = ingest::fhir::kModelProvenanceExtension;
/// Extension on RiskAssessment.prediction: a forecast quantity's median and 90 % interval at
/// the end of the prediction window.
inline constexpr std::string_view kForecastExtension =
    "https://ptwin.dev/fhir/StructureDefinition/forecast-interval";

/// Extension on RiskAssessment.prediction when the probability is recalibrated: the method
/// (platt | isotonic) and the raw probability the map took (docs/clinical.md#riskassessment).
inline constexpr std::string_view kRecalibrationExtension =
    "https://ptwin.dev/fhir/StructureDefinition/risk-recalibration";

inline constexpr std::string_view kLoinc = "http://loinc.org";
inline constexpr std::string_view kUcum = "http://unitsofmeasure.org";

}  // namespace ptwin::clinical::fhir
