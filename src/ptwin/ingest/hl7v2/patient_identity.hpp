// SPDX-License-Identifier: Apache-2.0
#pragma once
// Who a message is about: the PID-3 identifier (CX) with its assigning authority, and the
// twin-side patient id derived from the pair. The id is a digest, not the medical record
// number: an MRN is PHI, and the twin-side id is logged and shown (STYLE.md §8). The same
// identifier and authority always give the same id, so ORU samples and ADT resources of one
// patient meet.

#include <string>

#include "ptwin/ingest/hl7v2/message.hpp"

namespace ptwin::ingest::hl7v2 {

struct PatientIdentity {
  std::string patient_id;          // "hl7v2-" + 32 hex digits of SHA-256(authority "|" id)
  std::string identifier;          // CX.1, the id number (PHI: never log)
  std::string authority;           // CX.4.1 namespace id, else CX.4.2 universal id
  std::string authority_universal_id;       // CX.4.2, may be empty
  std::string authority_universal_id_type;  // CX.4.3 (ISO, UUID, URI, ...), may be empty
  std::string identifier_type;     // CX.5 (HL7 table 0203: MR, PI, ...), may be empty
  std::size_t repetition = 1;      // which repetition of PID-3 it was
};

/// The patient id of an identifier and its authority (see PatientIdentity::patient_id).
[[nodiscard]] std::string patient_id_of(std::string_view authority, std::string_view identifier);

/// Picks the patient's identifier from PID-3: the first repetition of type MR (medical record
/// number) that has an id and an assigning authority, else the first that has both.
/// Throws Hl7v2Error naming `<source>: PID[n]-3`: MissingField when PID-3 is empty;
/// BadInput when no repetition has an assigning authority (an id without one is ambiguous
/// across facilities, so it is not guessed).
[[nodiscard]] PatientIdentity read_patient_identity(const Segment& pid);

}  // namespace ptwin::ingest::hl7v2
