// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/blood_vessel.hpp"

#include <cmath>
#include <string>

#include "ptwin/core/error.hpp"

namespace ptwin::physics::zerod {

BloodVessel::BloodVessel(std::string name, BloodVesselParameters parameters)
    : Block(std::move(name)), parameters_(parameters) {}

BloodVesselParameters BloodVessel::read(ParameterReader& reader, bool is_resistance_only) {
  BloodVesselParameters p;
  p.resistance_pa_s_per_m3 = reader.quantity_si("resistance", units::kFlowResistanceDim);
  if (!is_resistance_only) {
    p.capacitance_m3_per_pa = reader.quantity_si_or("capacitance", units::kComplianceDim, 0.0);
    p.inductance_pa_s2_per_m3 = reader.quantity_si_or("inductance", units::kInertanceDim, 0.0);
    p.stenosis_pa_s2_per_m6 =
        reader.quantity_si_or("stenosis_coefficient", units::kStenosisCoefficientDim, 0.0);
    const auto position = reader.text_or("capacitor_position", "after_resistance");
    if (position != "after_resistance" && position != "inlet") {
      throw InputError(ErrorCode::BadInput, reader.path("capacitor_position"), position,
                       "must be after_resistance or inlet");
    }
    p.is_capacitor_at_inlet = position == "inlet";
  }
  return p;
}

void BloodVessel::declare(SparseSystem& system) {
  const auto& b = binding();
  const int vars[4] = {b.inlet_pressure[0], b.outlet_pressure[0], b.inlet_flow[0],
                       b.outlet_flow[0]};
  for (int i = 0; i < 4; ++i) momentum_[i] = system.declare_entry(row(0), vars[i]);
  mass_[0] = system.declare_entry(row(1), vars[0]);
  mass_[1] = system.declare_entry(row(1), vars[2]);
  mass_[2] = system.declare_entry(row(1), vars[3]);
}

void BloodVessel::evaluate(double /*t_s*/, const double* y, const double* ydot,
                           SparseSystem& system) const {
  if (parameters_.is_capacitor_at_inlet) {
    evaluate_capacitor_at_inlet(y, ydot, system);
    return;
  }
  const auto& b = binding();
  const int p_in = b.inlet_pressure[0];
  const int p_out = b.outlet_pressure[0];
  const int q_in = b.inlet_flow[0];
  const int q_out = b.outlet_flow[0];
  const double r = parameters_.resistance_pa_s_per_m3;
  const double c = parameters_.capacitance_m3_per_pa;
  const double l = parameters_.inductance_pa_s2_per_m3;
  const double s = parameters_.stenosis_pa_s2_per_m6;
  const double q = y[q_in];
  const double abs_q = std::abs(q);
  const double sign_q = q > 0 ? 1.0 : (q < 0 ? -1.0 : 0.0);
  // d/dQ [ (R + S|Q|) Q ] = R + 2 S |Q|
  const double loss_slope = r + 2.0 * s * abs_q;

  system.add_residual(row(0), y[p_in] - y[p_out] - (r + s * abs_q) * q - l * ydot[q_out]);
  system.add_jacobian(momentum_[0], 1.0, 0.0);
  system.add_jacobian(momentum_[1], -1.0, 0.0);
  system.add_jacobian(momentum_[2], -loss_slope, 0.0);
  system.add_jacobian(momentum_[3], 0.0, -l);

  system.add_residual(row(1), q - y[q_out] - c * (ydot[p_in] - loss_slope * ydot[q_in]));
  system.add_jacobian(mass_[0], 0.0, -c);
  system.add_jacobian(mass_[1], 1.0 + c * 2.0 * s * sign_q * ydot[q_in], c * loss_slope);
  system.add_jacobian(mass_[2], -1.0, 0.0);
}

void BloodVessel::evaluate_capacitor_at_inlet(const double* y, const double* ydot,
                                              SparseSystem& system) const {
  const auto& b = binding();
  const int p_in = b.inlet_pressure[0];
  const int q_out = b.outlet_flow[0];
  const double r = parameters_.resistance_pa_s_per_m3;
  const double c = parameters_.capacitance_m3_per_pa;
  const double l = parameters_.inductance_pa_s2_per_m3;
  const double s = parameters_.stenosis_pa_s2_per_m6;
  const double q = y[q_out];
  const double abs_q = std::abs(q);
  const double loss_slope = r + 2.0 * s * abs_q;  // d/dQ [ (R + S|Q|) Q ]

  system.add_residual(row(0), y[p_in] - y[b.outlet_pressure[0]] - (r + s * abs_q) * q -
                                  l * ydot[q_out]);
  system.add_jacobian(momentum_[0], 1.0, 0.0);
  system.add_jacobian(momentum_[1], -1.0, 0.0);
  system.add_jacobian(momentum_[3], -loss_slope, -l);

  system.add_residual(row(1), y[b.inlet_flow[0]] - q - c * ydot[p_in]);
  system.add_jacobian(mass_[0], 0.0, -c);
  system.add_jacobian(mass_[1], 1.0, 0.0);
  system.add_jacobian(mass_[2], -1.0, 0.0);
}

std::string BloodVessel::equation_name(int row) const {
  return row == 0 ? "momentum (pressure drop)" : "mass (capacitor)";
}

}  // namespace ptwin::physics::zerod
