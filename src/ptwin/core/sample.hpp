// SPDX-License-Identifier: Apache-2.0
#pragma once
// The canonical measurement record: every stream adapter produces these (DESIGN.md).

#include <string>

#include "ptwin/core/time.hpp"

namespace ptwin {

enum class SampleQuality { Good, Questionable, Artefact };

struct Sample {
  std::string patient_id;      // pseudonymous twin-side patient id
  std::string code;            // LOINC where one exists, e.g. "8480-6" (systolic pressure)
  double value_si = 0.0;       // value converted to SI (Pa, m3/s, Hz, ratio ...)
  std::string unit_of_origin;  // UCUM unit as received, kept for audit and display
  time::Instant time{};        // UTC, nanoseconds
  std::string source_id;       // e.g. "fhir:Observation/bp-1"
  SampleQuality quality = SampleQuality::Good;
  friend bool operator==(const Sample&, const Sample&) = default;
};

}  // namespace ptwin
