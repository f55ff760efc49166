// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/rcr_windkessel.hpp"

namespace ptwin::physics::zerod {

RcrWindkessel::RcrWindkessel(std::string name, RcrParameters parameters)
    : BoundaryBlock(std::move(name)), parameters_(parameters) {}

void RcrWindkessel::declare(SparseSystem& system) {
  const int p_c = binding().internal[0];
  entries_[0] = system.declare_entry(row(0), port_pressure());
  entries_[1] = system.declare_entry(row(0), port_flow());
  entries_[2] = system.declare_entry(row(0), p_c);
  entries_[3] = system.declare_entry(row(1), port_flow());
  entries_[4] = system.declare_entry(row(1), p_c);
}

void RcrWindkessel::evaluate(double /*t_s*/, const double* y, const double* ydot,
                             SparseSystem& system) const {
  const int p_c = binding().internal[0];
  const double sign = flow_into_block_sign();
  const double q = sign * y[port_flow()];
  const double r_p = parameters_.proximal_resistance_pa_s_per_m3;
  const double r_d = parameters_.distal_resistance_pa_s_per_m3;
  const double c = is_steady() ? 0.0 : parameters_.capacitance_m3_per_pa;
  system.add_residual(row(0), y[port_pressure()] - r_p * q - y[p_c]);
  system.add_jacobian(entries_[0], 1.0, 0.0);
  system.add_jacobian(entries_[1], -r_p * sign, 0.0);
  system.add_jacobian(entries_[2], -1.0, 0.0);
  system.add_residual(row(1),
                      r_d * q - (y[p_c] - parameters_.distal_pressure_pa) - r_d * c * ydot[p_c]);
  system.add_jacobian(entries_[3], r_d * sign, 0.0);
  system.add_jacobian(entries_[4], -1.0, -r_d * c);
}

}  // namespace ptwin::physics::zerod
