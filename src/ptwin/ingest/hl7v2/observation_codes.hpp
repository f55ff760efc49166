// SPDX-License-Identifier: Apache-2.0
#pragma once
// The observation identifiers (OBX-3) and unit codes (OBX-6) ptwin reads from HL7 v2 results.
// LOINC codes are those of the FHIR vital-signs reader (fhir/vital_signs_reader.hpp, namespace
// loinc); the ISO/IEEE 11073-10101 (MDC) codes that bedside monitors send for heart rate and
// non-invasive blood pressure (IHE PCD-01 style) are read as the LOINC code of the same
// quantity. Table and rules: docs/hl7v2.md#mapping-oru.

#include <optional>
#include <string_view>

#include "ptwin/core/units.hpp"

namespace ptwin::ingest::hl7v2 {

/// A quantity ptwin reads: the LOINC code samples carry and the dimension of its values.
struct ObservationCode {
  std::string_view loinc;
  units::Dimension dimension;
};

/// The quantity named by one coded triplet of OBX-3 (identifier, coding system), or nullopt.
/// `coding_system` is "LN" (LOINC) or "MDC" (ISO/IEEE 11073-10101, numeric code).
[[nodiscard]] std::optional<ObservationCode> find_observation_code(std::string_view identifier,
                                                                   std::string_view coding_system);

/// The UCUM code of an MDC unit code (OBX-6 with coding system "MDC"), or nullopt. Reads
/// 266016 (MDC_DIM_MMHG, mm[Hg]) and 264864 (MDC_DIM_BEAT_PER_MIN, /min).
[[nodiscard]] std::optional<std::string_view> ucum_of_mdc_unit(std::string_view mdc_code);

}  // namespace ptwin::ingest::hl7v2
