// SPDX-License-Identifier: Apache-2.0
#pragma once
// Checked linear algebra shared by the estimators: a Cholesky factorisation that names the step
// and the matrix when it fails, finiteness checks, symmetrisation, chi-squared quantiles.
// A failure throws Error(NumericalBreakdown) before any NaN can reach the estimate.

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <string_view>

namespace ptwin::twin::estimation::detail {

/// Where a check happens, for the error message: "UKF step 12 (update)".
struct StepContext {
  std::string_view estimator;  // "UKF", "EnKF"
  int step = 0;
  std::string_view stage;  // "predict", "update"
};

/// LLT of a symmetric matrix that must be positive definite. Throws Error(NumericalBreakdown)
/// naming the context and `matrix_name` (e.g. "predicted covariance P"), with its size, smallest
/// eigenvalue and diagonal, when it has a non-finite entry or is not positive definite.
[[nodiscard]] Eigen::LLT<Eigen::MatrixXd> checked_cholesky(const Eigen::MatrixXd& matrix,
                                                           const StepContext& context,
                                                           std::string_view matrix_name);

/// Throws Error(NumericalBreakdown) naming the context and `what` if a value is NaN or infinite.
void require_finite(const Eigen::MatrixXd& values, const StepContext& context,
                    std::string_view what);

/// (A + A^T) / 2: removes the asymmetry that rounding leaves in covariance products.
[[nodiscard]] Eigen::MatrixXd symmetrised(const Eigen::MatrixXd& matrix);

/// The p-quantile of the chi-squared distribution with `degrees_of_freedom` (Boost.Math).
[[nodiscard]] double chi_squared_quantile(double probability, int degrees_of_freedom);

}  // namespace ptwin::twin::estimation::detail
