// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"

#include <array>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/fhir/raw_array_elements.hpp"

namespace ptwin::ingest::fhir {
namespace {

using nlohmann::json;

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

// The bundle comes from outside: every value shown in a message is escaped and shortened.
std::string shown(const json& value) {
  return printable_value(value.is_string() ? value.get<std::string>() : value.dump());
}

// A string element of `object`, or nullopt when absent; InputError when it is not a string.
std::optional<std::string> optional_text(const json& object, std::string_view key,
                                         const std::string& where) {
  if (!object.is_object() || !object.contains(key)) return std::nullopt;
  const auto& value = object.at(std::string(key));
  if (!value.is_string()) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.{}", where, key), shown(value),
                     "must be a string");
  }
  return value.get<std::string>();
}

// A string element for labels only ("?" when absent or not a string); never throws.
std::string label(const json& object, std::string_view key) {
  if (!object.is_object() || !object.contains(key)) return "?";
  const auto& value = object.at(std::string(key));
  return value.is_string() ? printable_value(value.get<std::string>()) : "?";
}

// The first LOINC coding of a CodeableConcept that ptwin reads, or nullptr.
const KnownCode* find_loinc(const json& concept_json, const std::string& where) {
  if (!concept_json.is_object() || !concept_json.contains("coding")) return nullptr;
  const auto& codings = concept_json.at("coding");
  if (!codings.is_array()) {
    throw InputError(ErrorCode::BadInput, where + ".coding", shown(codings),
                     "must be an array of Codings");
  }
  for (const auto& coding : codings) {
    if (!coding.is_object() || coding.value("system", json()) != "http://loinc.org") continue;
    const auto code = coding.value("code", json());
    if (!code.is_string()) continue;
    for (const auto& known : kKnownCodes) {
      if (code.get<std::string>() == known.code) return &known;
    }
  }
  return nullptr;
}

// The UCUM unit of a Quantity: its code (authoritative), else its display unit (FHIR R5).
std::string quantity_unit(const json& quantity, const std::string& where) {
  if (quantity.contains("system") && quantity.at("system") != "http://unitsofmeasure.org") {
    throw InputError(ErrorCode::UnknownUnit, where + ".system", shown(quantity.at("system")),
                     "must be http://unitsofmeasure.org (UCUM)");
  }
  if (auto code = optional_text(quantity, "code", where)) return *code;
  if (auto unit = optional_text(quantity, "unit", where)) return *unit;
  throw InputError(ErrorCode::MissingField, where + ".code", "",
                   "a measurement needs a UCUM unit (valueQuantity.code)");
}

Sample quantity_sample(const json& quantity, const KnownCode& code, const std::string& where,
                       const std::string& patient_id, time::Instant when,
                       const std::string& source_id) {
  const auto quantity_where = where + ".valueQuantity";
  if (!quantity.is_object()) {
    throw InputError(ErrorCode::BadInput, quantity_where, shown(quantity),
                     "must be a Quantity object");
  }
  if (!quantity.contains("value")) {
    throw InputError(ErrorCode::MissingField, quantity_where + ".value", "", "is required");
  }
  if (!quantity.at("value").is_number()) {
    throw InputError(ErrorCode::BadInput, quantity_where + ".value", shown(quantity.at("value")),
                     "must be a number");
  }
  const auto unit = quantity_unit(quantity, quantity_where);
  Sample s;
  s.patient_id = patient_id;
  s.code = std::string(code.code);
  s.value_si = units::to_si(quantity.at("value").get<double>(), unit, code.dimension,
                            quantity_where);
  s.unit_of_origin = unit;
  s.time = when;
  s.source_id = source_id;
  return s;
}

time::Instant effective_time(const json& resource, const std::string& where) {
  const auto field = where + ".effectiveDateTime";
  if (!resource.contains("effectiveDateTime")) {
    throw InputError(ErrorCode::MissingField, field, "", "a measurement needs its time");
  }
  const auto text = optional_text(resource, "effectiveDateTime", where);
  return time::parse_iso8601(*text, std::nullopt, field);
}

