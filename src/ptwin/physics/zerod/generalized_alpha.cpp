// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/generalized_alpha.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace ptwin::physics::zerod {
namespace {
constexpr int kMaxBacktracks = 6;
constexpr int kMaxEventRepeats = 4;
// Scaled residual below which an iterate is accepted without another solve: the update it
// would produce is ~this fraction of the tolerance.
constexpr double kResidualAcceptance = 0.05;
}  // namespace

SolverDivergenceError::SolverDivergenceError(double t_s, std::string equation, double residual,
                                             std::string reason)
    : Error(ErrorCode::SolverDivergence,
            fmt::format("0D solver did not converge at t = {:.6g} s: {}; largest scaled residual "
                        "{:.3g} in {}. Reduce the time step (steps_per_cycle) or check that "
                        "block's parameters.",
                        t_s, reason, residual, equation)),
      time_s_(t_s),
      equation_(std::move(equation)),
      residual_(residual) {}

GeneralizedAlpha::GeneralizedAlpha(Model& model, LinearSolverKind solver,
                                   GeneralizedAlphaSettings settings)
    : model_(model), solver_(make_linear_solver(solver)), settings_(settings) {
  const double rho = settings_.spectral_radius;
  if (!(rho >= 0.0 && rho <= 1.0)) {
    throw InputError(ErrorCode::BadInput, "integrator.spectral_radius", fmt::format("{}", rho),
                     "must lie in [0, 1]");
  }
  alpha_m_ = 0.5 * (3.0 - rho) / (1.0 + rho);
  alpha_f_ = 1.0 / (1.0 + rho);
  gamma_ = 0.5 + alpha_m_ - alpha_f_;
  const auto n = static_cast<std::size_t>(model_.size());
  kind_tolerance_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    switch (model_.variables()[i].kind) {
      case VariableKind::Pressure: kind_tolerance_[i] = settings_.pressure_tolerance_pa; break;
      case VariableKind::Flow: kind_tolerance_[i] = settings_.flow_tolerance_m3_per_s; break;
      case VariableKind::Volume: kind_tolerance_[i] = settings_.volume_tolerance_m3; break;
    }
  }
  weights_.resize(n);
  row_scale_.resize(n);
  y_af_.resize(n);
  ydot_am_.resize(n);
  delta_.resize(n);
  solver_->analyze(model_.system());
}

void GeneralizedAlpha::update_weights(const std::vector<double>& y) {
  for (std::size_t i = 0; i < y.size(); ++i) {
    weights_[i] = kind_tolerance_[i] + settings_.relative_tolerance * std::abs(y[i]);
  }
}

// Scale of each row: the size its residual would have if every unknown of the row were off by
// its tolerance weight, from the current iteration matrix. Computed once per Newton solve (the
// weights are fixed for the step), not at every iterate.
void GeneralizedAlpha::update_row_scale() {
  const auto& system = model_.system();
  std::fill(row_scale_.begin(), row_scale_.end(), 0.0);
  const auto starts = system.column_starts();
  const auto rows = system.row_indices();
  const auto values = system.values();
  for (std::size_t column = 0; column + 1 < starts.size(); ++column) {
    for (auto k = starts[column]; k < starts[column + 1]; ++k) {
      const auto row = static_cast<std::size_t>(rows[static_cast<std::size_t>(k)]);
      row_scale_[row] = std::max(row_scale_[row],
                                 std::abs(values[static_cast<std::size_t>(k)]) * weights_[column]);
    }
  }
}

// Largest residual divided by its row scale: values ~1 mean "within tolerance".
double GeneralizedAlpha::scaled_residual_norm(int& worst_row) const {
  const auto residual = model_.system().residual();
  double worst = 0.0;
  worst_row = 0;
  for (std::size_t i = 0; i < residual.size(); ++i) {
    const double scaled = std::abs(residual[i]) / std::max(row_scale_[i], 1e-300);
    if (!(scaled <= worst)) {  // also catches NaN
      worst = std::isnan(scaled) ? INFINITY : scaled;
      worst_row = static_cast<int>(i);
      if (std::isinf(worst)) break;
    }
  }
  return worst;
}

// Comparing nnz doubles costs a small fraction of a numeric factorisation, and the comparison
// is exact, so reuse never changes a result.
bool GeneralizedAlpha::factorize_iteration_matrix() {
  const auto values = model_.system().values();
  if (settings_.reuse_unchanged_factorization && factorized_values_.size() == values.size() &&
      std::equal(values.begin(), values.end(), factorized_values_.begin())) {
    ++statistics_.reused_factorizations;
    return true;
  }
  ++statistics_.factorizations;
  if (!solver_->factorize(model_.system())) {
    factorized_values_.clear();
    return false;
  }
  factorized_values_.assign(values.begin(), values.end());
  return true;
}

