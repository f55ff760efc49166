// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"

#include <array>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin::ingest::fhir {
namespace {

struct KnownCode {
  std::string_view code;
  units::Dimension dimension;
};
constexpr std::array kKnownCodes{
    KnownCode{loinc::kHeartRate, units::kFrequencyDim},
    KnownCode{loinc::kSystolicPressure, units::kPressureDim},
    KnownCode{loinc::kDiastolicPressure, units::kPressureDim},
    KnownCode{loinc::kMeanPressure, units::kPressureDim},
    KnownCode{loinc::kCardiacOutput, units::kVolumeFlowDim},
    KnownCode{loinc::kEjectionFraction, units::kDimensionless},
};

const KnownCode* find_loinc(const nlohmann::json& concept_json) {
  if (!concept_json.contains("coding")) return nullptr;
  for (const auto& coding : concept_json.at("coding")) {
    if (coding.value("system", "") != "http://loinc.org") continue;
    for (const auto& known : kKnownCodes) {
      if (coding.value("code", "") == known.code) return &known;
    }
  }
  return nullptr;
}

Sample quantity_sample(const nlohmann::json& quantity, const KnownCode& code,
                       const std::string& where, const std::string& patient_id,
                       time::Instant when, const std::string& source_id) {
  if (!quantity.is_object() || !quantity.contains("value") || !quantity.at("value").is_number()) {
    throw InputError(ErrorCode::MissingField, where + ".valueQuantity.value",
                     quantity.is_object() ? quantity.dump() : "", "must be a number");
  }
  // UCUM code is authoritative; 'unit' is display text (FHIR R5 Quantity).
  const auto unit = quantity.value("code", quantity.value("unit", std::string()));
  if (quantity.contains("system") && quantity.at("system") != "http://unitsofmeasure.org") {
    throw InputError(ErrorCode::UnknownUnit, where + ".valueQuantity.system",
                     quantity.at("system").dump(), "must be http://unitsofmeasure.org (UCUM)");
  }
  const double value = quantity.at("value").get<double>();
  Sample s;
  s.patient_id = patient_id;
  s.code = std::string(code.code);
  s.value_si = units::to_si(value, unit, code.dimension, where + ".valueQuantity");
  s.unit_of_origin = unit;
  s.time = when;
  s.source_id = source_id;
  return s;
}

void read_observation(const nlohmann::json& resource, const std::string& where,
                      const std::string& patient_id, std::vector<Sample>& out) {
  const auto id = resource.value("id", std::string("?"));
  const auto status = resource.value("status", std::string());
  if (status != "final" && status != "amended" && status != "corrected") {
    throw InputError(ErrorCode::BadInput, where + ".status", status,
                     "only final, amended or corrected observations are used");
  }
  const auto subject = resource.contains("subject") ? resource.at("subject").value("reference", "")
                                                    : std::string();
  if (subject != "Patient/" + patient_id) {
    throw InputError(ErrorCode::BadInput, where + ".subject.reference", subject,
                     fmt::format("must refer to the bundle's patient Patient/{}", patient_id));
  }
  if (!resource.contains("effectiveDateTime") || !resource.at("effectiveDateTime").is_string()) {
    throw InputError(ErrorCode::MissingField, where + ".effectiveDateTime", "",
                     "a measurement needs its time");
  }
  const auto when = time::parse_iso8601(resource.at("effectiveDateTime").get<std::string>());
  const auto source_id = fmt::format("fhir:Observation/{}", id);
  std::size_t before = out.size();
  if (const auto* code = find_loinc(resource.value("code", nlohmann::json::object()));
      code != nullptr && resource.contains("valueQuantity")) {
    out.push_back(quantity_sample(resource.at("valueQuantity"), *code, where, patient_id, when,
                                  source_id));
  }
  if (resource.contains("component")) {
    const auto& components = resource.at("component");
    for (std::size_t c = 0; c < components.size(); ++c) {
      const auto* code = find_loinc(components[c].value("code", nlohmann::json::object()));
      if (code == nullptr) continue;
      out.push_back(quantity_sample(components[c].value("valueQuantity", nlohmann::json()), *code,
                                    fmt::format("{}.component[{}]", where, c), patient_id, when,
                                    source_id));
    }
  }
  if (out.size() == before) {
    throw InputError(ErrorCode::BadInput, where + ".code", resource.value("code", nlohmann::json()).dump(),
                     "holds no LOINC code that ptwin reads (see docs/ingest.md)");
  }
}

}  // namespace

PatientBundle read_patient_bundle(std::string_view json_text, std::string_view source) {
  nlohmann::json bundle;
  try {
    bundle = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& error) {
    throw InputError(ErrorCode::BadInput, std::string(source), fmt::format("byte {}", error.byte),
                     "is not valid JSON");
  }
  if (!bundle.is_object() || bundle.value("resourceType", "") != "Bundle" ||
      !bundle.contains("entry") || !bundle.at("entry").is_array()) {
    throw InputError(ErrorCode::BadInput, std::string(source) + ": resourceType",
                     bundle.is_object() ? bundle.value("resourceType", "") : "",
                     "must be a Bundle with entries");
  }
  PatientBundle result;
  const auto& entries = bundle.at("entry");
  for (const auto& entry : entries) {
    const auto& resource = entry.value("resource", nlohmann::json::object());
    if (resource.value("resourceType", "") == "Patient") {
      if (!result.patient_id.empty()) {
        throw InputError(ErrorCode::BadInput, std::string(source), resource.value("id", ""),
                         "holds more than one Patient");
      }
      result.patient = resource;
      result.patient_id = resource.value("id", "");
    }
  }
  if (result.patient_id.empty()) {
    throw InputError(ErrorCode::MissingField, std::string(source) + ": Patient", "",
                     "the bundle needs one Patient with an id");
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& resource = entries[i].value("resource", nlohmann::json::object());
    const auto type = resource.value("resourceType", std::string());
    if (type == "Patient") continue;
    const auto where = fmt::format("{}: entry[{}] ({}/{})", source, i, type,
                                   resource.value("id", std::string("?")));
    try {
      if (type != "Observation") {
        throw InputError(ErrorCode::BadInput, where + ".resourceType", type,
                         "is not a resource this reader takes (Patient, Observation)");
      }
      // All samples of an entry or none: a half-read observation is not kept.
      std::vector<Sample> entry_samples;
      read_observation(resource, where, result.patient_id, entry_samples);
      result.samples.insert(result.samples.end(), entry_samples.begin(), entry_samples.end());
    } catch (const InputError& error) {
      result.rejected.push_back({where, error.what(), entries[i].dump()});
    }
  }
  return result;
}

}  // namespace ptwin::ingest::fhir
