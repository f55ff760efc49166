// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/hl7v2/observation_codes.hpp"

#include <array>

#include "ptwin/ingest/fhir/vital_signs_reader.hpp"

namespace ptwin::ingest::hl7v2 {
namespace {

namespace loinc = ptwin::ingest::fhir::loinc;

struct CodeRow {
  std::string_view coding_system;
  std::string_view identifier;
  ObservationCode code;
};

// MDC codes are partition * 2^16 + term code (ISO/IEEE 11073-10101); partition 2 (SCADA):
// MDC_ECG_HEART_RATE 147842, MDC_PRESS_BLD_NONINV_SYS/_DIA/_MEAN 150021/150022/150023.
constexpr std::array kCodes{
    CodeRow{"LN", loinc::kHeartRate, {loinc::kHeartRate, units::kFrequencyDim}},
    CodeRow{"LN", loinc::kSystolicPressure, {loinc::kSystolicPressure, units::kPressureDim}},
    CodeRow{"LN", loinc::kDiastolicPressure, {loinc::kDiastolicPressure, units::kPressureDim}},
    CodeRow{"LN", loinc::kMeanPressure, {loinc::kMeanPressure, units::kPressureDim}},
    CodeRow{"LN", loinc::kCardiacOutput, {loinc::kCardiacOutput, units::kVolumeFlowDim}},
    CodeRow{"LN", loinc::kEjectionFraction, {loinc::kEjectionFraction, units::kDimensionless}},
    CodeRow{"MDC", "147842", {loinc::kHeartRate, units::kFrequencyDim}},
    CodeRow{"MDC", "150021", {loinc::kSystolicPressure, units::kPressureDim}},
    CodeRow{"MDC", "150022", {loinc::kDiastolicPressure, units::kPressureDim}},
    CodeRow{"MDC", "150023", {loinc::kMeanPressure, units::kPressureDim}},
};

struct UnitRow {
  std::string_view mdc;
  std::string_view ucum;
};
// Partition 4 (dimensions): MDC_DIM_MMHG 266016, MDC_DIM_BEAT_PER_MIN 264864.
constexpr std::array kMdcUnits{UnitRow{"266016", "mm[Hg]"}, UnitRow{"264864", "/min"}};

}  // namespace

std::optional<ObservationCode> find_observation_code(std::string_view identifier,
                                                     std::string_view coding_system) {
  for (const auto& row : kCodes) {
    if (row.coding_system == coding_system && row.identifier == identifier) return row.code;
  }
  return std::nullopt;
}

std::optional<std::string_view> ucum_of_mdc_unit(std::string_view mdc_code) {
  for (const auto& row : kMdcUnits) {
    if (row.mdc == mdc_code) return row.ucum;
  }
  return std::nullopt;
}

}  // namespace ptwin::ingest::hl7v2
