// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/oru_mapper.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/hl7v2/dtm.hpp"
#include "ptwin/ingest/hl7v2/hl7v2_error.hpp"
#include "ptwin/ingest/hl7v2/observation_codes.hpp"
#include "ptwin/ingest/hl7v2/patient_identity.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

// OBX fields (v2.5.1 chapter 7).
constexpr std::size_t kValueType = 2;
constexpr std::size_t kIdentifier = 3;
constexpr std::size_t kValue = 5;
constexpr std::size_t kUnits = 6;
constexpr std::size_t kResultStatus = 11;
constexpr std::size_t kObservationTime = 14;
constexpr std::size_t kObrObservationTime = 7;

// The patient the following OBX belong to: an identity, or the problem its PID had.
struct PatientContext {
  std::optional<PatientIdentity> identity;
  std::optional<Problem> problem;
};

void check_status(const Segment& obx) {
  const auto status = obx.value(kResultStatus);
  if (status == "F" || status == "C") return;
  if (status.empty()) {
    throw Hl7v2Error(ErrorCode::MissingField, ConditionCode::RequiredFieldMissing,
                     obx.where(kResultStatus), "", "is required (F final or C corrected)");
  }
  throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::TableValueNotFound,
                   obx.where(kResultStatus), printable_value(status),
                   "only final (F) or corrected (C) results are used");
}

ObservationCode read_code(const Segment& obx) {
  for (const std::size_t first : {std::size_t{1}, std::size_t{4}}) {
    const auto identifier = obx.value(kIdentifier, 1, first);
    if (identifier.empty()) continue;
    if (auto code = find_observation_code(identifier, obx.value(kIdentifier, 1, first + 2))) {
      return *code;
    }
  }
  throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::TableValueNotFound, obx.where(kIdentifier),
                   printable_value(obx.raw_field(kIdentifier)),
                   "is not an observation ptwin reads (LOINC \"LN\" 8867-4, 8480-6, 8462-4, "
                   "8478-0, 8741-1, 10230-1; MDC 147842, 150021, 150022, 150023; see "
                   "docs/hl7v2.md)");
}

void check_value_type(const Segment& obx) {
  const auto type = obx.value(kValueType);
  if (type == "NM") return;
  if (type.empty()) {
    throw Hl7v2Error(ErrorCode::MissingField, ConditionCode::RequiredFieldMissing,
                     obx.where(kValueType), "", "is required (NM for a measurement)");
  }
  throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::DataTypeError, obx.where(kValueType),
                   printable_value(type), "must be NM (numeric) for a measurement");
}

double read_value(const Segment& obx) {
  if (obx.repetition_count(kValue) > 1) {
    throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::DataTypeError, obx.where(kValue),
                     printable_value(obx.raw_field(kValue)),
                     "holds several values; a measurement has one");
  }
  const auto text = obx.value(kValue);
  if (text.empty()) {
    throw Hl7v2Error(ErrorCode::MissingField, ConditionCode::RequiredFieldMissing,
                     obx.where(kValue), "", "is required (the measured value)");
  }
  return parse_nm(text, obx.where(kValue));
}

// The UCUM unit of OBX-6 (CWE): a triplet coded "UCUM", then an MDC unit code, then an
// uncoded identifier (most senders write UCUM without naming the system).
std::string read_unit(const Segment& obx) {
  for (const std::size_t first : {std::size_t{1}, std::size_t{4}}) {
    auto identifier = obx.value(kUnits, 1, first);
    const auto system = obx.value(kUnits, 1, first + 2);
    if (identifier.empty()) continue;
    if (system == "UCUM") return identifier;
    if (system == "MDC") {
      if (auto ucum = ucum_of_mdc_unit(identifier)) return std::string(*ucum);
    }
  }
  auto identifier = obx.value(kUnits, 1, 1);
  if (!identifier.empty() && obx.value(kUnits, 1, 3).empty()) return identifier;
  if (obx.raw_field(kUnits).empty()) {
    throw Hl7v2Error(ErrorCode::MissingField, ConditionCode::RequiredFieldMissing,
                     obx.where(kUnits), "", "a measurement needs its unit (UCUM in OBX-6.1)");
  }
  throw Hl7v2Error(ErrorCode::UnknownUnit, ConditionCode::TableValueNotFound, obx.where(kUnits),
                   printable_value(obx.raw_field(kUnits)),
                   "names no unit ptwin reads: UCUM (coding system UCUM or none) or the MDC "
                   "units 266016 and 264864");
}

