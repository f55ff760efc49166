// SPDX-License-Identifier: Apache-2.0
#pragma once
// Recalibration of a risk probability: a monotone map p -> p' fitted on the outcomes of a
// calibration set of patients and applied to new ones, so that "30 % risk" happens 30 % of the
// time without changing the ranking (AUROC is unchanged by Platt and at most tied by isotonic).
//
// - platt: logistic regression of the outcome on logit(p), p' = 1 / (1 + exp(-(a + b logit p)))
//   (Platt 1999, in Advances in Large Margin Classifiers; Cox 1958, Biometrika 45:562). Two
//   parameters; corrects a risk that is systematically too high or low (a) and too extreme or
//   too timid (b).
// - isotonic: the non-decreasing step function of p that fits the outcomes best in least
//   squares (pool-adjacent-violators, uq/isotonic_regression.hpp; Zadrozny & Elkan 2002, KDD),
//   stored as knots (raw, calibrated) and interpolated linearly between blocks, held constant
//   beyond the first and last knot. Free-form; needs more calibration events than platt.
//
// The map is part of the model's settings: a change of it is a change of the model and of its
// settings digest (vv/gate/model_identity.hpp).

#include <chrono>
#include <span>
#include <string_view>
#include <vector>

#include "ptwin/uq/logistic_regression.hpp"

namespace ptwin::twin::risk {

enum class RecalibrationMethod { None, Platt, Isotonic };  // "none", "platt", "isotonic"
[[nodiscard]] std::string_view to_string(RecalibrationMethod method);

struct CalibrationKnot {
  double raw = 0.0;         // probability before recalibration
  double calibrated = 0.0;  // after
  friend bool operator==(const CalibrationKnot&, const CalibrationKnot&) = default;
};

struct RiskRecalibration {
  RecalibrationMethod method = RecalibrationMethod::None;
  double platt_intercept = 0.0;  // a
  double platt_slope = 1.0;      // b
  // Raw strictly increasing, calibrated non-decreasing.
  std::vector<CalibrationKnot> isotonic_knots;
  // Probabilities are clamped to [epsilon, 1 - epsilon] before the logit (platt only).
  double logit_epsilon = 1e-6;

  /// The recalibrated probability. Precondition: validate() passed and 0 <= p <= 1.
  [[nodiscard]] double apply(double probability) const;
  /// Throws InputError naming the field (under `where`) and value for a map that is not one:
  /// non-finite or out-of-range parameters, knots out of order or outside [0, 1].
  void validate(std::string_view where) const;
  friend bool operator==(const RiskRecalibration&, const RiskRecalibration&) = default;
};

/// A recalibration fitted for risks over one forecast horizon (a 5-minute risk and a 15-minute
/// risk are miscalibrated differently).
struct HorizonRecalibration {
  std::chrono::seconds horizon{0};
  RiskRecalibration map;
  friend bool operator==(const HorizonRecalibration&, const HorizonRecalibration&) = default;
};

/// Fits platt on (x = predicted probability, outcome) pairs. Throws InputError for a probability
/// outside [0, 1] (naming the index) or a single outcome class; Error when the predictions
/// separate the outcomes completely (the slope is unbounded).
[[nodiscard]] RiskRecalibration fit_platt_recalibration(std::span<const uq::LabelledValue> cases,
                                                        double logit_epsilon = 1e-6);

/// Fits isotonic on the same pairs. Throws InputError for a probability outside [0, 1] or no
/// case.
[[nodiscard]] RiskRecalibration fit_isotonic_recalibration(
    std::span<const uq::LabelledValue> cases);

}  // namespace ptwin::twin::risk
