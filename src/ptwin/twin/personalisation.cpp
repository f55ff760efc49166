// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/personalisation.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include <Eigen/Dense>
#include <fmt/format.h>
#include <nlopt.h>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/zerod/model_builder.hpp"
#include "ptwin/physics/zerod/parameter_reader.hpp"
#include "ptwin/twin/adjustable_parameters.hpp"

namespace ptwin::twin {
namespace zerod = physics::zerod;
namespace {

// A cost for evaluations whose simulation failed: far above any fit, but finite so that BOBYQA
// keeps its trust region and steps away.
constexpr double kFailedEvaluationCost = 1e8;
constexpr double kSensitivityStepLog = 0.02;
constexpr double kIdentifiableRelativeError = 0.5;

double target_value(const std::string& name, const HaemodynamicSummary& s) {
  if (name == "systolic_pressure") return s.systolic_pressure_pa;
  if (name == "diastolic_pressure") return s.diastolic_pressure_pa;
  if (name == "mean_arterial_pressure") return s.mean_arterial_pressure_pa;
  if (name == "cardiac_output") return s.cardiac_output_m3_per_s;
  if (name == "ejection_fraction") return s.ejection_fraction;
  if (name == "stroke_volume") return s.stroke_volume_m3;
  throw InputError(ErrorCode::BadInput, "personalisation.targets", name,
                   "is not a target (systolic_pressure, diastolic_pressure, "
                   "mean_arterial_pressure, cardiac_output, ejection_fraction, stroke_volume)");
}

class Problem {
 public:
  Problem(const nlohmann::json& model, std::string_view source,
          const std::vector<PersonalisationTarget>& targets,
          const PersonalisationSettings& settings, const PersonalisationProgress& progress)
      : base_(settings.heart_rate_hz > 0 ? with_heart_rate(model, settings.heart_rate_hz, source)
                                         : model),
        source_(source),
        targets_(targets),
        settings_(settings),
        progress_(progress),
        adjustables_(read_adjustable_parameters(model, settings.parameters, source)),
        observables_(Observables::from_model_json(model, source)) {
    for (const auto& t : targets_) {
      (void)target_value(t.name, HaemodynamicSummary{});
      if (!(t.uncertainty_si > 0.0)) {
        throw InputError(ErrorCode::BadInput, fmt::format("target {}", t.name),
                         fmt::format("{}", t.uncertainty_si), "needs a positive uncertainty");
      }
    }
  }

  [[nodiscard]] nlohmann::json model_for(const std::vector<double>& log_multipliers) const {
    return with_multipliers(base_, adjustables_, log_multipliers, source_);
  }

  struct Evaluation {
    bool is_ok = false;
    std::vector<double> residuals;  // normalised
    HaemodynamicSummary summary;
    zerod::SimulationResult run;
  };

  Evaluation evaluate(const std::vector<double>& log_multipliers) const {
    Evaluation e;
    auto model = zerod::build_model(model_for(log_multipliers), source_);
    e.run = zerod::simulate(*model, settings_.simulation);
    if (e.run.status != zerod::SimulationStatus::Completed) return e;
    e.summary = summarise(e.run, observables_);
    for (const auto& t : targets_) {
      e.residuals.push_back((target_value(t.name, e.summary) - t.measured_si) / t.uncertainty_si);
    }
    e.is_ok = true;
    return e;
  }

  double cost(const std::vector<double>& log_multipliers) {
    const auto e = evaluate(log_multipliers);
    ++evaluations_;
    double c = kFailedEvaluationCost;
    if (e.is_ok) {
      c = 0.0;
      for (const double r : e.residuals) c += r * r;
    } else {
      ++failed_evaluations_;
    }
    if (progress_) progress_(evaluations_, settings_.max_evaluations, c);
    return c;
  }

  const std::vector<AdjustableParameter>& adjustables() const { return adjustables_; }
  const std::vector<PersonalisationTarget>& targets() const { return targets_; }
  int evaluations() const { return evaluations_; }
  int failed_evaluations() const { return failed_evaluations_; }

