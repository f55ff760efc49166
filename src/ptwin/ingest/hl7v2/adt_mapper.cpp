// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/adt_mapper.hpp"

#include <array>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "ptwin/core/digest.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/hl7v2/dtm.hpp"
#include "ptwin/ingest/hl7v2/hl7v2_error.hpp"
#include "ptwin/ingest/hl7v2/patient_identity.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

using nlohmann::json;

// PID, PV1 and EVN fields (v2.5.1 chapters 3 and 2).
constexpr std::size_t kPidIdentifiers = 3;
constexpr std::size_t kPidName = 5;
constexpr std::size_t kPidBirth = 7;
constexpr std::size_t kPidSex = 8;
constexpr std::size_t kPv1Class = 2;
constexpr std::size_t kPv1VisitNumber = 19;
constexpr std::size_t kPv1Admit = 44;
constexpr std::size_t kPv1Discharge = 45;
constexpr std::size_t kEvnOccurred = 6;
constexpr std::size_t kDigestHexDigits = 32;

struct ClassRow {
  std::string_view hl7;  // table 0004
  std::string_view act_code;
  std::string_view display;
};
constexpr std::array kClasses{
    ClassRow{"E", "EMER", "emergency"},         ClassRow{"I", "IMP", "inpatient encounter"},
    ClassRow{"O", "AMB", "ambulatory"},         ClassRow{"P", "PRENC", "pre-admission"},
    ClassRow{"R", "AMB", "ambulatory"},         ClassRow{"B", "IMP", "inpatient encounter"},
};

// A value that is empty or HL7's explicit null reads as absent.
std::optional<std::string> present(std::string text) {
  if (text.empty() || is_explicit_null(text)) return std::nullopt;
  return text;
}

const Segment& required_segment(const Message& message, std::string_view id,
                                std::string_view why) {
  const auto* segment = message.find(id);
  if (segment == nullptr) {
    throw Hl7v2Error(ErrorCode::MissingField, ConditionCode::SegmentSequenceError,
                     fmt::format("{}: {}", message.source(), id), "",
                     fmt::format("is required ({})", why));
  }
  return *segment;
}

// Identifier.system from an HD universal id (CX.4.2 / CX.4.3), when it has a known type.
std::optional<std::string> identifier_system(const std::string& universal_id,
                                             const std::string& type) {
  if (universal_id.empty()) return std::nullopt;
  if (type == "ISO") return "urn:oid:" + universal_id;
  if (type == "UUID") return "urn:uuid:" + universal_id;
  if (type == "URI") return universal_id;
  return std::nullopt;
}

json cx_identifier(const Segment& segment, std::size_t field, std::size_t repetition) {
  json identifier = {{"value", segment.value(field, repetition, 1)}};
  const auto authority = present(segment.value(field, repetition, 4, 1));
  if (auto system = identifier_system(segment.value(field, repetition, 4, 2),
                                      segment.value(field, repetition, 4, 3))) {
    identifier["system"] = *system;
  }
  if (auto type = present(segment.value(field, repetition, 5))) {
    identifier["type"] = {
        {"coding", json::array({{{"system", "http://terminology.hl7.org/CodeSystem/v2-0203"},
                                 {"code", *type}}})}};
  }
  if (authority) identifier["assigner"] = {{"display", *authority}};
  return identifier;
}

json patient_names(const Segment& pid) {
  json names = json::array();
  for (std::size_t r = 1; r <= pid.repetition_count(kPidName); ++r) {
    json name = json::object();
    if (auto family = present(pid.value(kPidName, r, 1, 1))) name["family"] = *family;
    json given = json::array();
    for (const std::size_t component : {std::size_t{2}, std::size_t{3}}) {
      if (auto part = present(pid.value(kPidName, r, component))) given.push_back(*part);
    }
    if (!given.empty()) name["given"] = given;
    if (auto suffix = present(pid.value(kPidName, r, 4))) name["suffix"] = json::array({*suffix});
    if (auto prefix = present(pid.value(kPidName, r, 5))) name["prefix"] = json::array({*prefix});
    if (pid.value(kPidName, r, 7) == "L") name["use"] = "official";
    if (!name.empty()) names.push_back(std::move(name));
  }
  return names;
}

std::optional<std::string> gender(const Segment& pid) {
  const auto sex = present(pid.value(kPidSex));
  if (!sex) return std::nullopt;
  if (*sex == "M") return "male";
  if (*sex == "F") return "female";
  if (*sex == "O" || *sex == "A") return "other";
  if (*sex == "U" || *sex == "N") return "unknown";
  throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::TableValueNotFound, pid.where(kPidSex),
                   printable_value(*sex),
                   "is not an administrative sex of HL7 table 0001 (M, F, O, U, A, N)");
}

json map_patient(const Segment& pid, const PatientIdentity& identity) {
  json patient = {{"resourceType", "Patient"}, {"id", identity.patient_id}};
  json identifiers = json::array();
  for (std::size_t r = 1; r <= pid.repetition_count(kPidIdentifiers); ++r) {
    if (present(pid.value(kPidIdentifiers, r, 1))) {
      identifiers.push_back(cx_identifier(pid, kPidIdentifiers, r));
    }
  }
  patient["identifier"] = identifiers;
  if (auto names = patient_names(pid); !names.empty()) patient["name"] = names;
  if (auto sex = gender(pid)) patient["gender"] = *sex;
  if (auto birth = present(pid.value(kPidBirth, 1, 1))) {
    patient["birthDate"] = dtm_to_fhir_date(*birth, pid.where(kPidBirth));
  }
  return patient;
}

