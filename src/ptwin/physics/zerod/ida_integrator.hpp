// SPDX-License-Identifier: Apache-2.0
#pragma once
// Variable-order, variable-step BDF integration of a 0D model with SUNDIALS IDA (Hindmarsh et
// al. 2005, hindmarsh2005sundials): the baseline integrator against which GeneralizedAlpha is
// benchmarked and verified (bench/physics, tests/verification/physics).
//
// IDA solves the same DAE F(t, y, ydot) = R(y, ydot, t) = 0 that GeneralizedAlpha does. Its
// Newton matrix dF/dy + cj dF/dydot is exactly Model::evaluate(t, y, ydot, 1, cj), already in
// compressed sparse column form, so it is copied into a CSC SUNSparseMatrix and factorised by
// KLU (the pattern is fixed for the life of the model, as in the generalized-alpha path).
//
// Differences a caller should know about:
//  * Accuracy is set by a local error tolerance (rtol, and an absolute tolerance per kind of
//    unknown), not by the step size: the output grid only decides where the solution is
//    interpolated, IDA chooses its own internal steps.
//  * The initial ydot (and the algebraic unknowns) are made consistent with IDACalcIC; the
//    differential unknowns (those with a nonzero dF/dydot column) keep their initial values.
//  * Model::evaluate assembles the matrix on every residual call (the Model has no
//    residual-only path), so a residual evaluation costs about as much as a Jacobian one.
//  * Discrete-state blocks (valve_event) are updated only at output times; a switch restarts
//    the integration there. Smooth valves need nothing special.
//
// Not thread-safe: one integrator per Model, and the Model's SparseSystem is the scratch space.

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ptwin/physics/zerod/model.hpp"

namespace ptwin::physics::zerod {

struct IdaSettings {
  double relative_tolerance = 1e-6;
  // Absolute tolerances per kind of unknown (SI), as GeneralizedAlphaSettings.
  double pressure_tolerance_pa = 1e-3;
  double flow_tolerance_m3_per_s = 1e-11;
  double volume_tolerance_m3 = 1e-11;
  double max_step_s = 0.0;  // 0: no limit
  int max_order = 5;        // BDF order 1..5
  long max_internal_steps = 100'000;  // per advance_to call
};

struct IdaStatistics {
  long internal_steps = 0;
  long residual_evaluations = 0;
  long jacobian_evaluations = 0;
  long nonlinear_iterations = 0;
  long error_test_failures = 0;
  long nonlinear_convergence_failures = 0;
  long restarts = 0;  // discrete-state switches that re-initialised IDA
};

enum class IdaStatus { Reached, Failed };

struct IdaOutcome {
  IdaStatus status = IdaStatus::Reached;
  std::string message;  // IDA's flag name and the time reached, when Failed
};

class IdaIntegrator {
 public:
  /// Sets up IDA for `model` from state y0 (size model.size()) at t0_s and makes ydot consistent.
  /// Throws InputError when a setting is out of range or y0 has the wrong size, and Error
  /// (SolverDivergence) when no consistent initial condition is found.
  IdaIntegrator(Model& model, IdaSettings settings, double t0_s, std::span<const double> y0);
  ~IdaIntegrator();
  IdaIntegrator(const IdaIntegrator&) = delete;
  IdaIntegrator& operator=(const IdaIntegrator&) = delete;

  /// Integrates to t_out_s (> current time) and writes y(t_out_s), interpolated from IDA's own
  /// steps, into `y`. On failure the state stays at the last time IDA reached.
  [[nodiscard]] IdaOutcome advance_to(double t_out_s, std::vector<double>& y);

  [[nodiscard]] double time_s() const { return t_s_; }
  [[nodiscard]] IdaStatistics statistics() const;
  [[nodiscard]] const IdaSettings& settings() const { return settings_; }

 private:
  struct Sundials;  // SUNDIALS handles (context, vectors, matrix, linear solver, IDA memory)
  void reinitialise();

  Model& model_;
  IdaSettings settings_;
  double t_s_;
  long restarts_ = 0;
  std::unique_ptr<Sundials> sundials_;
};

}  // namespace ptwin::physics::zerod
