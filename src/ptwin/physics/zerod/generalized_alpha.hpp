// SPDX-License-Identifier: Apache-2.0
#pragma once
// Generalized-alpha integrator for first-order DAEs R(y, ydot, t) = 0 (Jansen, Whiting & Hulbert
// 2000, jansen2000generalized), second-order accurate with user-controlled high-frequency
// damping through the spectral radius rho_inf in [0, 1]:
//   alpha_m = (3 - rho) / (2 (1 + rho)),  alpha_f = 1 / (1 + rho),  gamma = 1/2 + alpha_m - alpha_f
//   y_{n+1} = y_n + dt [(1 - gamma) ydot_n + gamma ydot_{n+1}]
//   R(y_n + alpha_f (y_{n+1} - y_n), ydot_n + alpha_m (ydot_{n+1} - ydot_n), t_n + alpha_f dt) = 0
// solved for ydot_{n+1} by Newton on K = alpha_m dR/dydot + alpha_f gamma dt dR/dy.
//
// Robustness (where peers give up): a Newton step whose scaled residual grows is halved
// (backtracking, up to kMaxBacktracks); a time step that still fails is retried as two half
// steps, recursively up to max_step_halvings levels; only then SolverDivergenceError is thrown,
// naming the time, the block and equation with the largest scaled residual, and its value.

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/zerod/linear_solver.hpp"
#include "ptwin/physics/zerod/model.hpp"

namespace ptwin::physics::zerod {

struct GeneralizedAlphaSettings {
  double spectral_radius = 0.5;  // rho_inf, as svZeroDSolver's default
  int max_newton_iterations = 30;
  int max_step_halvings = 4;
  double relative_tolerance = 1e-8;
  // Absolute tolerances on the Newton update, per kind of unknown (SI).
  double pressure_tolerance_pa = 1e-3;
  double flow_tolerance_m3_per_s = 1e-11;
  double volume_tolerance_m3 = 1e-11;
  // Skip the numeric factorisation when the iteration matrix is bit-for-bit the one factorised
  // last (linear time-invariant networks: every step after the first). Exact, so results do
  // not change; off only to measure the saving (bench/physics).
  bool reuse_unchanged_factorization = true;
  // Newton iterates after the first assemble R alone for the convergence check, and K only
  // when another factorisation follows; the row scales of the check come from the step's first
  // iterate. Off: K and the row scales at every iterate (the baseline in bench/physics).
  bool residual_only_checks = true;
};

struct IntegratorState {
  double t_s = 0.0;
  std::vector<double> y;
  std::vector<double> ydot;
};

struct IntegratorStatistics {
  long steps = 0;
  long newton_iterations = 0;
  long factorizations = 0;
  long reused_factorizations = 0;  // iteration matrix unchanged: previous factors used
  long step_halvings = 0;
  long event_repeats = 0;
};

/// Thrown when a step fails after every retry. The message names time, block, equation and
/// residual; the fields carry them for programs.
class SolverDivergenceError : public Error {
 public:
  SolverDivergenceError(double t_s, std::string equation, double residual, std::string reason);
  [[nodiscard]] double time_s() const { return time_s_; }
  [[nodiscard]] const std::string& equation() const { return equation_; }
  [[nodiscard]] double scaled_residual() const { return residual_; }

 private:
  double time_s_;
  std::string equation_;
  double residual_;
};

class GeneralizedAlpha {
 public:
  GeneralizedAlpha(Model& model, LinearSolverKind solver, GeneralizedAlphaSettings settings = {});

  /// Advances `state` by dt_s. Throws SolverDivergenceError when every retry fails; `state` is
  /// then left at the last converged time.
  void step(IntegratorState& state, double dt_s);

  /// Makes the start consistent: keeps the differential unknowns of `state` (those whose ydot
  /// appears in R), and solves R(y, ydot, t) = 0 for their ydot together with the values of the
  /// algebraic unknowns (the "YA_YDP" initialisation of IDA, Brown, Hindmarsh & Petzold 1998).
  /// Returns false, leaving `state` unchanged, where that system is singular (a network of
  /// differential index above 1); generalized-alpha then starts from ydot = 0 and its damping
  /// removes the start-up transient.
  bool initialise_derivatives(IntegratorState& state);

  [[nodiscard]] const IntegratorStatistics& statistics() const { return statistics_; }
  [[nodiscard]] const GeneralizedAlphaSettings& settings() const { return settings_; }

 private:
  struct NewtonOutcome {
    bool is_converged;
    int worst_row;
    double worst_scaled_residual;
    std::string reason;
  };
  NewtonOutcome newton(const IntegratorState& start, double dt_s, IntegratorState& end);
  void step_with_retries(IntegratorState& state, double dt_s, int depth);
  void update_row_scale();
  double scaled_residual_norm(int& worst_row) const;
  bool factorize_iteration_matrix();
  void update_weights(const std::vector<double>& y);

  Model& model_;
  std::unique_ptr<LinearSolver> solver_;
  GeneralizedAlphaSettings settings_;
  double alpha_m_, alpha_f_, gamma_;
  std::vector<double> kind_tolerance_;  // per unknown
  std::vector<double> weights_;         // atol + rtol |y|
  std::vector<double> row_scale_;
  std::vector<double> y_af_, ydot_am_, delta_;
  std::vector<double> factorized_values_;  // matrix behind the current factors; empty if none
  IntegratorStatistics statistics_;
};

}  // namespace ptwin::physics::zerod
