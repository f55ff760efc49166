// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/junction.hpp"

#include <fmt/format.h>

namespace ptwin::physics::zerod {

void Junction::declare(SparseSystem& system) {
  const auto& b = binding();
  pressures_ = b.inlet_pressure;
  pressures_.insert(pressures_.end(), b.outlet_pressure.begin(), b.outlet_pressure.end());
  pressure_entries_.clear();
  for (std::size_t k = 1; k < pressures_.size(); ++k) {
    const int r = row(static_cast<int>(k) - 1);
    pressure_entries_.push_back(system.declare_entry(r, pressures_[k]));
    pressure_entries_.push_back(system.declare_entry(r, pressures_[0]));
  }
  const int mass_row = row(static_cast<int>(pressures_.size()) - 1);
  flow_entries_.clear();
  for (const int q : b.inlet_flow) flow_entries_.push_back(system.declare_entry(mass_row, q));
  for (const int q : b.outlet_flow) flow_entries_.push_back(system.declare_entry(mass_row, q));
}

void Junction::evaluate(double /*t_s*/, const double* y, const double* /*ydot*/,
                        SparseSystem& system) const {
  const auto& b = binding();
  for (std::size_t k = 1; k < pressures_.size(); ++k) {
    system.add_residual(row(static_cast<int>(k) - 1), y[pressures_[k]] - y[pressures_[0]]);
    system.add_jacobian(pressure_entries_[2 * (k - 1)], 1.0, 0.0);
    system.add_jacobian(pressure_entries_[2 * (k - 1) + 1], -1.0, 0.0);
  }
  double balance = 0.0;
  std::size_t entry = 0;
  for (const int q : b.inlet_flow) {
    balance += y[q];
    system.add_jacobian(flow_entries_[entry++], 1.0, 0.0);
  }
  for (const int q : b.outlet_flow) {
    balance -= y[q];
    system.add_jacobian(flow_entries_[entry++], -1.0, 0.0);
  }
  system.add_residual(row(static_cast<int>(pressures_.size()) - 1), balance);
}

std::string Junction::equation_name(int row) const {
  if (row + 1 == static_cast<int>(pressures_.size())) return "mass conservation";
  return fmt::format("pressure continuity of port {}", row + 1);
}

}  // namespace ptwin::physics::zerod
