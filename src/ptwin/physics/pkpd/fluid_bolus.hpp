// SPDX-License-Identifier: Apache-2.0
#pragma once
// A fluid bolus: a volume given intravenously at a constant rate over a duration, e.g. 500 mL
// of crystalloid over 15 min. The fluid is assumed to stay in the circulation (no capillary
// leak, no redistribution, no urine): the infused volume is an upper bound on the volume
// added to the blood. Volumes are read in the unit given (mL, L) at the edge and kept in m3.

#include <span>
#include <string_view>

#include "ptwin/core/units.hpp"

namespace ptwin::physics::pkpd {

struct FluidBolus {
  units::Duration start;
  units::Duration duration;
  units::Volume volume;
};

/// A bolus of `volume_value` `volume_unit` (e.g. 500, "mL") from `start` over `duration`.
/// Throws InputError naming "<where>.volume" (UnknownUnit, UnitMismatch for a unit that is not a
/// volume, BadInput for a volume <= 0), "<where>.start" (< 0 or not finite) or
/// "<where>.duration" (<= 0 or not finite).
[[nodiscard]] FluidBolus fluid_bolus(double volume_value, std::string_view volume_unit,
                                     units::Duration start, units::Duration duration,
                                     std::string_view where = "fluid_bolus");

/// Inflow rate of the bolus at `time`: volume / duration on [start, start + duration), else 0.
[[nodiscard]] units::VolumeFlow fluid_inflow_at(const FluidBolus& bolus, units::Duration time);

/// Volume given by `time`, summed over `boluses`.
[[nodiscard]] units::Volume fluid_given_by(std::span<const FluidBolus> boluses,
                                           units::Duration time);

}  // namespace ptwin::physics::pkpd
