// SPDX-License-Identifier: Apache-2.0
#pragma once
// Three-element Windkessel (RCR) to a distal pressure (Westerhof et al. 2009, westerhof2009arterial).
//   P - R_p Q - P_c = 0
//   R_d Q - (P_c - P_d) - R_d C dP_c/dt = 0
// Q: flow into the block; internal variable P_c (pressure over the capacitor).
// Parameters: proximal_resistance R_p [Pa s/m3], capacitance C [m3/Pa],
//   distal_resistance R_d [Pa s/m3] (> 0), distal_pressure P_d [Pa] (0).
// Config: {"type": "rcr_windkessel", "parameters": {"proximal_resistance": "0.05 mm[Hg].s/mL",
//   "capacitance": "1.5 mL/mm[Hg]", "distal_resistance": "1.0 mm[Hg].s/mL"}}

#include "ptwin/physics/zerod/boundary_block.hpp"

namespace ptwin::physics::zerod {

struct RcrParameters {
  double proximal_resistance_pa_s_per_m3 = 0.0;
  double capacitance_m3_per_pa = 0.0;
  double distal_resistance_pa_s_per_m3 = 0.0;
  double distal_pressure_pa = 0.0;
};

class RcrWindkessel final : public BoundaryBlock {
 public:
  RcrWindkessel(std::string name, RcrParameters parameters);
  [[nodiscard]] std::string_view type() const override { return "rcr_windkessel"; }
  [[nodiscard]] std::vector<InternalVariable> internal_variables() const override {
    return {{"pressure_c", VariableKind::Pressure}};
  }
  void declare(SparseSystem& system) override;
  void evaluate(double t_s, const double* y, const double* ydot,
                SparseSystem& system) const override;
  [[nodiscard]] const RcrParameters& parameters() const { return parameters_; }

 private:
  RcrParameters parameters_;
  EntryHandle entries_[5]{};
};

}  // namespace ptwin::physics::zerod