std::optional<json> encounter_class(const Segment& pv1) {
  const auto code = present(pv1.value(kPv1Class));
  if (!code || *code == "N" || *code == "U") return std::nullopt;
  for (const auto& row : kClasses) {
    if (row.hl7 == *code) {
      return json::array({{{"coding", json::array({{{"system",
                                                      "http://terminology.hl7.org/CodeSystem/"
                                                      "v3-ActCode"},
                                                     {"code", row.act_code},
                                                     {"display", row.display}}})}}});
    }
  }
  throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::TableValueNotFound, pv1.where(kPv1Class),
                   printable_value(*code),
                   "is not a patient class ptwin maps (HL7 table 0004: E, I, O, P, R, B; N and U "
                   "give no class)");
}

struct Period {
  std::optional<time::Instant> start;
  std::optional<time::Instant> end;
};

std::optional<time::Instant> time_at(const Segment* segment, std::size_t field,
                                     std::optional<std::chrono::minutes> offset) {
  if (segment == nullptr) return std::nullopt;
  const auto text = present(segment->value(field, 1, 1));
  if (!text) return std::nullopt;
  return parse_dtm(*text, offset, segment->where(field));
}

Period read_period(const Message& message, const Segment& pv1, std::string_view trigger,
                   std::optional<std::chrono::minutes> offset) {
  const auto* evn = message.find("EVN");
  Period period{time_at(&pv1, kPv1Admit, offset), std::nullopt};
  if (trigger != "A01") period.end = time_at(&pv1, kPv1Discharge, offset);
  const auto missing = [&](std::size_t field, std::string_view what) {
    return Hl7v2Error(ErrorCode::MissingField, ConditionCode::RequiredFieldMissing,
                      pv1.where(field), "",
                      fmt::format("is required for {} (or EVN-6, the time the event occurred)",
                                  what));
  };
  if (trigger == "A01" && !period.start) {
    period.start = time_at(evn, kEvnOccurred, offset);
    if (!period.start) throw missing(kPv1Admit, "an admission (A01)");
  }
  if (trigger == "A03" && !period.end) {
    period.end = time_at(evn, kEvnOccurred, offset);
    if (!period.end) throw missing(kPv1Discharge, "a discharge (A03)");
  }
  if (period.start && period.end && *period.end < *period.start) {
    throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::DataTypeError, pv1.where(kPv1Discharge),
                     time::format_iso8601(*period.end),
                     fmt::format("is before the admission {}",
                                 time::format_iso8601(*period.start)));
  }
  return period;
}

json map_encounter(const Message& message, const Segment& pv1, const MessageHeader& header,
                   const std::string& patient_id, std::optional<std::chrono::minutes> offset) {
  const auto visit = present(pv1.value(kPv1VisitNumber, 1, 1));
  if (!visit) {
    throw Hl7v2Error(ErrorCode::MissingField, ConditionCode::RequiredFieldMissing,
                     pv1.where(kPv1VisitNumber), "",
                     "is required (the visit number links the admission, its updates and its "
                     "discharge)");
  }
  auto authority = pv1.value(kPv1VisitNumber, 1, 4, 1);
  if (authority.empty()) authority = pv1.value(kPv1VisitNumber, 1, 4, 2);
  const auto id = "hl7v2-" + sha256_hex(fmt::format("{}|{}|{}", patient_id, authority, *visit))
                                 .substr(0, kDigestHexDigits);
  const auto period = read_period(message, pv1, header.type.trigger, offset);
  const bool is_finished = header.type.trigger == "A03" || period.end.has_value();
  json encounter = {{"resourceType", "Encounter"},
                    {"id", id},
                    {"identifier", json::array({cx_identifier(pv1, kPv1VisitNumber, 1)})},
                    {"status", is_finished ? "completed" : "in-progress"},
                    {"subject", {{"reference", "Patient/" + patient_id}}}};
  if (auto classes = encounter_class(pv1)) encounter["class"] = *classes;
  json actual_period = json::object();
  if (period.start) actual_period["start"] = time::format_iso8601(*period.start);
  if (period.end) actual_period["end"] = time::format_iso8601(*period.end);
  if (!actual_period.empty()) encounter["actualPeriod"] = actual_period;
  return encounter;
}

}  // namespace

AdtResources map_adt(const Message& message, const MessageHeader& header,
                     const Hl7v2Settings& settings) {
  const auto offset = settings.zone_offset(header.source_key());
  const auto& pid = required_segment(message, "PID", "the patient");
  const auto& pv1 = required_segment(message, "PV1", "the visit");
  const auto identity = read_patient_identity(pid);
  AdtResources resources;
  resources.patient_id = identity.patient_id;
  resources.patient = map_patient(pid, identity);
  resources.encounter = map_encounter(message, pv1, header, identity.patient_id, offset);
  return resources;
}

}  // namespace ptwin::ingest::hl7v2
