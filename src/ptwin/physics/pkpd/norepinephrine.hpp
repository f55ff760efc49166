// SPDX-License-Identifier: Apache-2.0
#pragma once
// Norepinephrine raising systemic vascular resistance: ILLUSTRATIVE population values for
// what-if scenarios, not a dosing aid and not fitted to any patient.
//
// Pharmacokinetics: one compartment, V = 8.8 L, CL = 2.0 L/min (t1/2 = 3.0 min). Beloeil et
// al. 2005 (beloeil2005norepinephrine; Br J Anaesth 95(6):782-8, doi:10.1093/bja/aei259)
// fitted a one-compartment model in septic shock and trauma patients, with CL falling from
// 3 L/min (t1/2 2 min) at SAPS II = 20 to 0.9 L/min (t1/2 6.8 min) at SAPS II = 60; both ends
// imply V = CL t1/2 / ln 2 of about 8.7-8.8 L; 2.0 L/min is a mid-severity value.
// Endogenous norepinephrine is not modelled: concentrations are those added by the infusion.
//
// Pharmacodynamics (assumed; no published population ke0 or SVR-EC50 known to us): ke0 =
// 0.5 /min (equilibration half-time 1.4 min), sigmoid Emax on SVR with Emax = 1.0 (SVR at
// most doubles), EC50 = 5 ug/L, Hill 1.5. With these, 0.1 ug/kg/min for 70 kg (7 ug/min)
// gives Css = 3.5 ug/L and SVR x1.37 at steady state, in the range of the 20-40 % MAP rise
// clinicians see at such doses (Oualha et al. 2014, oualha2014norepinephrine, report an Emax
// on MAP of 32 mmHg in children with <= 3 organ dysfunctions).

#include "ptwin/physics/pkpd/drug_effect_model.hpp"

namespace ptwin::physics::pkpd {

/// The illustrative norepinephrine model above, scaling `parameter` (default
/// "systemic_resistance", the adjustable parameter of data/models/regazzoni2022_closed_loop.json).
[[nodiscard]] DrugEffectModel norepinephrine_on_systemic_resistance(
    std::string parameter = "systemic_resistance");

}  // namespace ptwin::physics::pkpd