void check_status_and_subject(const json& resource, const std::string& where,
                              const std::string& patient_id) {
  const auto status = optional_text(resource, "status", where).value_or("");
  if (status != "final" && status != "amended" && status != "corrected") {
    throw InputError(ErrorCode::BadInput, where + ".status", printable_value(status),
                     "only final, amended or corrected observations are used");
  }
  std::string subject;
  if (resource.contains("subject")) {
    const auto& reference = resource.at("subject");
    if (!reference.is_object()) {
      throw InputError(ErrorCode::BadInput, where + ".subject", shown(reference),
                       "must be a Reference object");
    }
    subject = optional_text(reference, "reference", where + ".subject").value_or("");
  }
  if (subject != "Patient/" + patient_id) {
    throw InputError(ErrorCode::BadInput, where + ".subject.reference", printable_value(subject),
                     fmt::format("must refer to the bundle's patient Patient/{}", patient_id));
  }
}

void read_observation(const json& resource, const std::string& where,
                      const std::string& patient_id, std::vector<Sample>& out) {
  const auto id = optional_text(resource, "id", where).value_or("?");
  check_status_and_subject(resource, where, patient_id);
  const auto when = effective_time(resource, where);
  const auto source_id = fmt::format("fhir:Observation/{}", id);
  const std::size_t before = out.size();
  const auto code_json = resource.value("code", json());
  if (const auto* code = find_loinc(code_json, where + ".code");
      code != nullptr && resource.contains("valueQuantity")) {
    out.push_back(quantity_sample(resource.at("valueQuantity"), *code, where, patient_id, when,
                                  source_id));
  }
  if (resource.contains("component")) {
    const auto& components = resource.at("component");
    if (!components.is_array()) {
      throw InputError(ErrorCode::BadInput, where + ".component", shown(components),
                       "must be an array of components");
    }
    for (std::size_t c = 0; c < components.size(); ++c) {
      const auto component_where = fmt::format("{}.component[{}]", where, c);
      const auto& component = components[c];
      if (!component.is_object()) {
        throw InputError(ErrorCode::BadInput, component_where, shown(component),
                         "must be an object");
      }
      const auto* code = find_loinc(component.value("code", json()), component_where + ".code");
      if (code == nullptr) continue;
      out.push_back(quantity_sample(component.value("valueQuantity", json()), *code,
                                    component_where, patient_id, when, source_id));
    }
  }
  if (out.size() == before) {
    throw InputError(ErrorCode::BadInput, where + ".code", shown(code_json),
                     "holds no LOINC code that ptwin reads (see docs/ingest.md)");
  }
}

// The resource of an entry, or nullptr when the entry has none (a rejected entry, not a crash).
const json* resource_of(const json& entry) {
  if (!entry.is_object() || !entry.contains("resource") || !entry.at("resource").is_object()) {
    return nullptr;
  }
  return &entry.at("resource");
}

// The number in nlohmann's "number overflow parsing '<number>'" message.
std::string_view quoted_number(std::string_view message) {
  const auto first = message.find('\'');
  const auto last = message.rfind('\'');
  if (first == std::string_view::npos || last <= first) return message;
  return message.substr(first + 1, last - first - 1);
}

json parse_bundle(std::string_view json_text, std::string_view source) {
  json bundle;
  try {
    bundle = json::parse(json_text);
  } catch (const json::parse_error& error) {
    throw InputError(ErrorCode::BadInput, std::string(source), fmt::format("byte {}", error.byte),
                     "is not valid JSON");
  } catch (const json::out_of_range& error) {
    // JSON has no limit on numbers; "1e400" parses as a number that no double can hold.
    throw InputError(ErrorCode::BadInput, std::string(source),
                     printable_value(quoted_number(error.what())),
                     "is not valid JSON for ptwin (a number beyond the range of a double)");
  }
  if (!bundle.is_object()) {
    throw InputError(ErrorCode::BadInput, std::string(source), shown(bundle),
                     "is not a JSON object (a FHIR Bundle)");
  }
  const auto resource_type = bundle.value("resourceType", json());
  if (resource_type != "Bundle") {
    throw InputError(ErrorCode::BadInput, fmt::format("{}: resourceType", source),
                     shown(resource_type), "must be a Bundle with entries");
  }
  if (!bundle.contains("entry") || !bundle.at("entry").is_array()) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}: entry", source),
                     shown(bundle.value("entry", json())), "must be a Bundle with entries");
  }
  return bundle;
}

