// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/sparse_system.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "ptwin/core/assert.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::physics::zerod {

EntryHandle SparseSystem::declare_entry(int row, int column) {
  PTWIN_ASSERT(!is_finalized(), "entries must be declared before finalize()");
  PTWIN_ASSERT(row >= 0 && column >= 0, "negative index");
  declared_.push_back({row, column});
  return static_cast<EntryHandle>(declared_.size() - 1);
}

void SparseSystem::finalize(int size) {
  PTWIN_ASSERT(size > 0, "empty system");
  const auto n = static_cast<std::size_t>(size);
  // Sort the handles by (column, row) and merge duplicates.
  std::vector<std::size_t> order(declared_.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& ea = declared_[a];
    const auto& eb = declared_[b];
    return ea.column != eb.column ? ea.column < eb.column : ea.row < eb.row;
  });
  value_index_.assign(declared_.size(), 0);
  column_starts_.assign(n + 1, 0);
  row_indices_.clear();
  std::vector<bool> row_used(n, false);
  int previous_row = -1;
  int previous_column = -1;
  for (const auto handle : order) {
    const auto [row, column] = declared_[handle];
    PTWIN_ASSERT(row < size && column < size,
                 fmt::format("entry ({}, {}) outside a system of size {}", row, column, size));
    if (row != previous_row || column != previous_column) {
      row_indices_.push_back(row);
      ++column_starts_[static_cast<std::size_t>(column) + 1];
      previous_row = row;
      previous_column = column;
    }
    value_index_[handle] = row_indices_.size() - 1;
    row_used[static_cast<std::size_t>(row)] = true;
  }
  std::partial_sum(column_starts_.begin(), column_starts_.end(), column_starts_.begin());
  for (std::size_t i = 0; i < n; ++i) {
    if (!row_used[i] || column_starts_[i] == column_starts_[i + 1]) {
      throw Error(ErrorCode::ModelTopology,
                  fmt::format("the assembled system is structurally singular: {} {} holds no "
                              "entry; a block is not connected or an unknown is not determined",
                              row_used[i] ? "column" : "row", i));
    }
  }
  values_.assign(row_indices_.size(), 0.0);
  residual_.assign(n, 0.0);
  size_ = size;
}

void SparseSystem::begin_evaluation(double coefficient_dy, double coefficient_dydot) {
  coefficient_dy_ = coefficient_dy;
  coefficient_dydot_ = coefficient_dydot;
  is_assembling_matrix_ = true;
  std::fill(values_.begin(), values_.end(), 0.0);
  std::fill(residual_.begin(), residual_.end(), 0.0);
}

void SparseSystem::begin_residual_evaluation() {
  is_assembling_matrix_ = false;
  std::fill(residual_.begin(), residual_.end(), 0.0);
}

}  // namespace ptwin::physics::zerod
