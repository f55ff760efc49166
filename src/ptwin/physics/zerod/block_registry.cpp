// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/block_registry.hpp"

#include <fmt/format.h>

#include <cmath>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/zerod/blood_vessel.hpp"
#include "ptwin/physics/zerod/coronary_boundary.hpp"
#include "ptwin/physics/zerod/elastance_chamber.hpp"
#include "ptwin/physics/zerod/junction.hpp"
#include "ptwin/physics/zerod/prescribed_boundary.hpp"
#include "ptwin/physics/zerod/rcr_windkessel.hpp"
#include "ptwin/physics/zerod/resistance_boundary.hpp"
#include "ptwin/physics/zerod/valve.hpp"

namespace ptwin::physics::zerod {
namespace {

using units::kComplianceDim;
using units::kElastanceDim;
using units::kFlowResistanceDim;
using units::kInertanceDim;
using units::kPressureDim;
using units::kVolumeDim;

std::unique_ptr<Block> make_vessel(std::string name, ParameterReader& r, const BlockContext&) {
  return std::make_unique<BloodVessel>(std::move(name), BloodVessel::read(r, false));
}

std::unique_ptr<Block> make_resistance(std::string name, ParameterReader& r, const BlockContext&) {
  return std::make_unique<BloodVessel>(std::move(name), BloodVessel::read(r, true));
}

std::unique_ptr<Block> make_junction(std::string name, ParameterReader&, const BlockContext&) {
  return std::make_unique<Junction>(std::move(name));
}

std::unique_ptr<Block> make_resistance_boundary(std::string name, ParameterReader& r,
                                                const BlockContext&) {
  const double resistance = r.quantity_si("resistance", kFlowResistanceDim);
  const double distal = r.quantity_si_or("distal_pressure", kPressureDim, 0.0, Bound::Any);
  return std::make_unique<ResistanceBoundary>(std::move(name), resistance, distal);
}

std::unique_ptr<Block> make_rcr(std::string name, ParameterReader& r, const BlockContext&) {
  RcrParameters p;
  p.proximal_resistance_pa_s_per_m3 = r.quantity_si("proximal_resistance", kFlowResistanceDim);
  p.capacitance_m3_per_pa = r.quantity_si("capacitance", kComplianceDim);
  p.distal_resistance_pa_s_per_m3 =
      r.quantity_si("distal_resistance", kFlowResistanceDim, Bound::Positive);
  p.distal_pressure_pa = r.quantity_si_or("distal_pressure", kPressureDim, 0.0, Bound::Any);
  return std::make_unique<RcrWindkessel>(std::move(name), p);
}

// A periodic signal must repeat within the heart period (its period divides it), otherwise the
// run can never become periodic.
void require_period_fits(const TimeFunction& signal, const BlockContext& c, std::string where) {
  const auto period = signal.period_s();
  if (!period || !c.heart_period_s) return;
  const double ratio = *c.heart_period_s / *period;
  if (std::abs(ratio - std::round(ratio)) > 1e-9 * ratio || std::round(ratio) < 1.0) {
    throw InputError(ErrorCode::BadInput, std::move(where), fmt::format("period {} s", *period),
                     fmt::format("must divide the model's heart_period of {} s", *c.heart_period_s));
  }
}

std::unique_ptr<Block> make_coronary(std::string name, ParameterReader& r, const BlockContext& c) {
  CoronaryParameters p;
  p.arterial_resistance_pa_s_per_m3 = r.quantity_si("arterial_resistance", kFlowResistanceDim);
  p.arterial_capacitance_m3_per_pa = r.quantity_si("arterial_capacitance", kComplianceDim);
  p.microvascular_resistance_pa_s_per_m3 =
      r.quantity_si("microvascular_resistance", kFlowResistanceDim, Bound::Positive);
  p.intramyocardial_capacitance_m3_per_pa =
      r.quantity_si("intramyocardial_capacitance", kComplianceDim);
  p.venous_resistance_pa_s_per_m3 =
      r.quantity_si("venous_resistance", kFlowResistanceDim, Bound::Positive);
  p.venous_pressure_pa = r.quantity_si_or("venous_pressure", kPressureDim, 0.0, Bound::Any);
  auto pim = r.has("intramyocardial_pressure")
                 ? TimeFunction::from_json(r.raw("intramyocardial_pressure"), kPressureDim,
                                           r.path("intramyocardial_pressure"))
                 : TimeFunction::constant(0.0);
  require_period_fits(pim, c, r.path("intramyocardial_pressure"));
  return std::make_unique<CoronaryBoundary>(std::move(name), p, std::move(pim));
}

template <PrescribedBoundary::Quantity kQuantity>
std::unique_ptr<Block> make_prescribed(std::string name, ParameterReader& r, const BlockContext& c) {
  constexpr bool is_flow = kQuantity == PrescribedBoundary::Quantity::Flow;
  const char* key = is_flow ? "flow" : "pressure";
  auto signal = TimeFunction::from_json(
      r.raw(key), is_flow ? units::kVolumeFlowDim : kPressureDim, r.path(key));
  require_period_fits(signal, c, r.path(key));
  return std::make_unique<PrescribedBoundary>(std::move(name), kQuantity, std::move(signal));
}

template <Valve::Law kLaw>
std::unique_ptr<Block> make_valve(std::string name, ParameterReader& r, const BlockContext&) {
  ValveParameters p;
  p.min_resistance_pa_s_per_m3 = r.quantity_si("min_resistance", kFlowResistanceDim, Bound::Positive);
  bool is_open = false;
  if (kLaw == Valve::Law::Smooth || kLaw == Valve::Law::Piecewise) {
    p.max_resistance_pa_s_per_m3 =
        r.quantity_si("max_resistance", kFlowResistanceDim, Bound::Positive);
  }
  if (kLaw == Valve::Law::Smooth) {
    p.steepness_per_pa = r.quantity_si("steepness", units::Dimension{-1, 1, 2, 0}, Bound::Positive);
  } else if (kLaw == Valve::Law::Event) {
    if (r.has("initially_open")) {
      const auto& value = r.raw("initially_open");
      if (!value.is_boolean()) {
        throw InputError(ErrorCode::BadInput, r.path("initially_open"), value.dump(),
                         "must be true or false");
      }
      is_open = value.get<bool>();
    }
  }
  return std::make_unique<Valve>(std::move(name), kLaw, p, is_open);
}

std::unique_ptr<Block> make_chamber(std::string name, ParameterReader& r, const BlockContext& c) {
  if (!c.heart_period_s) {
    throw InputError(ErrorCode::MissingField, c.where, "heart_period",
                     "an elastance chamber needs the model's heart_period (e.g. \"0.8 s\")");
  }
  ElastanceChamberParameters p;
  p.passive_elastance_pa_per_m3 = r.quantity_si("passive_elastance", kElastanceDim);
  p.active_elastance_pa_per_m3 = r.quantity_si("active_elastance", kElastanceDim);
  if (r.has("rest_volume")) {
    p.diastolic_rest_volume_m3 = r.quantity_si("rest_volume", kVolumeDim, Bound::Any);
    p.systolic_rest_volume_m3 = p.diastolic_rest_volume_m3;
  } else {
    p.diastolic_rest_volume_m3 = r.quantity_si("diastolic_rest_volume", kVolumeDim, Bound::Any);
    p.systolic_rest_volume_m3 = r.quantity_si("systolic_rest_volume", kVolumeDim, Bound::Any);
  }
  p.inductance_pa_s2_per_m3 = r.quantity_si_or("inductance", kInertanceDim, 0.0);
  auto activation =
      make_activation_function(r.raw("activation"), *c.heart_period_s, r.path("activation"));
  return std::make_unique<ElastanceChamber>(std::move(name), p, std::move(activation));
}

}  // namespace

const BlockRegistry& block_registry() {
  static const BlockRegistry registry{
      {"blood_vessel", &make_vessel},
      {"resistance", &make_resistance},
      {"junction", &make_junction},
      {"resistance_boundary", &make_resistance_boundary},
      {"rcr_windkessel", &make_rcr},
      {"coronary_boundary", &make_coronary},
      {"prescribed_flow", &make_prescribed<PrescribedBoundary::Quantity::Flow>},
      {"prescribed_pressure", &make_prescribed<PrescribedBoundary::Quantity::Pressure>},
      {"valve_smooth", &make_valve<Valve::Law::Smooth>},
      {"valve_event", &make_valve<Valve::Law::Event>},
      {"valve_piecewise", &make_valve<Valve::Law::Piecewise>},
      {"elastance_chamber", &make_chamber},
  };
  return registry;
}

}  // namespace ptwin::physics::zerod
