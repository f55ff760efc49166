// SPDX-License-Identifier: Apache-2.0
#pragma once
// Drug amounts, dosing rates and concentrations as SI quantities (kg, kg/s, kg/m3), and the
// conversions from the units clinicians write (ug, mg/h, ug/kg/min, ng/mL) that happen at the
// edge of the PK/PD code. 1 ug/L = 1 ng/mL = 1e-6 kg/m3.

#include <string_view>

#include "ptwin/core/units.hpp"

namespace ptwin::physics::pkpd {

inline constexpr units::Dimension kMassDim{1, 0, 0, 0};
inline constexpr units::Dimension kMassRateDim{1, 0, -1, 0};
inline constexpr units::Dimension kMassConcentrationDim{1, -3, 0, 0};

using Mass = units::Quantity<kMassDim>;
using MassRate = units::Quantity<kMassRateDim>;
using MassConcentration = units::Quantity<kMassConcentrationDim>;
/// Clearance is a volume of plasma cleared per unit time (m3/s).
using Clearance = units::VolumeFlow;

inline constexpr units::Unit<kMassDim> kg{1.0, "kg"};
inline constexpr units::Unit<kMassDim> mg{1e-6, "mg"};
inline constexpr units::Unit<kMassDim> ug{1e-9, "ug"};
inline constexpr units::Unit<kMassRateDim> ug_per_min{1e-9 / 60.0, "ug/min"};
inline constexpr units::Unit<kMassRateDim> mg_per_h{1e-6 / 3600.0, "mg/h"};
inline constexpr units::Unit<kMassConcentrationDim> ug_per_L{1e-6, "ug/L"};
inline constexpr units::Unit<kMassConcentrationDim> mg_per_L{1e-3, "mg/L"};
inline constexpr units::Unit<units::kFrequencyDim> per_min{1.0 / 60.0, "/min"};

/// A bolus amount, e.g. (10, "ug"). `where` names the field in errors.
/// Throws InputError: UnknownUnit, UnitMismatch (not a mass), BadInput (not finite or <= 0).
[[nodiscard]] Mass dose_amount(double value, std::string_view unit, std::string_view where);

/// An infusion rate, e.g. (7, "ug/min"). Zero stops an infusion.
/// Throws InputError: UnknownUnit, UnitMismatch (not a mass per time), BadInput (< 0).
[[nodiscard]] MassRate infusion_rate(double value, std::string_view unit, std::string_view where);

/// A weight-based infusion rate, e.g. (0.1, "ug/kg/min") for a 70 kg patient. The unit must be
/// a mass per body mass per time (dimension 1/time).
/// Throws InputError: UnknownUnit, UnitMismatch, BadInput (rate < 0 or body mass <= 0).
[[nodiscard]] MassRate weight_based_infusion_rate(double value, std::string_view unit,
                                                  Mass body_mass, std::string_view where);

/// A mass concentration, e.g. (5, "ug/L") or (5, "ng/mL").
/// Throws InputError: UnknownUnit, UnitMismatch, BadInput (not finite or < 0).
[[nodiscard]] MassConcentration mass_concentration(double value, std::string_view unit,
                                                   std::string_view where);

}  // namespace ptwin::physics::pkpd
