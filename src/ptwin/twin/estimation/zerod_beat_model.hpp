// SPDX-License-Identifier: Apache-2.0
#pragma once
// A 0D closed loop seen beat by beat, as a StateSpaceModel for joint estimation of its slow
// parameters (docs/twin.md, "Estimation").
//
// State: theta_j = ln m_j, the log multipliers of the model's adjustable parameters
// (adjustable_parameters.hpp), each a random walk: f = identity, Q = diag(q_j^2) dt.
// Observation: h(theta) simulates `beats_per_observation` heart beats of the model with the
// multipliers exp(theta), starting from a cached warm state (the circulation's state at the
// start of the current beat, kept outside the filter), and returns the last beat's features:
//   systolic, diastolic and mean arterial pressure (Pa) and cardiac output (m^3/s),
// read as in haemodynamic_summary.hpp. The circulation's fast state (volumes, pressures,
// flows) is therefore not estimated: it is the deterministic response to the parameter
// estimate, advanced one beat at a time with the posterior mean (advance()). A multiplier that
// scales initial conditions (e.g. the stressed blood volume) acts on the warm state instead:
// its variables are multiplied by m_j / m_j(warm), m_j(warm) being the value the warm state was
// computed with.
//
// The heart rate is an input, not estimated: set_heart_rate() rewrites the period and timings
// (with_heart_rate in personalisation.hpp) for the next beat.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ptwin/physics/zerod/simulation.hpp"
#include "ptwin/twin/adjustable_parameters.hpp"
#include "ptwin/twin/estimation/state_space_model.hpp"
#include "ptwin/twin/haemodynamic_summary.hpp"

namespace ptwin::twin::estimation {

/// One estimated parameter: a name of the model's adjustable_parameters and the standard
/// deviation of its log multiplier's random walk.
struct BeatParameter {
  std::string name;
  double random_walk_per_sqrt_s = 0.0;  // q_j: sd of ln m_j grows as q_j sqrt(t)
};

struct ZerodBeatSettings {
  std::vector<BeatParameter> parameters;
  int steps_per_beat = 100;       // generalized-alpha steps per heart period
  int beats_per_observation = 1;  // beats simulated from the warm state per evaluation of h
  int warm_up_max_beats = 80;     // to reach the first periodic state
  // Observation noise, one standard deviation each (SI).
  double systolic_sd_pa = 266.6;             // 2 mmHg
  double diastolic_sd_pa = 266.6;            // 2 mmHg
  double mean_sd_pa = 266.6;                 // 2 mmHg
  double cardiac_output_sd_m3_per_s = 5e-6;  // 0.3 L/min
};

/// Observation channel indices of ZerodBeatModel.
enum BeatChannel : int { kSystolic = 0, kDiastolic = 1, kMeanPressure = 2, kCardiacOutput = 3 };

class ZerodBeatModel final : public StateSpaceModel {
 public:
  /// Reads the model's adjustable parameters and observables and simulates the model as written
  /// (multipliers 1) to its periodic steady state, which becomes the first warm state. Throws
  /// InputError naming a parameter or setting that does not fit the model, Error(SolverDivergence)
  /// when the warm-up does not become periodic.
  ZerodBeatModel(const nlohmann::json& model, std::string_view source, ZerodBeatSettings settings);

  std::vector<std::string> state_names() const override;
  std::vector<std::string> observation_names() const override;
  Eigen::VectorXd propagate(const Eigen::VectorXd& state, double dt_s) const override;
  Eigen::MatrixXd process_noise(double dt_s) const override;
  /// Throws Error(SolverDivergence) when the simulation with these multipliers diverges.
  Eigen::VectorXd observe(const Eigen::VectorXd& state) const override;
  Eigen::MatrixXd observation_noise() const override;

  /// Sets the heart rate of the following beats (Hz, 12 to 300 /min).
  void set_heart_rate(double heart_rate_hz);
  [[nodiscard]] double heart_period_s() const { return period_s_; }
  /// Simulates one beat from the warm state with `state`'s multipliers and makes its end the
  /// new warm state. Returns the beat's features (observation channels).
  Eigen::VectorXd advance(const Eigen::VectorXd& state);
  /// Number of model simulations (of beats_per_observation beats, or one beat in advance())
  /// since construction.
  [[nodiscard]] long evaluations() const { return evaluations_; }

 private:
  struct Beat {
    Eigen::VectorXd features;
    std::vector<double> final_state;
  };
  [[nodiscard]] Beat simulate_beats(const Eigen::VectorXd& state, int beats) const;

  nlohmann::json base_;  // heart rate written in
  std::string source_;
  ZerodBeatSettings settings_;
  std::vector<AdjustableParameter> adjustables_;
  Observables observables_;
  // For each parameter, the indices of the warm-state variables its "initial:" scales name.
  std::vector<std::vector<int>> warm_scaled_variables_;
  std::vector<double> warm_state_;
  Eigen::VectorXd warm_log_multipliers_;
  double period_s_ = 0.0;
  mutable long evaluations_ = 0;
};

}  // namespace ptwin::twin::estimation
