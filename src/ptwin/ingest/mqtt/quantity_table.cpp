// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/mqtt/quantity_table.hpp"

#include <array>

#include "ptwin/ingest/fhir/vital_signs_reader.hpp"

namespace ptwin::ingest::mqtt {
namespace {

namespace loinc = ptwin::ingest::fhir::loinc;

// LOINC 9279-1 "Respiratory rate"; 59408-5 "Oxygen saturation in Arterial blood by Pulse
// oximetry". The others are the codes the FHIR vital-signs reader reads (docs/ingest.md).
constexpr std::string_view kRespiratoryRate = "9279-1";
constexpr std::string_view kPulseOximetrySaturation = "59408-5";

constexpr std::array kQuantities{
    BiosensorQuantity{"heart_rate", loinc::kHeartRate, units::kFrequencyDim, "Hz"},
    BiosensorQuantity{"systolic_pressure", loinc::kSystolicPressure, units::kPressureDim, "Pa"},
    BiosensorQuantity{"diastolic_pressure", loinc::kDiastolicPressure, units::kPressureDim, "Pa"},
    BiosensorQuantity{"mean_pressure", loinc::kMeanPressure, units::kPressureDim, "Pa"},
    BiosensorQuantity{"cardiac_output", loinc::kCardiacOutput, units::kVolumeFlowDim, "m3/s"},
    BiosensorQuantity{"ejection_fraction", loinc::kEjectionFraction, units::kDimensionless, "1"},
    BiosensorQuantity{"respiratory_rate", kRespiratoryRate, units::kFrequencyDim, "Hz"},
    BiosensorQuantity{"spo2", kPulseOximetrySaturation, units::kDimensionless, "1"},
};

}  // namespace

std::span<const BiosensorQuantity> biosensor_quantities() { return kQuantities; }

const BiosensorQuantity* find_biosensor_quantity(std::string_view name_or_code) {
  for (const auto& quantity : kQuantities) {
    if (quantity.short_name == name_or_code || quantity.loinc == name_or_code) return &quantity;
  }
  return nullptr;
}

}  // namespace ptwin::ingest::mqtt
