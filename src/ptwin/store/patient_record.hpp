// SPDX-License-Identifier: Apache-2.0
#pragma once
// A patient as the store keeps it: the FHIR Patient resource, verbatim, under the twin-side id.

#include <string>

#include "ptwin/core/time.hpp"

namespace ptwin::store {

struct PatientRecord {
  std::string id;         // pseudonymous twin-side patient id (primary key)
  std::string fhir_json;  // the FHIR R5 Patient resource as JSON text (contains PHI: never log)
  time::Instant updated_at{};  // UTC, when this version was received
  friend bool operator==(const PatientRecord&, const PatientRecord&) = default;
};

/// Checks what every backend relies on: a non-empty id, and `fhir_json` a JSON object whose
/// "resourceType" is "Patient". Throws InputError (BadInput / MissingField) naming the patient
/// id and the field. The JSON text itself is never copied into the message (it carries PHI).
void validate(const PatientRecord& patient);

}  // namespace ptwin::store
