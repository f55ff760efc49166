// SPDX-License-Identifier: Apache-2.0
#pragma once
// Resistance to a distal pressure:  P - R Q - P_d = 0,  Q the flow into the block.
// Parameters: resistance R [Pa s/m3], distal_pressure P_d [Pa] (0).
// Config: {"type": "resistance_boundary", "parameters": {"resistance": "1000 dyn.s/cm5",
//          "distal_pressure": "0 mm[Hg]"}}

#include "ptwin/physics/zerod/boundary_block.hpp"

namespace ptwin::physics::zerod {

class ResistanceBoundary final : public BoundaryBlock {
 public:
  ResistanceBoundary(std::string name, double resistance_pa_s_per_m3, double distal_pressure_pa);
  [[nodiscard]] std::string_view type() const override { return "resistance_boundary"; }
  void declare(SparseSystem& system) override;
  void evaluate(double t_s, const double* y, const double* ydot,
                SparseSystem& system) const override;

 private:
  double resistance_pa_s_per_m3_;
  double distal_pressure_pa_;
  EntryHandle entries_[2]{};
};

}  // namespace ptwin::physics::zerod