GeneralizedAlpha::NewtonOutcome GeneralizedAlpha::newton(const IntegratorState& start,
                                                         double dt_s, IntegratorState& end) {
  const std::size_t n = start.y.size();
  const double t_af = start.t_s + alpha_f_ * dt_s;
  const double dy_ddot = gamma_ * dt_s;  // d y_{n+1} / d ydot_{n+1}
  // Predictor: constant y, consistent ydot.
  end.t_s = start.t_s + dt_s;
  end.y = start.y;
  for (std::size_t i = 0; i < n; ++i) end.ydot[i] = (gamma_ - 1.0) / gamma_ * start.ydot[i];
  update_weights(start.y);

  double previous_norm = INFINITY;
  int backtracks = 0;
  int worst_row = 0;
  double norm = INFINITY;
  for (int iteration = 0; iteration < settings_.max_newton_iterations; ++iteration) {
    ++statistics_.newton_iterations;
    for (std::size_t i = 0; i < n; ++i) {
      y_af_[i] = start.y[i] + alpha_f_ * (end.y[i] - start.y[i]);
      ydot_am_[i] = start.ydot[i] + alpha_m_ * (end.ydot[i] - start.ydot[i]);
    }
    // The matrix is assembled only where it is used: for the row scales at the first iterate,
    // and before a factorisation. Most steps converge at the second iterate, whose convergence
    // check needs the residual alone.
    const bool has_matrix = iteration == 0 || !settings_.residual_only_checks;
    if (has_matrix) {
      model_.evaluate(t_af, y_af_.data(), ydot_am_.data(), alpha_f_ * dy_ddot, alpha_m_);
      update_row_scale();
    } else {
      model_.evaluate_residual(t_af, y_af_.data(), ydot_am_.data());
    }
    norm = scaled_residual_norm(worst_row);
    if (!std::isfinite(norm)) return {false, worst_row, norm, "the residual is not finite"};
    if (norm <= kResidualAcceptance) return {true, worst_row, norm, {}};
    if (norm > previous_norm && backtracks < kMaxBacktracks && iteration > 0) {
      // Damped Newton: go back half of the last update and re-evaluate.
      ++backtracks;
      for (std::size_t i = 0; i < n; ++i) {
        delta_[i] *= 0.5;
        end.ydot[i] -= delta_[i];
        end.y[i] -= dy_ddot * delta_[i];
      }
      continue;
    }
    previous_norm = norm;
    if (!has_matrix) {
      model_.evaluate(t_af, y_af_.data(), ydot_am_.data(), alpha_f_ * dy_ddot, alpha_m_);
    }
    if (!factorize_iteration_matrix()) {
      return {false, worst_row, norm, "the Newton matrix is singular"};
    }
    auto residual = model_.system().residual();
    for (std::size_t i = 0; i < n; ++i) delta_[i] = -residual[i];
    solver_->solve(delta_);
    double update_norm = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      end.ydot[i] += delta_[i];
      end.y[i] += dy_ddot * delta_[i];
      update_norm = std::max(update_norm, std::abs(dy_ddot * delta_[i]) / weights_[i]);
    }
    if (!std::isfinite(update_norm)) return {false, worst_row, norm, "the update is not finite"};
    if (update_norm <= 1.0) return {true, worst_row, norm, {}};
  }
  return {false, worst_row, norm,
          fmt::format("no convergence in {} Newton iterations", settings_.max_newton_iterations)};
}

void GeneralizedAlpha::step_with_retries(IntegratorState& state, double dt_s, int depth) {
  IntegratorState end{state.t_s, std::vector<double>(state.y.size()),
                      std::vector<double>(state.y.size())};
  for (int repeat = 0;; ++repeat) {
    const auto outcome = newton(state, dt_s, end);
    if (!outcome.is_converged) {
      if (depth >= settings_.max_step_halvings) {
        throw SolverDivergenceError(state.t_s + dt_s, model_.describe_row(outcome.worst_row),
                                    outcome.worst_scaled_residual, outcome.reason);
      }
      ++statistics_.step_halvings;
      step_with_retries(state, 0.5 * dt_s, depth + 1);
      step_with_retries(state, 0.5 * dt_s, depth + 1);
      return;
    }
    // A valve that switched within the step: repeat the step with the new state.
    if (!model_.update_discrete_states(end.t_s, end.y.data()) || repeat >= kMaxEventRepeats) break;
    ++statistics_.event_repeats;
  }
  ++statistics_.steps;
  state = std::move(end);
}

bool GeneralizedAlpha::initialise_derivatives(IntegratorState& state) {
  const std::size_t n = state.y.size();
  auto& system = model_.system();
  const auto starts = system.column_starts();
  std::vector<double> y = state.y;
  std::vector<double> ydot = state.ydot;
  std::vector<double> mass(system.nonzero_count());
  std::vector<char> is_differential(n, 0);
  update_weights(y);
  for (int iteration = 0; iteration < settings_.max_newton_iterations; ++iteration) {
    // dR/dydot first: it says which unknowns are differential and supplies their columns.
    model_.evaluate(state.t_s, y.data(), ydot.data(), 0.0, 1.0);
    std::copy(system.values().begin(), system.values().end(), mass.begin());
    model_.evaluate(state.t_s, y.data(), ydot.data(), 1.0, 0.0);
    update_row_scale();
    int worst_row = 0;
    const double norm = scaled_residual_norm(worst_row);
    if (!std::isfinite(norm)) return false;
    if (norm <= kResidualAcceptance) {
      state.y = std::move(y);
      state.ydot = std::move(ydot);
      return true;
    }
    auto values = system.values();
    for (std::size_t column = 0; column < n; ++column) {
      bool has_mass = false;
      for (auto k = starts[column]; k < starts[column + 1]; ++k) {
        has_mass = has_mass || mass[static_cast<std::size_t>(k)] != 0.0;
      }
      if (iteration == 0) is_differential[column] = has_mass ? 1 : 0;
      if (!is_differential[column]) continue;
      for (auto k = starts[column]; k < starts[column + 1]; ++k) {
        values[static_cast<std::size_t>(k)] = mass[static_cast<std::size_t>(k)];
      }
    }
    if (!factorize_iteration_matrix()) return false;
    const auto residual = system.residual();
    for (std::size_t i = 0; i < n; ++i) delta_[i] = -residual[i];
    solver_->solve(delta_);
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(delta_[i])) return false;
      (is_differential[i] ? ydot[i] : y[i]) += delta_[i];
    }
  }
  return false;
}

void GeneralizedAlpha::step(IntegratorState& state, double dt_s) {
  step_with_retries(state, dt_s, 0);
}

}  // namespace ptwin::physics::zerod
