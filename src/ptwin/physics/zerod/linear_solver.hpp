// SPDX-License-Identifier: Apache-2.0
#pragma once
// Sparse direct solvers for the Newton systems K dx = -R of the 0D DAE.
//   klu:       SuiteSparse KLU (Davis & Palamadai Natarajan 2010, davis2010klu), written for
//              circuit matrices: the symbolic analysis is done once per model, the numeric
//              factorisation is refactored in place (same pivot order) every Newton iteration,
//              falling back to a full factorisation with fresh pivoting when the reciprocal
//              condition estimate collapses (a valve switching by 1e7 in resistance).
//   eigen_lu:  Eigen's SparseLU with the pattern analysed once (the choice of svZeroDSolver);
//              kept as the baseline in bench/physics.

#include <memory>
#include <span>
#include <string_view>

#include "ptwin/physics/zerod/sparse_system.hpp"

namespace ptwin::physics::zerod {

enum class LinearSolverKind { Klu, EigenLu };

[[nodiscard]] LinearSolverKind parse_linear_solver_kind(std::string_view name);

class LinearSolver {
 public:
  virtual ~LinearSolver() = default;
  /// Symbolic analysis of the pattern; once per model.
  virtual void analyze(const SparseSystem& system) = 0;
  /// Numeric factorisation of the current values. Returns false if the matrix is singular.
  [[nodiscard]] virtual bool factorize(const SparseSystem& system) = 0;
  /// Overwrites rhs with the solution of K x = rhs.
  virtual void solve(std::span<double> rhs) = 0;
  [[nodiscard]] virtual std::string_view name() const = 0;
};

[[nodiscard]] std::unique_ptr<LinearSolver> make_linear_solver(LinearSolverKind kind);

}  // namespace ptwin::physics::zerod
