// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/patient_identity.hpp"

#include <optional>

#include <fmt/format.h>

#include "ptwin/core/digest.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/ingest/hl7v2/hl7v2_error.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

constexpr std::size_t kIdentifierField = 3;
// 128 bits of the digest: no collision among any realistic number of patients, and the id
// stays within FHIR's 64-character id limit.
constexpr std::size_t kDigestHexDigits = 32;

std::optional<PatientIdentity> identity_at(const Segment& pid, std::size_t repetition) {
  PatientIdentity identity;
  identity.repetition = repetition;
  identity.identifier = pid.value(kIdentifierField, repetition, 1);
  identity.authority = pid.value(kIdentifierField, repetition, 4, 1);
  identity.authority_universal_id = pid.value(kIdentifierField, repetition, 4, 2);
  identity.authority_universal_id_type = pid.value(kIdentifierField, repetition, 4, 3);
  identity.identifier_type = pid.value(kIdentifierField, repetition, 5);
  if (identity.authority.empty()) identity.authority = identity.authority_universal_id;
  if (identity.identifier.empty() || identity.authority.empty() ||
      is_explicit_null(identity.identifier)) {
    return std::nullopt;
  }
  identity.patient_id = patient_id_of(identity.authority, identity.identifier);
  return identity;
}

}  // namespace

std::string patient_id_of(std::string_view authority, std::string_view identifier) {
  return "hl7v2-" +
         sha256_hex(fmt::format("{}|{}", authority, identifier)).substr(0, kDigestHexDigits);
}

PatientIdentity read_patient_identity(const Segment& pid) {
  const auto repetitions = pid.repetition_count(kIdentifierField);
  if (repetitions == 0) {
    throw Hl7v2Error(ErrorCode::MissingField, ConditionCode::RequiredFieldMissing,
                     pid.where(kIdentifierField), "",
                     "is required (the patient identifier list)");
  }
  std::optional<PatientIdentity> first;
  for (std::size_t repetition = 1; repetition <= repetitions; ++repetition) {
    auto identity = identity_at(pid, repetition);
    if (!identity) continue;
    if (identity->identifier_type == "MR") return *identity;
    if (!first) first = std::move(identity);
  }
  if (first) return *first;
  throw Hl7v2Error(ErrorCode::BadInput, ConditionCode::RequiredFieldMissing,
                   pid.where(kIdentifierField), printable_value(pid.raw_field(kIdentifierField)),
                   "holds no identifier with an assigning authority (CX.4); an id without one "
                   "is ambiguous across facilities");
}

}  // namespace ptwin::ingest::hl7v2
