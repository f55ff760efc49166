// SPDX-License-Identifier: Apache-2.0
#pragma once
// Plasma and effect-site concentrations of a dosing schedule at requested times.
//
// The plasma concentration comes from the compartment model's exact advance, walked from one
// schedule event to the next (no discretisation error). The effect site is the hypothetical
// compartment of Sheiner et al. 1979 (sheiner1979simultaneous), linked to plasma with no mass:
//   dCe/dt = ke0 (Cp(t) - Ce),   Ce(0) = 0,
// which delays the effect behind the plasma concentration (hysteresis). It is integrated with
// a small step h (settings.max_step) by the exponential integrator that is exact when Cp is
// linear over the step:
//   Ce(h) = Cp(h) - s/ke0 + (Ce(0) - Cp(0) + s/ke0) e^{-ke0 h},  s = (Cp(h) - Cp(0)) / h,
// so the error is that of linear interpolation of Cp, O(h^2) overall (each step's local error
// is bounded by h^2/8 max|Cp''|). Steps never straddle a schedule event, where Cp jumps or
// bends.
//
// Time convention: a bolus or rate change at time t is in effect in the value reported at t
// (right-continuous), and t = 0 is the start with empty compartments.

#include <optional>
#include <span>
#include <vector>

#include "ptwin/core/units.hpp"
#include "ptwin/physics/pkpd/compartment_model.hpp"
#include "ptwin/physics/pkpd/dosing_schedule.hpp"

namespace ptwin::physics::pkpd {

struct ProfileSettings {
  /// Effect-site equilibration rate constant ke0; none: no effect site is computed.
  std::optional<units::Frequency> ke0;
  /// Largest step of the effect-site integration.
  units::Duration max_step = units::Duration::from_si(1.0);
};

struct ConcentrationProfile {
  std::vector<units::Duration> times;
  std::vector<MassConcentration> plasma;
  std::vector<MassConcentration> effect_site;  // empty when settings.ke0 is not set
};

/// Concentrations at `times` (non-decreasing, >= 0).
/// Throws InputError(BadInput) naming "times[i]" for a negative, non-finite or decreasing
/// time, "ke0" for a ke0 that is not finite and > 0, "max_step" likewise.
[[nodiscard]] ConcentrationProfile simulate_profile(const CompartmentModel& model,
                                                    const DosingSchedule& schedule,
                                                    std::span<const units::Duration> times,
                                                    const ProfileSettings& settings = {});

/// `count` times from 0 to `end` inclusive, evenly spaced (count >= 2).
[[nodiscard]] std::vector<units::Duration> uniform_times(units::Duration end, std::size_t count);

}  // namespace ptwin::physics::pkpd
