// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/patient_record.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/store/detail/json_check.hpp"

namespace ptwin::store {

void validate(const PatientRecord& patient) {
  if (patient.id.empty()) {
    throw InputError(ErrorCode::MissingField, "patient record: id", "", "must not be empty");
  }
  detail::require_fhir_resource(patient.fhir_json, "Patient",
                                fmt::format("patient record '{}': fhir_json", patient.id));
}

}  // namespace ptwin::store
