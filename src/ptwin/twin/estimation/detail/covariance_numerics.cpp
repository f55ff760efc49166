// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/estimation/detail/covariance_numerics.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <Eigen/Eigenvalues>
#include <boost/math/distributions/chi_squared.hpp>
#include <vector>

#include "ptwin/core/error.hpp"

namespace ptwin::twin::estimation::detail {
namespace {

// A Cholesky pivot L_ii^2 below this fraction of the diagonal entry A_ii means that row is a
// combination of the others up to rounding: the matrix is numerically singular even when LLT
// reports success with a pivot made of rounding error.
constexpr double kRelativePivotFloor = 1e-12;

std::string describe(const StepContext& context) {
  return fmt::format("{} step {} ({})", context.estimator, context.step, context.stage);
}

std::vector<double> diagonal_of(const Eigen::MatrixXd& matrix) {
  const Eigen::VectorXd d = matrix.diagonal();
  return {d.data(), d.data() + d.size()};
}

}  // namespace

void require_finite(const Eigen::MatrixXd& values, const StepContext& context,
                    std::string_view what) {
  if (values.allFinite()) return;
  throw Error(ErrorCode::NumericalBreakdown,
              fmt::format("{}: {} has a non-finite value (NaN or infinite); the model's f or h "
                          "returned it, or an earlier matrix was singular",
                          describe(context), what));
}

Eigen::LLT<Eigen::MatrixXd> checked_cholesky(const Eigen::MatrixXd& matrix,
                                             const StepContext& context,
                                             std::string_view matrix_name) {
  require_finite(matrix, context, matrix_name);
  Eigen::LLT<Eigen::MatrixXd> factor(matrix);
  bool is_factored = factor.info() == Eigen::Success && factor.matrixLLT().allFinite();
  for (Eigen::Index i = 0; is_factored && i < matrix.rows(); ++i) {
    const double pivot = factor.matrixLLT()(i, i);
    is_factored = pivot > 0.0 && pivot * pivot > kRelativePivotFloor * matrix(i, i);
  }
  if (is_factored) return factor;
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(symmetrised(matrix),
                                                             Eigen::EigenvaluesOnly);
  throw Error(ErrorCode::NumericalBreakdown,
              fmt::format("{}: {} ({}x{}) is not positive definite: its Cholesky factorisation "
                          "(LLT) failed; smallest eigenvalue {:.6g}, diagonal [{:.6g}]. The state "
                          "or the observation is not determined by the model and its noise: "
                          "give the process noise Q, the observation noise R or the initial "
                          "covariance a positive variance on every component",
                          describe(context), matrix_name, matrix.rows(), matrix.cols(),
                          eigen.eigenvalues().minCoeff(), fmt::join(diagonal_of(matrix), ", ")));
}

Eigen::MatrixXd symmetrised(const Eigen::MatrixXd& matrix) {
  return 0.5 * (matrix + matrix.transpose());
}

double chi_squared_quantile(double probability, int degrees_of_freedom) {
  const boost::math::chi_squared_distribution<double> distribution(degrees_of_freedom);
  return boost::math::quantile(distribution, probability);
}

}  // namespace ptwin::twin::estimation::detail
