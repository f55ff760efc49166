// SPDX-License-Identifier: Apache-2.0
#pragma once
// Junction: any number of inlets and outlets joined without losses.
//   P_k - P_0 = 0 for every port k > 0           (equal pressure)
//   sum Q_inlets - sum Q_outlets = 0              (mass conservation)
// Config: {"type": "junction"} (no parameters).

#include "ptwin/physics/zerod/block.hpp"

namespace ptwin::physics::zerod {

class Junction final : public Block {
 public:
  using Block::Block;
  [[nodiscard]] std::string_view type() const override { return "junction"; }
  [[nodiscard]] PortRule port_rule() const override { return {1, -1, 1, -1}; }
  void declare(SparseSystem& system) override;
  void evaluate(double t_s, const double* y, const double* ydot,
                SparseSystem& system) const override;
  [[nodiscard]] std::string equation_name(int row) const override;

 private:
  std::vector<int> pressures_;  // all ports: inlets first, then outlets
  std::vector<EntryHandle> pressure_entries_;
  std::vector<EntryHandle> flow_entries_;
};

}  // namespace ptwin::physics::zerod
