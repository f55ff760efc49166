// SPDX-License-Identifier: Apache-2.0
#pragma once
// The assembled DAE  R(y, ydot, t) = 0  of a 0D network: residual vector and the iteration
// matrix  K = c_y dR/dy + c_ydot dR/dydot  in compressed sparse column form.
//
// Blocks declare their nonzeros once (declare_entry returns a handle); the pattern is compressed
// once, and every later evaluation writes values straight into the fixed CSC value array through
// the handle. Nothing is re-allocated or re-sorted per step, so the symbolic factorisation of K
// is reused for the life of the model.

#include <cstdint>
#include <span>
#include <vector>

namespace ptwin::physics::zerod {

/// Index of a declared Jacobian entry (row, column) in a SparseSystem.
using EntryHandle = std::int32_t;

class SparseSystem {
 public:
  /// Declares that R[row] may depend on y[column] or ydot[column]. Duplicates are allowed and
  /// share one stored value.
  [[nodiscard]] EntryHandle declare_entry(int row, int column);

  /// Compresses the declared pattern into CSC form for a square system of `size` unknowns.
  /// Every row and column must hold at least one entry (otherwise the system is singular).
  void finalize(int size);

  [[nodiscard]] int size() const { return size_; }
  [[nodiscard]] bool is_finalized() const { return size_ > 0; }

  /// Starts an evaluation: zeroes residual and matrix and sets the coefficients of K.
  void begin_evaluation(double coefficient_dy, double coefficient_dydot);
  /// Starts an evaluation of the residual alone: the matrix keeps its values and add_jacobian
  /// does nothing (a Newton convergence check needs only R).
  void begin_residual_evaluation();
  [[nodiscard]] bool is_assembling_matrix() const { return is_assembling_matrix_; }

  void add_residual(int row, double value) { residual_[static_cast<std::size_t>(row)] += value; }
  /// Adds dR/dy and dR/dydot of the entry, combined with the coefficients of this evaluation.
  void add_jacobian(EntryHandle handle, double d_dy, double d_dydot) {
    if (!is_assembling_matrix_) return;
    values_[value_index_[static_cast<std::size_t>(handle)]] +=
        coefficient_dy_ * d_dy + coefficient_dydot_ * d_dydot;
  }

  [[nodiscard]] std::span<double> residual() { return residual_; }
  [[nodiscard]] std::span<const double> residual() const { return residual_; }
  // CSC arrays of K (column pointers, row indices, values), as KLU and Eigen expect them.
  [[nodiscard]] std::span<const std::int32_t> column_starts() const { return column_starts_; }
  [[nodiscard]] std::span<const std::int32_t> row_indices() const { return row_indices_; }
  [[nodiscard]] std::span<double> values() { return values_; }
  [[nodiscard]] std::span<const double> values() const { return values_; }
  [[nodiscard]] std::size_t nonzero_count() const { return values_.size(); }

 private:
  struct DeclaredEntry {
    int row;
    int column;
  };
  std::vector<DeclaredEntry> declared_;
  std::vector<std::size_t> value_index_;  // handle -> position in values_
  std::vector<std::int32_t> column_starts_;
  std::vector<std::int32_t> row_indices_;
  std::vector<double> values_;
  std::vector<double> residual_;
  double coefficient_dy_ = 1.0;
  double coefficient_dydot_ = 0.0;
  int size_ = 0;
  bool is_assembling_matrix_ = true;
};

}  // namespace ptwin::physics::zerod
