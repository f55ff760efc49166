// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/resistance_boundary.hpp"

namespace ptwin::physics::zerod {

ResistanceBoundary::ResistanceBoundary(std::string name, double resistance_pa_s_per_m3,
                                       double distal_pressure_pa)
    : BoundaryBlock(std::move(name)),
      resistance_pa_s_per_m3_(resistance_pa_s_per_m3),
      distal_pressure_pa_(distal_pressure_pa) {}

void ResistanceBoundary::declare(SparseSystem& system) {
  entries_[0] = system.declare_entry(row(0), port_pressure());
  entries_[1] = system.declare_entry(row(0), port_flow());
}

void ResistanceBoundary::evaluate(double /*t_s*/, const double* y, const double* /*ydot*/,
                                  SparseSystem& system) const {
  const double sign = flow_into_block_sign();
  system.add_residual(row(0), y[port_pressure()] - resistance_pa_s_per_m3_ * sign * y[port_flow()] -
                                  distal_pressure_pa_);
  system.add_jacobian(entries_[0], 1.0, 0.0);
  system.add_jacobian(entries_[1], -resistance_pa_s_per_m3_ * sign, 0.0);
}

}  // namespace ptwin::physics::zerod