struct ObrContext {
  const Segment* obr = nullptr;
};

time::Instant read_time(const Segment& obx, const ObrContext& context,
                        std::optional<std::chrono::minutes> offset) {
  if (auto text = obx.value(kObservationTime, 1, 1); !text.empty()) {
    return parse_dtm(text, offset, obx.where(kObservationTime));
  }
  if (context.obr != nullptr) {
    if (auto text = context.obr->value(kObrObservationTime, 1, 1); !text.empty()) {
      return parse_dtm(text, offset, context.obr->where(kObrObservationTime));
    }
  }
  throw Hl7v2Error(ErrorCode::MissingField, ConditionCode::RequiredFieldMissing,
                   obx.where(kObservationTime), "",
                   "a measurement needs its time: OBX-14 is empty and no OBR-7 precedes it");
}

Sample read_observation(const Segment& obx, const PatientContext& patient,
                        const ObrContext& obr, const MessageHeader& header,
                        std::optional<std::chrono::minutes> offset) {
  if (!patient.identity) {
    throw Hl7v2Error(ErrorCode::MissingField, ConditionCode::SegmentSequenceError, obx.path(), "",
                     "follows no PID; a result needs its patient");
  }
  check_status(obx);
  const auto code = read_code(obx);
  check_value_type(obx);
  const double value = read_value(obx);
  const auto unit = read_unit(obx);
  const double value_si = units::to_si(value, unit, code.dimension, obx.where(kUnits));
  const auto when = read_time(obx, obr, offset);
  Sample sample;
  sample.patient_id = patient.identity->patient_id;
  sample.code = std::string(code.loinc);
  sample.value_si = value_si;
  sample.unit_of_origin = unit;
  sample.time = when;
  sample.source_id = fmt::format("{}/{}/{}", header.source(), printable_value(header.control_id),
                                 obx.label());
  return sample;
}

}  // namespace

double parse_nm(std::string_view text, std::string_view where) {
  auto digits = text;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) digits.remove_prefix(1);
  std::size_t digit_count = 0;
  std::size_t point_count = 0;
  for (const char c : digits) {
    if (c >= '0' && c <= '9') {
      ++digit_count;
    } else if (c == '.') {
      ++point_count;
    } else {
      digit_count = 0;
      break;
    }
  }
  double value = 0.0;
  if (digit_count > 0 && point_count <= 1) {
    const auto* end = digits.data() + digits.size();
    const auto [next, status] = std::from_chars(digits.data(), end, value);
    if (status == std::errc{} && next == end && std::isfinite(value)) {
      return text.front() == '-' ? -value : value;
    }
  }
  throw InputError(ErrorCode::BadInput, std::string(where), printable_value(text),
                   "is not an HL7 NM number ([+|-]digits[.digits], within the range of a double)");
}

OruResult map_oru_r01(const Message& message, const MessageHeader& header,
                      const Hl7v2Settings& settings) {
  OruResult result;
  const auto offset = settings.zone_offset(header.source_key());
  PatientContext patient;
  ObrContext obr;
  for (const auto& segment : message.segments()) {
    if (segment.id() == "PID") {
      patient = {};
      obr = {};
      try {
        patient.identity = read_patient_identity(segment);
      } catch (const InputError& error) {
        patient.problem = problem_of(error);
      }
    } else if (segment.id() == "OBR") {
      obr.obr = &segment;
    } else if (segment.id() == "OBX") {
      ++result.observation_count;
      if (patient.problem) {
        // The PID's problem is each of its results' problem: they have no patient.
        result.rejected.push_back({segment.label(), segment.raw_bytes(), *patient.problem});
        continue;
      }
      try {
        result.samples.push_back(read_observation(segment, patient, obr, header, offset));
      } catch (const InputError& error) {
        result.rejected.push_back({segment.label(), segment.raw_bytes(), problem_of(error)});
      }
    }
  }
  return result;
}

}  // namespace ptwin::ingest::hl7v2
