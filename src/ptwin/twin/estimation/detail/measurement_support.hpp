// SPDX-License-Identifier: Apache-2.0
#pragma once
// What both estimators do with a Measurement before and around the Kalman update: check it,
// pick the measured channels out of h(x) and R, and compute the gate threshold.

#include <Eigen/Core>
#include <vector>

#include "ptwin/twin/estimation/detail/covariance_numerics.hpp"
#include "ptwin/twin/estimation/measurement.hpp"

namespace ptwin::twin::estimation::detail {

/// Throws InputError naming the field and value when a channel is out of range or repeated, the
/// value count differs from the channel count, or a value is not finite.
void validate_measurement(const Measurement& measurement, int observation_size,
                          const StepContext& context);

/// Throws InputError unless the probability is 0 (off) or in [0.5, 1).
void validate_gate_settings(const InnovationGateSettings& settings, std::string_view where);

/// The rows of `full` named by `channels`.
[[nodiscard]] Eigen::VectorXd select_rows(const Eigen::VectorXd& full,
                                          const std::vector<int>& channels);
/// The rows and columns of a square matrix named by `channels`.
[[nodiscard]] Eigen::MatrixXd select_block(const Eigen::MatrixXd& full,
                                           const std::vector<int>& channels);

/// Fills the outcome's NIS, degrees of freedom, threshold and status from the innovation and
/// the factor of its covariance S.
void apply_gate(const InnovationGateSettings& settings, const Eigen::LLT<Eigen::MatrixXd>& s_factor,
                UpdateOutcome& outcome);

}  // namespace ptwin::twin::estimation::detail
