// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/prescribed_boundary.hpp"

namespace ptwin::physics::zerod {

PrescribedBoundary::PrescribedBoundary(std::string name, Quantity quantity, TimeFunction signal)
    : BoundaryBlock(std::move(name)), quantity_(quantity), signal_(std::move(signal)) {}

void PrescribedBoundary::declare(SparseSystem& system) {
  entry_ = system.declare_entry(row(0),
                                quantity_ == Quantity::Flow ? port_flow() : port_pressure());
}

void PrescribedBoundary::evaluate(double t_s, const double* y, const double* /*ydot*/,
                                  SparseSystem& system) const {
  const int variable = quantity_ == Quantity::Flow ? port_flow() : port_pressure();
  const double prescribed = is_steady() ? signal_.mean() : signal_.value(t_s);
  system.add_residual(row(0), y[variable] - prescribed);
  system.add_jacobian(entry_, 1.0, 0.0);
}

}  // namespace ptwin::physics::zerod
