// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/pkpd/dosing_schedule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "ptwin/core/error.hpp"

namespace ptwin::physics::pkpd {
namespace {

void check_time(units::Duration time, const std::string& where) {
  if (!std::isfinite(time.si()) || time.si() < 0.0) {
    throw InputError(ErrorCode::BadInput, where, fmt::format("{} s", time.si()),
                     "must be a finite time >= 0 s from the start of the scenario");
  }
}

}  // namespace

DosingSchedule& DosingSchedule::add_bolus(units::Duration time, Mass amount) {
  const std::string where = fmt::format("bolus[{}]", boluses_.size());
  check_time(time, where + ".time");
  if (!std::isfinite(amount.si()) || amount.si() <= 0.0) {
    throw InputError(ErrorCode::BadInput, where + ".amount", fmt::format("{} kg", amount.si()),
                     "must be a finite amount greater than zero");
  }
  const auto after = std::upper_bound(boluses_.begin(), boluses_.end(), time,
                                      [](units::Duration t, const Bolus& b) { return t < b.time; });
  boluses_.insert(after, Bolus{time, amount});
  return *this;
}

DosingSchedule& DosingSchedule::set_infusion_rate(units::Duration time, MassRate rate) {
  const std::string where = fmt::format("infusion_rate[{}]", rates_.size());
  check_time(time, where + ".time");
  if (!std::isfinite(rate.si()) || rate.si() < 0.0) {
    throw InputError(ErrorCode::BadInput, where + ".rate", fmt::format("{} kg/s", rate.si()),
                     "must be a finite rate >= 0 (0 stops the infusion)");
  }
  const auto at = std::lower_bound(
      rates_.begin(), rates_.end(), time,
      [](const InfusionRateChange& change, units::Duration t) { return change.time < t; });
  if (at != rates_.end() && at->time == time) {
    throw InputError(ErrorCode::BadInput, where + ".time", fmt::format("{} s", time.si()),
                     "another infusion rate already starts at this time; give one rate per time");
  }
  rates_.insert(at, InfusionRateChange{time, rate});
  return *this;
}

DosingSchedule& DosingSchedule::add_infusion(units::Duration start, units::Duration duration,
                                             MassRate rate) {
  if (!std::isfinite(duration.si()) || duration.si() <= 0.0) {
    throw InputError(ErrorCode::BadInput, fmt::format("infusion_rate[{}].duration", rates_.size()),
                     fmt::format("{} s", duration.si()), "must be greater than zero");
  }
  // Both changes are checked before either is added, so a refused call changes nothing.
  DosingSchedule checked = *this;
  checked.set_infusion_rate(start, rate);
  checked.set_infusion_rate(start + duration, MassRate::from_si(0.0));
  rates_ = std::move(checked.rates_);
  return *this;
}

MassRate DosingSchedule::infusion_rate_at(units::Duration time) const {
  MassRate rate = MassRate::from_si(0.0);
  for (const auto& change : rates_) {
    if (change.time > time) break;
    rate = change.rate;
  }
  return rate;
}

Mass DosingSchedule::amount_given_by(units::Duration time) const {
  double total_kg = 0.0;
  for (const auto& bolus : boluses_) {
    if (bolus.time <= time) total_kg += bolus.amount.si();
  }
  for (std::size_t i = 0; i < rates_.size(); ++i) {
    const double start_s = rates_[i].time.si();
    const double end_s = i + 1 < rates_.size() ? rates_[i + 1].time.si() : time.si();
    const double overlap_s = std::min(end_s, time.si()) - start_s;
    if (overlap_s > 0.0) total_kg += rates_[i].rate.si() * overlap_s;
  }
  return Mass::from_si(total_kg);
}

}  // namespace ptwin::physics::pkpd
