// SPDX-License-Identifier: Apache-2.0
#pragma once
// Prescribed flow or pressure at a connection:  Q - Q(t) = 0  or  P - P(t) = 0.
// The prescribed flow is the connection's flow (positive downstream): at an inlet it is the
// flow the boundary pushes into the network.
// Parameters: flow / pressure, a time function (constant, table or fourier; see
// docs/physics.md#time-functions).
// Config: {"type": "prescribed_flow", "parameters": {"flow": {"kind": "table", "unit": "mL/s",
//          "time_unit": "s", "times": [0, 0.4, 0.8], "values": [0, 400, 0]}}}

#include "ptwin/physics/zerod/boundary_block.hpp"
#include "ptwin/physics/zerod/time_function.hpp"

namespace ptwin::physics::zerod {

class PrescribedBoundary final : public BoundaryBlock {
 public:
  enum class Quantity { Flow, Pressure };
  PrescribedBoundary(std::string name, Quantity quantity, TimeFunction signal);
  [[nodiscard]] std::string_view type() const override {
    return quantity_ == Quantity::Flow ? "prescribed_flow" : "prescribed_pressure";
  }
  void declare(SparseSystem& system) override;
  void evaluate(double t_s, const double* y, const double* ydot,
                SparseSystem& system) const override;
  [[nodiscard]] const TimeFunction& signal() const { return signal_; }

 private:
  Quantity quantity_;
  TimeFunction signal_;
  EntryHandle entry_{};
};

}  // namespace ptwin::physics::zerod
