// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/pkpd/concentration_profile.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/pkpd/detail/positive_parameter.hpp"

namespace ptwin::physics::pkpd {
namespace {

void check_times(std::span<const units::Duration> times) {
  for (std::size_t i = 0; i < times.size(); ++i) {
    const double t_s = times[i].si();
    const bool is_ordered = i == 0 || t_s >= times[i - 1].si();
    if (!std::isfinite(t_s) || t_s < 0.0 || !is_ordered) {
      throw InputError(ErrorCode::BadInput, fmt::format("times[{}]", i), fmt::format("{} s", t_s),
                       "must be finite, >= 0 s and not before the previous time");
    }
  }
}

// Walks the schedule: the state, the current rate, and the effect site.
class ScheduleWalker {
 public:
  ScheduleWalker(const CompartmentModel& model, const DosingSchedule& schedule,
                 const ProfileSettings& settings)
      : model_(model), schedule_(schedule), settings_(settings) {}

  // Advances to `t_s`, applying every event at or before it.
  void walk_to(double t_s) {
    for (;;) {
      const double next_event_s = next_event_time_s();
      if (next_event_s > t_s) break;
      advance_to(next_event_s);
      apply_events_at(next_event_s);
    }
    advance_to(t_s);
  }

  [[nodiscard]] double plasma_kg_per_m3() const {
    return model_.plasma_concentration(amounts_).si();
  }
  [[nodiscard]] double effect_site_kg_per_m3() const { return effect_site_kg_per_m3_; }

 private:
  [[nodiscard]] double next_event_time_s() const {
    double next = INFINITY;
    if (next_bolus_ < schedule_.boluses().size()) {
      next = schedule_.boluses()[next_bolus_].time.si();
    }
    if (next_rate_ < schedule_.rate_changes().size()) {
      next = std::min(next, schedule_.rate_changes()[next_rate_].time.si());
    }
    return next;
  }

  void apply_events_at(double t_s) {
    const auto& boluses = schedule_.boluses();
    while (next_bolus_ < boluses.size() && boluses[next_bolus_].time.si() <= t_s) {
      amounts_.central += boluses[next_bolus_++].amount;
    }
    const auto& rates = schedule_.rate_changes();
    while (next_rate_ < rates.size() && rates[next_rate_].time.si() <= t_s) {
      rate_ = rates[next_rate_++].rate;
    }
  }

  // Constant rate over [now, t]: PK exact; the effect site in steps of at most max_step.
  void advance_to(double t_s) {
    if (t_s <= now_s_) return;
    if (!settings_.ke0) {
      amounts_ = model_.advance(amounts_, units::Duration::from_si(t_s - now_s_), rate_);
      now_s_ = t_s;
      return;
    }
    const double ke0_per_s = settings_.ke0->si();
    const double span_s = t_s - now_s_;
    const double steps = std::ceil(span_s / settings_.max_step.si());
    const double h_s = span_s / steps;
    const auto step_count = static_cast<long long>(steps);
    for (long long i = 0; i < step_count; ++i) {
      const double cp_start = plasma_kg_per_m3();
      amounts_ = model_.advance(amounts_, units::Duration::from_si(h_s), rate_);
      const double cp_end = plasma_kg_per_m3();
      const double slope_over_ke0 = (cp_end - cp_start) / (h_s * ke0_per_s);
      effect_site_kg_per_m3_ =
          cp_end - slope_over_ke0 +
          (effect_site_kg_per_m3_ - cp_start + slope_over_ke0) * std::exp(-ke0_per_s * h_s);
    }
    now_s_ = t_s;
  }

  const CompartmentModel& model_;
  const DosingSchedule& schedule_;
  const ProfileSettings& settings_;
  CompartmentAmounts amounts_{};
  MassRate rate_ = MassRate::from_si(0.0);
  double effect_site_kg_per_m3_ = 0.0;
  double now_s_ = 0.0;
  std::size_t next_bolus_ = 0;
  std::size_t next_rate_ = 0;
};

}  // namespace

ConcentrationProfile simulate_profile(const CompartmentModel& model,
                                      const DosingSchedule& schedule,
                                      std::span<const units::Duration> times,
                                      const ProfileSettings& settings) {
  check_times(times);
  if (settings.ke0) detail::require_positive(settings.ke0->si(), "1/s", "ke0");
  detail::require_positive(settings.max_step.si(), "s", "max_step");
  ConcentrationProfile profile;
  profile.times.assign(times.begin(), times.end());
  profile.plasma.reserve(times.size());
  if (settings.ke0) profile.effect_site.reserve(times.size());
  ScheduleWalker walker(model, schedule, settings);
  for (const auto time : times) {
    walker.walk_to(time.si());
    profile.plasma.push_back(MassConcentration::from_si(walker.plasma_kg_per_m3()));
    if (settings.ke0) {
      profile.effect_site.push_back(MassConcentration::from_si(walker.effect_site_kg_per_m3()));
    }
  }
  return profile;
}

std::vector<units::Duration> uniform_times(units::Duration end, std::size_t count) {
  if (count < 2) {
    throw InputError(ErrorCode::BadInput, "count", fmt::format("{}", count),
                     "must be at least 2 (the start and the end)");
  }
  detail::require_positive(end.si(), "s", "end");
  std::vector<units::Duration> times;
  times.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    times.push_back(end * (static_cast<double>(i) / static_cast<double>(count - 1)));
  }
  return times;
}

}  // namespace ptwin::physics::pkpd
