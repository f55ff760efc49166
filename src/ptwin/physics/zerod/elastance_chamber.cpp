// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/elastance_chamber.hpp"

namespace ptwin::physics::zerod {

ElastanceChamber::ElastanceChamber(std::string name, ElastanceChamberParameters parameters,
                                   std::unique_ptr<ActivationFunction> activation)
    : Block(std::move(name)), parameters_(parameters), activation_(std::move(activation)) {}

void ElastanceChamber::declare(SparseSystem& system) {
  const auto& b = binding();
  const int volume = b.internal[0];
  pressure_entries_[0] = system.declare_entry(row(0), b.inlet_pressure[0]);
  pressure_entries_[1] = system.declare_entry(row(0), volume);
  inertia_entries_[0] = system.declare_entry(row(1), b.inlet_pressure[0]);
  inertia_entries_[1] = system.declare_entry(row(1), b.outlet_pressure[0]);
  inertia_entries_[2] = system.declare_entry(row(1), b.outlet_flow[0]);
  volume_entries_[0] = system.declare_entry(row(2), b.inlet_flow[0]);
  volume_entries_[1] = system.declare_entry(row(2), b.outlet_flow[0]);
  volume_entries_[2] = system.declare_entry(row(2), volume);
}

double ElastanceChamber::elastance_pa_per_m3(double t_s) const {
  return parameters_.passive_elastance_pa_per_m3 +
         parameters_.active_elastance_pa_per_m3 * activation_->value(t_s);
}

void ElastanceChamber::evaluate(double t_s, const double* y, const double* ydot,
                                SparseSystem& system) const {
  const auto& b = binding();
  const int volume = b.internal[0];
  const double activation = activation_->value(t_s);
  const double elastance = parameters_.passive_elastance_pa_per_m3 +
                           parameters_.active_elastance_pa_per_m3 * activation;
  const double rest_volume =
      parameters_.systolic_rest_volume_m3 +
      (1.0 - activation) *
          (parameters_.diastolic_rest_volume_m3 - parameters_.systolic_rest_volume_m3);
  system.add_residual(row(0), y[b.inlet_pressure[0]] - elastance * (y[volume] - rest_volume));
  system.add_jacobian(pressure_entries_[0], 1.0, 0.0);
  system.add_jacobian(pressure_entries_[1], -elastance, 0.0);

  const double l = parameters_.inductance_pa_s2_per_m3;
  system.add_residual(row(1), y[b.inlet_pressure[0]] - y[b.outlet_pressure[0]] -
                                  l * ydot[b.outlet_flow[0]]);
  system.add_jacobian(inertia_entries_[0], 1.0, 0.0);
  system.add_jacobian(inertia_entries_[1], -1.0, 0.0);
  system.add_jacobian(inertia_entries_[2], 0.0, -l);

  system.add_residual(row(2), y[b.inlet_flow[0]] - y[b.outlet_flow[0]] - ydot[volume]);
  system.add_jacobian(volume_entries_[0], 1.0, 0.0);
  system.add_jacobian(volume_entries_[1], -1.0, 0.0);
  system.add_jacobian(volume_entries_[2], 0.0, -1.0);
}

std::vector<DerivedOutput> ElastanceChamber::derived_outputs(double t_s,
                                                             const double* /*y*/) const {
  return {{"elastance", "Pa/m3", elastance_pa_per_m3(t_s)},
          {"activation", "1", activation_->value(t_s)}};
}

std::string ElastanceChamber::equation_name(int row) const {
  switch (row) {
    case 0: return "pressure-volume (elastance) law";
    case 1: return "outflow inertance";
    default: return "volume balance";
  }
}

}  // namespace ptwin::physics::zerod
