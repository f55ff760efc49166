// SPDX-License-Identifier: Apache-2.0
#pragma once
// ADT^A01 (admit), ^A03 (discharge) and ^A08 (update patient information) to FHIR R5 Patient
// and Encounter resources (JSON), which callers store through the FHIR facade or the resource
// store (docs/hl7v2.md#mapping-adt). Ids are derived from the identifiers, so the admission,
// its updates and its discharge write the same two resources:
//   Patient.id    patient_id_of(PID-3 authority, PID-3 id)   (patient_identity.hpp)
//   Encounter.id  "hl7v2-" + 32 hex digits of SHA-256(patient id | PV1-19 authority | PV1-19)
// An ADT message is mapped whole or not at all: any problem throws.

#include <string>

#include <nlohmann/json.hpp>

#include "ptwin/ingest/hl7v2/header.hpp"
#include "ptwin/ingest/hl7v2/message.hpp"
#include "ptwin/ingest/hl7v2/settings.hpp"

namespace ptwin::ingest::hl7v2 {

struct AdtResources {
  std::string patient_id;    // the Patient's id, also the Encounter's subject
  nlohmann::json patient;    // FHIR R5 Patient (PHI: never log)
  nlohmann::json encounter;  // FHIR R5 Encounter
};

/// Maps an ADT^A01/A03/A08 whose header has been read.
///   Patient: identifier (every PID-3 repetition with an id), name (PID-5), gender (PID-8,
///            table 0001), birthDate (PID-7, date part).
///   Encounter: identifier (PV1-19), status (A01 in-progress, A03 completed, A08 completed when
///            PV1-45 is valued, else in-progress), class (PV1-2, table 0004 → v3 ActCode),
///            subject, actualPeriod (start PV1-44, end PV1-45; EVN-6 when A01 lacks PV1-44 or
///            A03 lacks PV1-45).
/// Throws Hl7v2Error / InputError naming the segment and field: a missing PID or PV1, PID-3
/// as read_patient_identity, an empty PV1-19, codes outside the tables, a time parse_dtm
/// refuses, a discharge before the admission.
[[nodiscard]] AdtResources map_adt(const Message& message, const MessageHeader& header,
                                   const Hl7v2Settings& settings);

}  // namespace ptwin::ingest::hl7v2
