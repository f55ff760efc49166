// SPDX-License-Identifier: Apache-2.0
#pragma once
// Fits a 0D model's slow parameters to one patient's measurements.
//
// Each adjustable parameter is a multiplier m_j on one or more model values (declared in the
// model JSON under "adjustable_parameters": {"systemic_resistance": {"scales":
// ["sys_art.resistance"], "bounds": [0.2, 5]}, ...}; "initial:<variable>" scales an initial
// condition, which is how a closed loop's stressed blood volume is changed). The heart rate is
// not fitted: the measured rate sets the heart period and every activation timing scales with
// it. The optimiser works on log m_j (positivity, scale-free steps) and minimises the weighted
// least-squares cost
//   J(m) = sum_i ((y_i(m) - z_i) / sigma_i)^2
// with y_i the periodic-steady-state model outputs (systolic / diastolic pressure, cardiac
// output, ejection fraction, mean pressure) and sigma_i the stated measurement uncertainty,
// using NLopt's derivative-free BOBYQA (Powell 2009, powell2009bobyqa).
//
// Identifiability is reported from the sensitivity matrix S_ij = d r_i / d log m_j at the
// optimum (central differences): each parameter's sensitivity norm, its standard error from
// the Gauss-Newton covariance (S^T S)^-1, and the collinearity index of the whole set
// gamma = 1 / sqrt(lambda_min(S~^T S~)) with unit-norm columns S~ (Brun et al. 2001,
// brun2001practical: gamma above 10-15 means the set is poorly identifiable).

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ptwin/physics/zerod/simulation.hpp"
#include "ptwin/twin/haemodynamic_summary.hpp"

namespace ptwin::twin {

/// One measured quantity to match. Names: systolic_pressure, diastolic_pressure,
/// mean_arterial_pressure, cardiac_output, stroke_volume, ejection_fraction (heart_rate is not a
/// target: it sets the period).
struct PersonalisationTarget {
  std::string name;
  double measured_si = 0.0;
  double uncertainty_si = 0.0;  // one standard deviation, SI
};

struct PersonalisationSettings {
  std::vector<std::string> parameters;  // names from the model's adjustable_parameters
  double heart_rate_hz = 0.0;           // measured; 0 keeps the model's period
  int max_evaluations = 200;
  double relative_tolerance = 1e-4;  // NLopt xtol_rel, on the log multipliers
  physics::zerod::SimulationSettings simulation;
};

struct FittedParameter {
  std::string name;
  double multiplier = 1.0;
  double lower_bound = 0.0;
  double upper_bound = 0.0;
  double sensitivity_norm = 0.0;      // ||d r / d log m||, residuals in units of sigma
  double relative_standard_error = 0.0;  // standard error of log m (~ relative error of m)
  bool is_identifiable = false;
  bool is_at_bound = false;
};

struct TargetResidual {
  std::string name;
  double measured_si = 0.0;
  double model_si = 0.0;
  double uncertainty_si = 0.0;
  [[nodiscard]] double normalised() const { return (model_si - measured_si) / uncertainty_si; }
};

struct PersonalisationResult {
  nlohmann::json fitted_model;  // the model JSON with the fitted values written in
  std::vector<FittedParameter> parameters;
  std::vector<TargetResidual> residuals;
  double cost = 0.0;
  double initial_cost = 0.0;
  int evaluations = 0;
  int failed_evaluations = 0;  // simulations that diverged or did not become periodic
  double collinearity_index = 0.0;
  double wall_time_s = 0.0;
  HaemodynamicSummary summary;
  physics::zerod::SimulationResult final_run;
};

/// Called after each cost evaluation: evaluation count, budget, current cost.
using PersonalisationProgress = std::function<void(int evaluation, int budget, double cost)>;

/// Fits the model. Throws InputError naming the parameter or target when the request does
/// not fit the model (unknown parameter, target without uncertainty, ...).
[[nodiscard]] PersonalisationResult personalise(const nlohmann::json& model, std::string_view source,
                                                const std::vector<PersonalisationTarget>& targets,
                                                const PersonalisationSettings& settings,
                                                const PersonalisationProgress& progress = {});

/// Writes a heart rate into a model JSON: sets heart_period and rescales activation timings.
[[nodiscard]] nlohmann::json with_heart_rate(const nlohmann::json& model, double heart_rate_hz,
                                             std::string_view source);

}  // namespace ptwin::twin
