// SPDX-License-Identifier: Apache-2.0
#pragma once
// A drug's dosing schedule: intravenous boluses and a piecewise-constant intravenous infusion
// rate, on a time axis in seconds from the start of the scenario (t = 0, when the drug's
// compartments are empty). A bolus enters the central compartment instantly; an infusion rate
// holds from its start until the next rate change.

#include <vector>

#include "ptwin/core/units.hpp"
#include "ptwin/physics/pkpd/drug_quantities.hpp"

namespace ptwin::physics::pkpd {

struct Bolus {
  units::Duration time;  // from the start of the scenario
  Mass amount;
  friend bool operator==(const Bolus&, const Bolus&) = default;
};

struct InfusionRateChange {
  units::Duration time;  // the rate holds from here until the next change
  MassRate rate;         // zero stops the infusion
  friend bool operator==(const InfusionRateChange&, const InfusionRateChange&) = default;
};

class DosingSchedule {
 public:
  /// Adds an IV bolus. Several boluses may share a time (they add).
  /// Throws InputError(BadInput) naming "bolus[i].time" or "bolus[i].amount" for a negative or
  /// non-finite time or an amount <= 0.
  DosingSchedule& add_bolus(units::Duration time, Mass amount);

  /// Sets the infusion rate from `time` on (until the next change).
  /// Throws InputError(BadInput) naming "infusion_rate[i].time|rate" for a negative or
  /// non-finite time, a negative rate, or a second change at the same time.
  DosingSchedule& set_infusion_rate(units::Duration time, MassRate rate);

  /// An infusion at `rate` over [start, start + duration), then rate 0: two rate changes.
  /// Throws as set_infusion_rate, and BadInput for a duration <= 0.
  DosingSchedule& add_infusion(units::Duration start, units::Duration duration, MassRate rate);

  /// Boluses in time order.
  [[nodiscard]] const std::vector<Bolus>& boluses() const { return boluses_; }
  /// Rate changes in time order.
  [[nodiscard]] const std::vector<InfusionRateChange>& rate_changes() const { return rates_; }
  /// The rate that holds at `time` (right-continuous: a change at `time` is in effect).
  [[nodiscard]] MassRate infusion_rate_at(units::Duration time) const;
  /// Total amount given over [0, time] (boluses at `time` included).
  [[nodiscard]] Mass amount_given_by(units::Duration time) const;

 private:
  std::vector<Bolus> boluses_;
  std::vector<InfusionRateChange> rates_;
};

}  // namespace ptwin::physics::pkpd
