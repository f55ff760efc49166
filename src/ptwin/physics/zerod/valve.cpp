// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/valve.hpp"

#include <cmath>

namespace ptwin::physics::zerod {

Valve::Valve(std::string name, Law law, ValveParameters parameters, bool is_initially_open)
    : Block(std::move(name)), law_(law), parameters_(parameters), is_open_(is_initially_open) {}

void Valve::declare(SparseSystem& system) {
  const auto& b = binding();
  law_entries_[0] = system.declare_entry(row(0), b.inlet_pressure[0]);
  law_entries_[1] = system.declare_entry(row(0), b.outlet_pressure[0]);
  law_entries_[2] = system.declare_entry(row(0), b.inlet_flow[0]);
  flow_entries_[0] = system.declare_entry(row(1), b.inlet_flow[0]);
  flow_entries_[1] = system.declare_entry(row(1), b.outlet_flow[0]);
}

double Valve::closed_weight(double pressure_drop_pa) const {
  // s = (1 + tanh(k (P_out - P_in))) / 2: ~1 when closed, ~0 when open.
  return 0.5 * (1.0 + std::tanh(-parameters_.steepness_per_pa * pressure_drop_pa));
}

void Valve::evaluate(double /*t_s*/, const double* y, const double* /*ydot*/,
                     SparseSystem& system) const {
  const auto& b = binding();
  const double drop = y[b.inlet_pressure[0]] - y[b.outlet_pressure[0]];
  const double q = y[b.inlet_flow[0]];
  const double r_min = parameters_.min_resistance_pa_s_per_m3;
  if (law_ == Law::Smooth) {
    const double span = parameters_.max_resistance_pa_s_per_m3 - r_min;
    const double t = std::tanh(-parameters_.steepness_per_pa * drop);
    const double s = 0.5 * (1.0 + t);
    const double ds_ddrop = -0.5 * parameters_.steepness_per_pa * (1.0 - t * t);
    const double resistance = r_min + span * s;
    system.add_residual(row(0), drop - q * resistance);
    const double d_ddrop = 1.0 - q * span * ds_ddrop;
    system.add_jacobian(law_entries_[0], d_ddrop, 0.0);
    system.add_jacobian(law_entries_[1], -d_ddrop, 0.0);
    system.add_jacobian(law_entries_[2], -resistance, 0.0);
  } else if (law_ == Law::Piecewise) {
    const double resistance = drop > 0.0 ? r_min : parameters_.max_resistance_pa_s_per_m3;
    system.add_residual(row(0), drop - resistance * q);
    system.add_jacobian(law_entries_[0], 1.0, 0.0);
    system.add_jacobian(law_entries_[1], -1.0, 0.0);
    system.add_jacobian(law_entries_[2], -resistance, 0.0);
  } else if (is_open_) {
    system.add_residual(row(0), drop - r_min * q);
    system.add_jacobian(law_entries_[0], 1.0, 0.0);
    system.add_jacobian(law_entries_[1], -1.0, 0.0);
    system.add_jacobian(law_entries_[2], -r_min, 0.0);
  } else {
    // Scaled by R_min so that the row has the magnitude of the open law (pressure).
    system.add_residual(row(0), -r_min * q);
    system.add_jacobian(law_entries_[2], -r_min, 0.0);
  }
  system.add_residual(row(1), q - y[b.outlet_flow[0]]);
  system.add_jacobian(flow_entries_[0], 1.0, 0.0);
  system.add_jacobian(flow_entries_[1], -1.0, 0.0);
}

bool Valve::update_discrete_state(double /*t_s*/, const double* y) {
  if (law_ != Law::Event) return false;
  const auto& b = binding();
  const double drop = y[b.inlet_pressure[0]] - y[b.outlet_pressure[0]];
  const double q = y[b.inlet_flow[0]];
  if (is_open_ && q < 0.0) {
    is_open_ = false;
    return true;
  }
  if (!is_open_ && drop > 0.0) {
    is_open_ = true;
    return true;
  }
  return false;
}

std::vector<DerivedOutput> Valve::derived_outputs(double /*t_s*/, const double* y) const {
  const auto& b = binding();
  const double drop = y[b.inlet_pressure[0]] - y[b.outlet_pressure[0]];
  double open = is_open_ ? 1.0 : 0.0;
  if (law_ == Law::Smooth) open = 1.0 - closed_weight(drop);
  if (law_ == Law::Piecewise) open = drop > 0.0 ? 1.0 : 0.0;
  return {{"valve_open", "1", open}};
}

std::string Valve::equation_name(int row) const {
  return row == 0 ? "valve pressure-flow law" : "valve mass conservation";
}

}  // namespace ptwin::physics::zerod
