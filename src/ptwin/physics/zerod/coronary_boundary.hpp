// SPDX-License-Identifier: Apache-2.0
#pragma once
// Open-loop coronary outlet (Kim et al. 2010, kim2010patient): arterial resistance R_a, arterial
// compliance C_a, microvascular resistance R_am, intramyocardial compliance C_im loaded by the
// intramyocardial pressure P_im(t), venous resistance R_v to the venous pressure P_v.
//   P - R_a Q - P_a = 0                                        (arterial resistance)
//   Q - C_a dP_a/dt - (P_a - P_m)/R_am = 0                     (node after R_a)
//   (P_a - P_m)/R_am - C_im d(P_m - P_im)/dt - (P_m - P_v)/R_v = 0   (intramyocardial node)
// Q: flow into the block; internal variables P_a and P_m (pressures of the two nodes).
// Parameters: arterial_resistance, arterial_capacitance, microvascular_resistance,
//   intramyocardial_capacitance, venous_resistance, venous_pressure (0),
//   intramyocardial_pressure (a time function; 0).

#include "ptwin/physics/zerod/boundary_block.hpp"
#include "ptwin/physics/zerod/time_function.hpp"

namespace ptwin::physics::zerod {

struct CoronaryParameters {
  double arterial_resistance_pa_s_per_m3 = 0.0;
  double arterial_capacitance_m3_per_pa = 0.0;
  double microvascular_resistance_pa_s_per_m3 = 0.0;
  double intramyocardial_capacitance_m3_per_pa = 0.0;
  double venous_resistance_pa_s_per_m3 = 0.0;
  double venous_pressure_pa = 0.0;
};

class CoronaryBoundary final : public BoundaryBlock {
 public:
  CoronaryBoundary(std::string name, CoronaryParameters parameters,
                   TimeFunction intramyocardial_pressure);
  [[nodiscard]] std::string_view type() const override { return "coronary_boundary"; }
  [[nodiscard]] std::vector<InternalVariable> internal_variables() const override {
    // "pressure_im" is the intramyocardial node's pressure P_m, not the prescribed P_im(t).
    return {{"pressure_a", VariableKind::Pressure}, {"pressure_im", VariableKind::Pressure}};
  }
  void declare(SparseSystem& system) override;
  void evaluate(double t_s, const double* y, const double* ydot,
                SparseSystem& system) const override;

 private:
  CoronaryParameters parameters_;
  TimeFunction intramyocardial_pressure_;
  EntryHandle entries_[8]{};
};

}  // namespace ptwin::physics::zerod
