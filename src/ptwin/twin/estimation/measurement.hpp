// SPDX-License-Identifier: Apache-2.0
#pragma once
// One measurement given to an estimator's update, and what the update did with it.

#include <Eigen/Core>
#include <string>
#include <vector>

namespace ptwin::twin::estimation {

/// Measured values of some observation channels (indices into StateSpaceModel::observe()'s
/// output, each at most once), SI. The channels measured together are updated and gated
/// together; measure independent sources (an arterial line, a cardiac-output monitor) as separate
/// measurements so that an outlier in one does not discard the other.
struct Measurement {
  std::vector<int> channels;
  Eigen::VectorXd values;
};

enum class MeasurementStatus {
  Accepted,  // used in the update
  Gated,     // rejected by the innovation gate; the estimate is unchanged
};

/// The outcome of one update. The normalised innovation squared NIS = nu^T S^-1 nu (nu the
/// innovation, S its predicted covariance) is chi-squared with `degrees_of_freedom` = number of
/// channels when the model and its noise are right; the gate rejects a measurement whose NIS
/// exceeds the chi-squared quantile `gate_threshold` (Bar-Shalom, Li & Kirubarajan 2001, §5.4).
struct UpdateOutcome {
  MeasurementStatus status = MeasurementStatus::Accepted;
  int step = 0;  // index of the update, from 1
  double normalised_innovation_squared = 0.0;
  int degrees_of_freedom = 0;
  double gate_threshold = 0.0;  // +inf when gating is off
  Eigen::VectorXd innovation;   // z - predicted observation, SI
  Eigen::VectorXd predicted_observation;
  Eigen::MatrixXd innovation_covariance;  // S
};

/// Settings of the chi-squared innovation gate.
struct InnovationGateSettings {
  /// Probability that a measurement consistent with the model passes; the gate rejects the
  /// remaining 1 - p (false rejections). 0 turns gating off. Otherwise in [0.5, 1).
  double probability = 0.999;
};

}  // namespace ptwin::twin::estimation
