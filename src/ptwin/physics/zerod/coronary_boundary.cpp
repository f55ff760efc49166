// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/coronary_boundary.hpp"

namespace ptwin::physics::zerod {

CoronaryBoundary::CoronaryBoundary(std::string name, CoronaryParameters parameters,
                                   TimeFunction intramyocardial_pressure)
    : BoundaryBlock(std::move(name)),
      parameters_(parameters),
      intramyocardial_pressure_(std::move(intramyocardial_pressure)) {}

void CoronaryBoundary::declare(SparseSystem& system) {
  const int p_a = binding().internal[0];
  const int p_m = binding().internal[1];
  entries_[0] = system.declare_entry(row(0), port_pressure());
  entries_[1] = system.declare_entry(row(0), port_flow());
  entries_[2] = system.declare_entry(row(0), p_a);
  entries_[3] = system.declare_entry(row(1), port_flow());
  entries_[4] = system.declare_entry(row(1), p_a);
  entries_[5] = system.declare_entry(row(1), p_m);
  entries_[6] = system.declare_entry(row(2), p_a);
  entries_[7] = system.declare_entry(row(2), p_m);
}

void CoronaryBoundary::evaluate(double t_s, const double* y, const double* ydot,
                                SparseSystem& system) const {
  const int p_a = binding().internal[0];
  const int p_m = binding().internal[1];
  const double sign = flow_into_block_sign();
  const double q = sign * y[port_flow()];
  const auto& p = parameters_;
  const double g_am = 1.0 / p.microvascular_resistance_pa_s_per_m3;
  const double g_v = 1.0 / p.venous_resistance_pa_s_per_m3;
  // Steady mode: no storage, so the inflow passes R_a + R_am + R_v in series to P_v.
  const double c_a = is_steady() ? 0.0 : p.arterial_capacitance_m3_per_pa;
  const double c_im = is_steady() ? 0.0 : p.intramyocardial_capacitance_m3_per_pa;

  system.add_residual(row(0), y[port_pressure()] - p.arterial_resistance_pa_s_per_m3 * q - y[p_a]);
  system.add_jacobian(entries_[0], 1.0, 0.0);
  system.add_jacobian(entries_[1], -p.arterial_resistance_pa_s_per_m3 * sign, 0.0);
  system.add_jacobian(entries_[2], -1.0, 0.0);

  system.add_residual(row(1), q - c_a * ydot[p_a] - g_am * (y[p_a] - y[p_m]));
  system.add_jacobian(entries_[3], sign, 0.0);
  system.add_jacobian(entries_[4], -g_am, -c_a);
  system.add_jacobian(entries_[5], g_am, 0.0);

  const double dp_im = is_steady() ? 0.0 : intramyocardial_pressure_.derivative(t_s);
  system.add_residual(row(2), g_am * (y[p_a] - y[p_m]) - c_im * (ydot[p_m] - dp_im) -
                                  g_v * (y[p_m] - p.venous_pressure_pa));
  system.add_jacobian(entries_[6], g_am, 0.0);
  system.add_jacobian(entries_[7], -g_am - g_v, -c_im);
}

}  // namespace ptwin::physics::zerod
