// SPDX-License-Identifier: Apache-2.0
#include "ptwin/physics/zerod/ida_integrator.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <utility>

#include <fmt/format.h>
#include <ida/ida.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_klu.h>
#include <sunmatrix/sunmatrix_sparse.h>

#include "ptwin/core/error.hpp"

namespace ptwin::physics::zerod {
namespace {

// What IDA's C callbacks see through user_data.
struct CallbackData {
  Model* model = nullptr;
  // An exception must not cross IDA's C frames: it is parked here and rethrown after IDASolve.
  std::exception_ptr pending;
};

int residual_callback(realtype t_s, N_Vector y, N_Vector ydot, N_Vector residual,
                      void* user_data) {
  auto& data = *static_cast<CallbackData*>(user_data);
  try {
    data.model->evaluate(t_s, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot), 1.0, 0.0);
    const auto r = data.model->system().residual();
    std::copy(r.begin(), r.end(), N_VGetArrayPointer(residual));
    for (const double value : r) {
      if (!std::isfinite(value)) return 1;  // recoverable: IDA retries with a smaller step
    }
    return 0;
  } catch (...) {
    data.pending = std::current_exception();
    return -1;
  }
}

int jacobian_callback(realtype t_s, realtype cj, N_Vector y, N_Vector ydot, N_Vector /*r*/,
                      SUNMatrix matrix, void* user_data, N_Vector, N_Vector, N_Vector) {
  auto& data = *static_cast<CallbackData*>(user_data);
  try {
    data.model->evaluate(t_s, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot), 1.0, cj);
    // IDA zeroes the whole matrix, pattern included (SUNMatZero_Sparse), before each call.
    const auto& system = data.model->system();
    std::copy(system.column_starts().begin(), system.column_starts().end(),
              SUNSparseMatrix_IndexPointers(matrix));
    std::copy(system.row_indices().begin(), system.row_indices().end(),
              SUNSparseMatrix_IndexValues(matrix));
    std::copy(system.values().begin(), system.values().end(), SUNSparseMatrix_Data(matrix));
    return 0;
  } catch (...) {
    data.pending = std::current_exception();
    return -1;
  }
}

void check_flag(int flag, std::string_view call) {
  if (flag < 0) {
    throw Error(ErrorCode::Internal,
                fmt::format("SUNDIALS {} failed with flag {} ({})", call, flag,
                            IDAGetReturnFlagName(flag)));
  }
}

double tolerance_of(VariableKind kind, const IdaSettings& s) {
  switch (kind) {
    case VariableKind::Pressure: return s.pressure_tolerance_pa;
    case VariableKind::Flow: return s.flow_tolerance_m3_per_s;
    case VariableKind::Volume: return s.volume_tolerance_m3;
  }
  return 0.0;
}

}  // namespace

struct IdaIntegrator::Sundials {
  SUNContext context = nullptr;
  N_Vector y = nullptr;
  N_Vector ydot = nullptr;
  N_Vector absolute_tolerance = nullptr;
  N_Vector differential_id = nullptr;
  SUNMatrix matrix = nullptr;
  SUNLinearSolver linear_solver = nullptr;
  void* ida = nullptr;
  CallbackData data;

  Sundials() = default;
  Sundials(const Sundials&) = delete;
  Sundials& operator=(const Sundials&) = delete;
  ~Sundials() {
    if (ida != nullptr) IDAFree(&ida);
    if (linear_solver != nullptr) SUNLinSolFree(linear_solver);
    if (matrix != nullptr) SUNMatDestroy(matrix);
    for (N_Vector v : {y, ydot, absolute_tolerance, differential_id}) {
      if (v != nullptr) N_VDestroy(v);
    }
    if (context != nullptr) SUNContext_Free(&context);
  }
};

