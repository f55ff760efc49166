// SPDX-License-Identifier: Apache-2.0
#pragma once
// Reads a FHIR R5 Bundle holding one Patient and vital-sign / echo Observations into canonical
// Samples (SI, UTC). Entries that break a rule are not dropped: they come back as rejected
// entries with the reason and their raw JSON, for the quarantine.
// Recognised LOINC codes (docs/ingest.md): 8867-4 heart rate, 8480-6 systolic and 8462-4
// diastolic blood pressure (also as components of the 85354-9 panel), 8478-0 mean blood
// pressure, 8741-1 left ventricular cardiac output, 10230-1 left ventricular ejection fraction.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/core/sample.hpp"

namespace ptwin::ingest::fhir {

struct RejectedEntry {
  std::string source;  // e.g. "bundle.json: entry[3] (Observation/bp-2)"
  std::string reason;  // the InputError message
  std::string raw;     // the entry as received
};

struct PatientBundle {
  std::string patient_id;        // Patient.id
  nlohmann::json patient;        // the Patient resource
  std::vector<Sample> samples;   // accepted measurements, SI
  std::vector<RejectedEntry> rejected;
};

/// Parses the bundle text. Throws InputError when the document itself is unusable (not JSON,
/// not a Bundle, no Patient); single bad Observations are rejected entries instead.
[[nodiscard]] PatientBundle read_patient_bundle(std::string_view json_text, std::string_view source);

/// The samples of one Observation of `patient_id` (its subject must be Patient/<patient_id>),
/// by the rules of the bundle reader; `where` names it in errors. Throws InputError naming the
/// field and the value when the Observation breaks a rule or holds no code ptwin reads.
[[nodiscard]] std::vector<Sample> read_vital_sign_observation(const nlohmann::json& observation,
                                                              std::string_view patient_id,
                                                              std::string_view where);

/// LOINC codes of the quantities above.
namespace loinc {
inline constexpr std::string_view kHeartRate = "8867-4";
inline constexpr std::string_view kSystolicPressure = "8480-6";
inline constexpr std::string_view kDiastolicPressure = "8462-4";
inline constexpr std::string_view kMeanPressure = "8478-0";
inline constexpr std::string_view kCardiacOutput = "8741-1";
inline constexpr std::string_view kEjectionFraction = "10230-1";
}  // namespace loinc

}  // namespace ptwin::ingest::fhir