 private:
  nlohmann::json base_;
  std::string source_;
  std::vector<PersonalisationTarget> targets_;
  PersonalisationSettings settings_;
  PersonalisationProgress progress_;
  std::vector<AdjustableParameter> adjustables_;
  Observables observables_;
  int evaluations_ = 0;
  int failed_evaluations_ = 0;
};

double nlopt_cost(unsigned n, const double* x, double* /*gradient*/, void* data) {
  return static_cast<Problem*>(data)->cost(std::vector<double>(x, x + n));
}

struct NloptHandle {
  explicit NloptHandle(unsigned n) : handle(nlopt_create(NLOPT_LN_BOBYQA, n)) {}
  ~NloptHandle() { nlopt_destroy(handle); }
  NloptHandle(const NloptHandle&) = delete;
  NloptHandle& operator=(const NloptHandle&) = delete;
  nlopt_opt handle;
};

void report_identifiability(Problem& problem, const std::vector<double>& x,
                            PersonalisationResult& result) {
  const auto m = problem.targets().size();
  const auto n = x.size();
  Eigen::MatrixXd s(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(n));
  for (std::size_t j = 0; j < n; ++j) {
    auto plus = x;
    auto minus = x;
    plus[j] += kSensitivityStepLog;
    minus[j] -= kSensitivityStepLog;
    const auto ep = problem.evaluate(plus);
    const auto em = problem.evaluate(minus);
    if (!ep.is_ok || !em.is_ok) {
      throw Error(ErrorCode::SolverDivergence,
                  fmt::format("sensitivity of '{}' could not be computed: the model did not "
                              "reach a periodic state next to the optimum",
                              problem.adjustables()[j].name));
    }
    for (std::size_t i = 0; i < m; ++i) {
      s(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          (ep.residuals[i] - em.residuals[i]) / (2.0 * kSensitivityStepLog);
    }
  }
  const Eigen::MatrixXd fisher = s.transpose() * s;
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(fisher);
  const bool is_invertible = lu.isInvertible();
  const Eigen::MatrixXd covariance = is_invertible ? Eigen::MatrixXd(lu.inverse()) : Eigen::MatrixXd();
  Eigen::MatrixXd normalised = s;
  for (Eigen::Index j = 0; j < normalised.cols(); ++j) {
    const double norm = normalised.col(j).norm();
    if (norm > 0) normalised.col(j) /= norm;
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(normalised.transpose() * normalised);
  const double lambda_min = eigen.eigenvalues().minCoeff();
  result.collinearity_index = lambda_min > 0 ? 1.0 / std::sqrt(lambda_min) : INFINITY;
  for (std::size_t j = 0; j < n; ++j) {
    auto& p = result.parameters[j];
    const auto col = static_cast<Eigen::Index>(j);
    p.sensitivity_norm = s.col(col).norm();
    p.relative_standard_error = is_invertible ? std::sqrt(std::max(0.0, covariance(col, col))) : INFINITY;
    p.is_identifiable = std::isfinite(p.relative_standard_error) &&
                        p.relative_standard_error < kIdentifiableRelativeError;
  }
}

}  // namespace

nlohmann::json with_heart_rate(const nlohmann::json& model, double heart_rate_hz,
                               std::string_view source) {
  if (!(heart_rate_hz > 0.2 && heart_rate_hz < 5.0)) {
    throw InputError(ErrorCode::BadInput, "heart_rate", fmt::format("{} Hz", heart_rate_hz),
                     "must lie between 12 and 300 /min");
  }
  auto out = model;
  if (!model.contains("heart_period")) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}: heart_period", source), "",
                     "is needed to set a heart rate");
  }
  const double old_period = zerod::parse_quantity_si(model.at("heart_period"), units::kTimeDim,
                                                     fmt::format("{}: heart_period", source));
  const double new_period = 1.0 / heart_rate_hz;
  out["heart_period"] = fmt::format("{:.12g} s", new_period);
  static const std::set<std::string> kTimings{"contract_start", "contract_duration",
                                              "relax_duration", "relax_start", "shift", "tau_1",
                                              "tau_2", "active_start", "twitch_duration"};
  for (auto& block : out["blocks"]) {
    if (!block.contains("parameters") || !block["parameters"].contains("activation")) continue;
    for (auto& [key, value] : block["parameters"]["activation"].items()) {
      if (kTimings.contains(key)) value = scaled_quantity(value, new_period / old_period, key);
    }
  }
  return out;
}

PersonalisationResult personalise(const nlohmann::json& model, std::string_view source,
                                  const std::vector<PersonalisationTarget>& targets,
                                  const PersonalisationSettings& settings,
                                  const PersonalisationProgress& progress) {
  const auto started = std::chrono::steady_clock::now();
  if (settings.parameters.empty() || targets.empty()) {
    throw InputError(ErrorCode::BadInput, "personalisation", "", "needs parameters and targets");
  }
  Problem problem(model, source, targets, settings, progress);
  const auto n = static_cast<unsigned>(problem.adjustables().size());
  std::vector<double> lower(n), upper(n), x(n, 0.0);
  for (unsigned j = 0; j < n; ++j) {
    lower[j] = std::log(problem.adjustables()[j].lower);
    upper[j] = std::log(problem.adjustables()[j].upper);
  }
  PersonalisationResult result;
  result.initial_cost = problem.cost(x);
  NloptHandle optimiser(n);
  nlopt_set_lower_bounds(optimiser.handle, lower.data());
  nlopt_set_upper_bounds(optimiser.handle, upper.data());
  nlopt_set_min_objective(optimiser.handle, &nlopt_cost, &problem);
  nlopt_set_xtol_rel(optimiser.handle, settings.relative_tolerance);
  nlopt_set_maxeval(optimiser.handle, settings.max_evaluations);
  std::vector<double> step(n, 0.3);
  nlopt_set_initial_step(optimiser.handle, step.data());
  double best = 0.0;
  const auto status = nlopt_optimize(optimiser.handle, x.data(), &best);
  if (status < 0) {
    throw Error(ErrorCode::SolverDivergence,
                fmt::format("the optimiser stopped with NLopt status {} after {} evaluations",
                            static_cast<int>(status), problem.evaluations()));
  }
  auto final_eval = problem.evaluate(x);
  if (!final_eval.is_ok) {
    throw Error(ErrorCode::SolverDivergence,
                fmt::format("the fitted model did not reach a periodic state: {}",
                            final_eval.run.message));
  }
  for (unsigned j = 0; j < n; ++j) {
    const auto& a = problem.adjustables()[j];
    FittedParameter p{a.name, std::exp(x[j]), a.lower, a.upper};
    p.is_at_bound = x[j] <= lower[j] + 1e-6 || x[j] >= upper[j] - 1e-6;
    result.parameters.push_back(p);
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& t = targets[i];
    result.residuals.push_back(
        {t.name, t.measured_si, target_value(t.name, final_eval.summary), t.uncertainty_si});
  }
  result.cost = best;
  result.fitted_model = problem.model_for(x);
  result.summary = final_eval.summary;
  result.final_run = std::move(final_eval.run);
  report_identifiability(problem, x, result);
  result.evaluations = problem.evaluations();
  result.failed_evaluations = problem.failed_evaluations();
  result.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace ptwin::twin