IdaIntegrator::IdaIntegrator(Model& model, IdaSettings settings, double t0_s,
                             std::span<const double> y0)
    : model_(model), settings_(settings), t_s_(t0_s), sundials_(std::make_unique<Sundials>()) {
  const auto n = static_cast<std::size_t>(model_.size());
  if (y0.size() != n) {
    throw InputError(ErrorCode::BadInput, "initial_state", fmt::format("{} values", y0.size()),
                     fmt::format("the model has {} unknowns", n));
  }
  if (!(settings_.relative_tolerance > 0.0) || settings_.max_order < 1 ||
      settings_.max_order > 5 || settings_.max_step_s < 0.0) {
    throw InputError(ErrorCode::BadInput, "ida", fmt::format("rtol={} max_order={} max_step={}",
                                                             settings_.relative_tolerance,
                                                             settings_.max_order,
                                                             settings_.max_step_s),
                     "needs rtol > 0, max_order in 1..5 and max_step_s >= 0");
  }
  auto& s = *sundials_;
  s.data.model = &model_;
  check_flag(SUNContext_Create(nullptr, &s.context), "SUNContext_Create");
  const auto length = static_cast<sunindextype>(n);
  s.y = N_VNew_Serial(length, s.context);
  s.ydot = N_VNew_Serial(length, s.context);
  s.absolute_tolerance = N_VNew_Serial(length, s.context);
  s.differential_id = N_VNew_Serial(length, s.context);
  std::copy(y0.begin(), y0.end(), N_VGetArrayPointer(s.y));
  N_VConst(0.0, s.ydot);
  for (std::size_t i = 0; i < n; ++i) {
    N_VGetArrayPointer(s.absolute_tolerance)[i] =
        tolerance_of(model_.variables()[i].kind, settings_);
  }

  // The CSC pattern of the model's system, copied once; only values change afterwards.
  const auto& system = model_.system();
  s.matrix = SUNSparseMatrix(length, length, static_cast<sunindextype>(system.nonzero_count()),
                             CSC_MAT, s.context);
  std::copy(system.column_starts().begin(), system.column_starts().end(),
            SUNSparseMatrix_IndexPointers(s.matrix));
  std::copy(system.row_indices().begin(), system.row_indices().end(),
            SUNSparseMatrix_IndexValues(s.matrix));
  s.linear_solver = SUNLinSol_KLU(s.y, s.matrix, s.context);
  if (s.linear_solver == nullptr) throw Error(ErrorCode::Internal, "SUNLinSol_KLU failed");

  s.ida = IDACreate(s.context);
  if (s.ida == nullptr) throw Error(ErrorCode::Internal, "IDACreate failed");
  check_flag(IDAInit(s.ida, residual_callback, t0_s, s.y, s.ydot), "IDAInit");
  check_flag(IDASVtolerances(s.ida, settings_.relative_tolerance, s.absolute_tolerance),
             "IDASVtolerances");
  check_flag(IDASetUserData(s.ida, &s.data), "IDASetUserData");
  check_flag(IDASetLinearSolver(s.ida, s.linear_solver, s.matrix), "IDASetLinearSolver");
  check_flag(IDASetJacFn(s.ida, jacobian_callback), "IDASetJacFn");
  check_flag(IDASetMaxOrd(s.ida, settings_.max_order), "IDASetMaxOrd");
  check_flag(IDASetMaxNumSteps(s.ida, settings_.max_internal_steps), "IDASetMaxNumSteps");
  if (settings_.max_step_s > 0.0) {
    check_flag(IDASetMaxStep(s.ida, settings_.max_step_s), "IDASetMaxStep");
  }

  // Differential unknowns: columns of dF/dydot holding a nonzero at the initial state.
  model_.evaluate(t0_s, y0.data(), N_VGetArrayPointer(s.ydot), 0.0, 1.0);
  double* id = N_VGetArrayPointer(s.differential_id);
  const auto starts = system.column_starts();
  const auto values = system.values();
  for (std::size_t column = 0; column < n; ++column) {
    id[column] = 0.0;
    for (auto k = starts[column]; k < starts[column + 1]; ++k) {
      if (values[static_cast<std::size_t>(k)] != 0.0) id[column] = 1.0;
    }
  }
  check_flag(IDASetId(s.ida, s.differential_id), "IDASetId");
  reinitialise();
}

IdaIntegrator::~IdaIntegrator() = default;

// Consistent (y, ydot) at t_s_: algebraic y and all ydot from the differential y.
void IdaIntegrator::reinitialise() {
  auto& s = *sundials_;
  // A first-step guess for IDACalcIC: a small fraction of the horizon it will look at.
  const double horizon_s = settings_.max_step_s > 0.0 ? settings_.max_step_s : 1e-2;
  const int flag = IDACalcIC(s.ida, IDA_YA_YDP_INIT, t_s_ + horizon_s);
  if (s.data.pending) std::rethrow_exception(std::exchange(s.data.pending, nullptr));
  if (flag < 0) {
    throw Error(ErrorCode::SolverDivergence,
                fmt::format("IDA found no consistent initial condition at t = {:.6g} s ({})",
                            t_s_, IDAGetReturnFlagName(flag)));
  }
  check_flag(IDAGetConsistentIC(s.ida, s.y, s.ydot), "IDAGetConsistentIC");
}

IdaOutcome IdaIntegrator::advance_to(double t_out_s, std::vector<double>& y) {
  auto& s = *sundials_;
  realtype t_reached = t_s_;
  const int flag = IDASolve(s.ida, t_out_s, &t_reached, s.y, s.ydot, IDA_NORMAL);
  if (s.data.pending) std::rethrow_exception(std::exchange(s.data.pending, nullptr));
  const double* values = N_VGetArrayPointer(s.y);
  y.assign(values, values + model_.size());
  t_s_ = t_reached;
  if (flag < 0) {
    return {IdaStatus::Failed,
            fmt::format("IDA stopped at t = {:.6g} s on the way to {:.6g} s: {}", t_reached,
                        t_out_s, IDAGetReturnFlagName(flag))};
  }
  if (model_.update_discrete_states(t_s_, y.data())) {
    ++restarts_;
    check_flag(IDAReInit(s.ida, t_s_, s.y, s.ydot), "IDAReInit");
    reinitialise();
    y.assign(values, values + model_.size());
  }
  return {};
}

IdaStatistics IdaIntegrator::statistics() const {
  auto* ida = sundials_->ida;
  long steps = 0, residuals = 0, jacobians = 0, iterations = 0, error_failures = 0,
       convergence_failures = 0;
  IDAGetNumSteps(ida, &steps);
  IDAGetNumResEvals(ida, &residuals);
  IDAGetNumJacEvals(ida, &jacobians);
  IDAGetNumNonlinSolvIters(ida, &iterations);
  IDAGetNumErrTestFails(ida, &error_failures);
  IDAGetNumNonlinSolvConvFails(ida, &convergence_failures);
  return {steps, residuals, jacobians, iterations, error_failures, convergence_failures,
          restarts_};
}

}  // namespace ptwin::physics::zerod
