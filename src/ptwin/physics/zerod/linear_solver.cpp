// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/linear_solver.hpp"

#include <string>
#include <vector>

#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <klu.h>

#include "ptwin/core/error.hpp"

namespace ptwin::physics::zerod {
namespace {

class KluSolver final : public LinearSolver {
 public:
  KluSolver() { klu_defaults(&common_); }
  ~KluSolver() override { release(); }
  KluSolver(const KluSolver&) = delete;
  KluSolver& operator=(const KluSolver&) = delete;

  void analyze(const SparseSystem& system) override {
    release();
    size_ = system.size();
    // KLU takes non-const pointers but does not modify the pattern.
    column_starts_.assign(system.column_starts().begin(), system.column_starts().end());
    row_indices_.assign(system.row_indices().begin(), system.row_indices().end());
    symbolic_ = klu_analyze(size_, column_starts_.data(), row_indices_.data(), &common_);
    if (symbolic_ == nullptr) {
      throw Error(ErrorCode::Internal, "KLU symbolic analysis failed for the 0D system");
    }
  }

  bool factorize(const SparseSystem& system) override {
    auto* values = const_cast<double*>(system.values().data());
    if (numeric_ != nullptr &&
        klu_refactor(column_starts_.data(), row_indices_.data(), values, symbolic_, numeric_,
                     &common_) == 1 &&
        klu_rcond(symbolic_, numeric_, &common_) == 1 && common_.rcond > kMinReciprocalCondition) {
      return true;
    }
    if (numeric_ != nullptr) klu_free_numeric(&numeric_, &common_);
    numeric_ = klu_factor(column_starts_.data(), row_indices_.data(), values, symbolic_, &common_);
    return numeric_ != nullptr && common_.status == KLU_OK;
  }

  void solve(std::span<double> rhs) override {
    klu_solve(symbolic_, numeric_, size_, 1, rhs.data(), &common_);
  }
  [[nodiscard]] std::string_view name() const override { return "klu"; }

 private:
  // Below this the kept pivot order is no longer trusted and KLU pivots afresh.
  static constexpr double kMinReciprocalCondition = 1e-14;
  void release() {
    if (numeric_ != nullptr) klu_free_numeric(&numeric_, &common_);
    if (symbolic_ != nullptr) klu_free_symbolic(&symbolic_, &common_);
  }
  klu_common common_{};
  klu_symbolic* symbolic_ = nullptr;
  klu_numeric* numeric_ = nullptr;
  int size_ = 0;
  std::vector<int> column_starts_;
  std::vector<int> row_indices_;
};

class EigenLuSolver final : public LinearSolver {
 public:
  void analyze(const SparseSystem& system) override {
    const auto n = static_cast<Eigen::Index>(system.size());
    const auto nnz = static_cast<Eigen::Index>(system.nonzero_count());
    matrix_ = Eigen::Map<const Eigen::SparseMatrix<double, Eigen::ColMajor, int>>(
        n, n, nnz, system.column_starts().data(), system.row_indices().data(),
        system.values().data());
    solver_.analyzePattern(matrix_);
  }
  bool factorize(const SparseSystem& system) override {
    std::copy(system.values().begin(), system.values().end(), matrix_.valuePtr());
    solver_.factorize(matrix_);
    return solver_.info() == Eigen::Success;
  }
  void solve(std::span<double> rhs) override {
    Eigen::Map<Eigen::VectorXd> b(rhs.data(), static_cast<Eigen::Index>(rhs.size()));
    b = solver_.solve(b).eval();
  }
  [[nodiscard]] std::string_view name() const override { return "eigen_lu"; }

 private:
  Eigen::SparseMatrix<double, Eigen::ColMajor, int> matrix_;
  Eigen::SparseLU<Eigen::SparseMatrix<double, Eigen::ColMajor, int>> solver_;
};

}  // namespace

LinearSolverKind parse_linear_solver_kind(std::string_view name) {
  if (name == "klu") return LinearSolverKind::Klu;
  if (name == "eigen_lu") return LinearSolverKind::EigenLu;
  throw InputError(ErrorCode::BadInput, "linear_solver", std::string(name),
                   "must be klu or eigen_lu");
}

std::unique_ptr<LinearSolver> make_linear_solver(LinearSolverKind kind) {
  if (kind == LinearSolverKind::Klu) return std::make_unique<KluSolver>();
  return std::make_unique<EigenLuSolver>();
}

}  // namespace ptwin::physics::zerod
