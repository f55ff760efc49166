// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/pkpd/fluid_bolus.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/pkpd/detail/positive_parameter.hpp"

namespace ptwin::physics::pkpd {

FluidBolus fluid_bolus(double volume_value, std::string_view volume_unit, units::Duration start,
                       units::Duration duration, std::string_view where) {
  const std::string volume_field = fmt::format("{}.volume", where);
  const auto volume = units::quantity_from<units::Volume>(volume_value, volume_unit, volume_field);
  if (volume.si() <= 0.0) {
    throw InputError(ErrorCode::BadInput, volume_field,
                     fmt::format("{} {}", volume_value, volume_unit), "must be greater than zero");
  }
  if (!std::isfinite(start.si()) || start.si() < 0.0) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}.start", where),
                     fmt::format("{} s", start.si()), "must be finite and >= 0 s");
  }
  detail::require_positive(duration.si(), "s", fmt::format("{}.duration", where));
  return {start, duration, volume};
}

units::VolumeFlow fluid_inflow_at(const FluidBolus& bolus, units::Duration time) {
  const bool is_running = time >= bolus.start && time < bolus.start + bolus.duration;
  return units::VolumeFlow::from_si(is_running ? bolus.volume.si() / bolus.duration.si() : 0.0);
}

units::Volume fluid_given_by(std::span<const FluidBolus> boluses, units::Duration time) {
  double given_m3 = 0.0;
  for (const auto& bolus : boluses) {
    const double elapsed_s = std::clamp(time.si() - bolus.start.si(), 0.0, bolus.duration.si());
    given_m3 += bolus.volume.si() * elapsed_s / bolus.duration.si();
  }
  return units::Volume::from_si(given_m3);
}

}  // namespace ptwin::physics::pkpd