// The bundle's one Patient: its resource and id. Throws InputError naming the field otherwise.
void read_patient(const json& entries, std::string_view source, PatientBundle& result) {
  bool is_found = false;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto* resource = resource_of(entries[i]);
    if (resource == nullptr || resource->value("resourceType", json()) != "Patient") continue;
    const auto where = fmt::format("{}: entry[{}] (Patient)", source, i);
    const auto id = optional_text(*resource, "id", where).value_or("");
    if (std::exchange(is_found, true)) {
      throw InputError(ErrorCode::BadInput, std::string(source), printable_value(id),
                       "holds more than one Patient");
    }
    result.patient = *resource;
    result.patient_id = id;
  }
  if (result.patient_id.empty()) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}: Patient", source), "",
                     "the bundle needs one Patient with an id");
  }
}

}  // namespace

PatientBundle read_patient_bundle(std::string_view json_text, std::string_view source) {
  const auto bundle = parse_bundle(json_text, source);
  PatientBundle result;
  const auto& entries = bundle.at("entry");
  read_patient(entries, source, result);
  // The received bytes of each entry, located only once an entry is rejected.
  std::optional<std::vector<std::string>> raw_entries;
  std::string raw_entries_problem;
  const auto raw_entry = [&](std::size_t i) -> std::pair<std::string, std::string_view> {
    if (!raw_entries) {
      try {
        raw_entries = raw_array_elements(json_text, "entry", source);
        if (raw_entries->size() != entries.size()) {
          raw_entries_problem = fmt::format("{} raw entries located for {} parsed",
                                            raw_entries->size(), entries.size());
        }
      } catch (const InputError& error) {
        raw_entries.emplace();
        raw_entries_problem = error.what();
      }
    }
    if (raw_entries_problem.empty()) return {(*raw_entries)[i], {}};
    return {entries[i].dump(), raw_entries_problem};
  };
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto* resource = resource_of(entries[i]);
    const auto type = resource == nullptr ? std::string("?") : label(*resource, "resourceType");
    if (type == "Patient") continue;
    const auto where = resource == nullptr
                           ? fmt::format("{}: entry[{}]", source, i)
                           : fmt::format("{}: entry[{}] ({}/{})", source, i, type,
                                         label(*resource, "id"));
    try {
      if (resource == nullptr) {
        throw InputError(ErrorCode::BadInput, where, shown(entries[i]),
                         "must be an object with a resource");
      }
      if (type != "Observation") {
        throw InputError(ErrorCode::BadInput, where + ".resourceType",
                         shown(resource->value("resourceType", json())),
                         "is not a resource this reader takes (Patient, Observation)");
      }
      // All samples of an entry or none: a half-read observation is not kept.
      std::vector<Sample> entry_samples;
      read_observation(*resource, where, result.patient_id, entry_samples);
      result.samples.insert(result.samples.end(), entry_samples.begin(), entry_samples.end());
    } catch (const InputError& error) {
      auto [raw, problem] = raw_entry(i);
      // Never silent: where the received bytes could not be cut out, the reason says so.
      result.rejected.push_back(
          {where,
           problem.empty() ? std::string(error.what())
                           : fmt::format("{} (raw entry re-serialised: {})", error.what(), problem),
           std::move(raw)});
    }
  }
  return result;
}

std::vector<Sample> read_vital_sign_observation(const json& observation,
                                                std::string_view patient_id,
                                                std::string_view where) {
  std::vector<Sample> samples;
  read_observation(observation, std::string(where), std::string(patient_id), samples);
  return samples;
}

}  // namespace ptwin::ingest::fhir
