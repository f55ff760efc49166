// SPDX-License-Identifier: Apache-2.0
#pragma once
// The reduced haemodynamic model the live twin runs at the bedside rate (Tier A): the mean-pressure
// relation of the circulation, MAP = SVR x CO + CVP (the steady-flow limit of the 0D closed loop,
// Ohm's law of the systemic bed), with the two slow determinants carried as log-parameters that
// drift with a damped local linear trend:
//   state x = [ln SVR, d ln SVR/dt, ln CO, d ln CO/dt]
//   ln p_{k+1}      = ln p_k + dt r_k + w_level,     w_level ~ N(0, q_level^2 dt)
//   r_{k+1}         = r_k exp(-dt / tau)  + w_rate,  w_rate ~ N(0, s_rate^2 (1 - exp(-2 dt/tau)))
// so that a rate is an Ornstein-Uhlenbeck process (stationary SD s_rate, memory tau): a fall
// that has begun is expected to continue for about tau and then level off, rather than forever.
// Observed channels: MAP (arterial line, beat-averaged) and CO (intermittent, e.g. thermodilution).
// CVP is a stated constant (it is not monitored in every patient; its error is absorbed into SVR).
// The forecast propagates samples of the posterior through the same dynamics
// (HypotensionRiskTwin).

#include <cmath>

#include <Eigen/Core>

#include "ptwin/core/units.hpp"
#include "ptwin/twin/estimation/state_space_model.hpp"

namespace ptwin::twin::risk {

struct HaemodynamicTrendSettings {
  double central_venous_pressure_pa = 6.0 * units::kPaPerMmHg;
  // Chosen on the training half of the synthetic cohort (docs/twin.md#hypotension-risk):
  double level_noise_per_sqrt_s = 1.5e-3;    // ln units / sqrt(s): ~0.05 in 20 min
  double rate_stationary_sd_per_s = 2.0e-4;  // ln units / s: a 0.06 fall over 5 min is 1 SD
  double rate_memory_s = 300.0;              // tau
  double map_noise_pa = 3.0 * units::kPaPerMmHg;   // measurement + beat-to-beat + model error, 1 SD
  double cardiac_output_relative_noise = 0.10;  // 1 SD, relative
  double nominal_cardiac_output_m3_per_s = 5.0e-3 / 60.0;  // scales the CO noise in R
};

class HaemodynamicTrendModel final : public estimation::StateSpaceModel {
 public:
  enum Channel { kMeanArterialPressure = 0, kCardiacOutput = 1 };
  enum StateIndex { kLnResistance = 0, kResistanceRate = 1, kLnCardiacOutput = 2, kCardiacOutputRate = 3 };

  explicit HaemodynamicTrendModel(HaemodynamicTrendSettings settings = {});

  [[nodiscard]] std::vector<std::string> state_names() const override;
  [[nodiscard]] std::vector<std::string> observation_names() const override;
  [[nodiscard]] Eigen::VectorXd propagate(const Eigen::VectorXd& state, double dt_s) const override;
  [[nodiscard]] Eigen::MatrixXd process_noise(double dt_s) const override;
  [[nodiscard]] Eigen::VectorXd observe(const Eigen::VectorXd& state) const override;
  [[nodiscard]] Eigen::MatrixXd observation_noise() const override;

  [[nodiscard]] const HaemodynamicTrendSettings& settings() const noexcept { return settings_; }
  /// f(x, dt) on a fixed-size state, for forecasts that propagate many samples (no allocation).
  [[nodiscard]] Eigen::Vector4d propagate_fixed(const Eigen::Vector4d& state, double dt_s) const;
  /// MAP in Pa for a state (the observation's first channel).
  template <typename Vector>
  [[nodiscard]] double mean_arterial_pressure_pa(const Vector& state) const {
    return std::exp(state[kLnResistance] + state[kLnCardiacOutput]) +
           settings_.central_venous_pressure_pa;
  }

 private:
  HaemodynamicTrendSettings settings_;
};

}  // namespace ptwin::twin::risk
