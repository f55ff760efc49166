// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/pkpd/drug_quantities.hpp"

#include <fmt/format.h>

#include <string>

#include "ptwin/core/error.hpp"

namespace ptwin::physics::pkpd {
namespace {

void require_at_least(double si, double minimum, bool is_strict, double value,
                      std::string_view unit, std::string_view where) {
  const bool is_ok = is_strict ? si > minimum : si >= minimum;
  if (!is_ok) {
    throw InputError(ErrorCode::BadInput, std::string(where), fmt::format("{} {}", value, unit),
                     is_strict ? "must be greater than zero" : "must not be negative");
  }
}

}  // namespace

Mass dose_amount(double value, std::string_view unit, std::string_view where) {
  const auto amount = units::quantity_from<Mass>(value, unit, where);
  require_at_least(amount.si(), 0.0, true, value, unit, where);
  return amount;
}

MassRate infusion_rate(double value, std::string_view unit, std::string_view where) {
  const auto rate = units::quantity_from<MassRate>(value, unit, where);
  require_at_least(rate.si(), 0.0, false, value, unit, where);
  return rate;
}

MassRate weight_based_infusion_rate(double value, std::string_view unit, Mass body_mass,
                                    std::string_view where) {
  // ug/kg/min has dimension 1/time: the rate per kg of body mass, as a fraction per second.
  const auto per_body_mass = units::quantity_from<units::Frequency>(value, unit, where);
  require_at_least(per_body_mass.si(), 0.0, false, value, unit, where);
  if (!(body_mass.si() > 0.0)) {
    throw InputError(ErrorCode::BadInput, fmt::format("{} (body mass)", where),
                     fmt::format("{} kg", body_mass.si()), "must be greater than zero");
  }
  return MassRate::from_si(per_body_mass.si() * body_mass.si());
}

MassConcentration mass_concentration(double value, std::string_view unit,
                                     std::string_view where) {
  const auto concentration = units::quantity_from<MassConcentration>(value, unit, where);
  require_at_least(concentration.si(), 0.0, false, value, unit, where);
  return concentration;
}

}  // namespace ptwin::physics::pkpd
