// SPDX-License-Identifier: Apache-2.0
#include "ptwin/vv/gate/hypotension_model_verification.hpp"

#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "ptwin/core/error.hpp"
#include "ptwin/twin/cohort/hypotension_cohort.hpp"
#include "ptwin/twin/estimation/ensemble_kalman_filter.hpp"
#include "ptwin/twin/estimation/unscented_kalman_filter.hpp"
#include "ptwin/twin/risk/haemodynamic_trend_model.hpp"
#include "ptwin/vv/gate/model_identity.hpp"
#include "ptwin/vv/hypotension_evaluation.hpp"

namespace ptwin::vv::gate {
namespace {

using twin::estimation::GaussianEstimate;
using twin::risk::HaemodynamicTrendModel;

constexpr std::uint64_t kTrackSeed = 1960;
constexpr int kTrackSteps = 120;
constexpr double kStepS = 10.0;
constexpr double kNominalMapPa = 85.0 * units::kPaPerMmHg;
// The observed value of a case that could not be computed: NaN is inside no interval (and is
// written as null in the record).
constexpr double kNotComputed = std::numeric_limits<double>::quiet_NaN();

// The twin's trend dynamics with a linear observation of the log-state: ln(MAP - CVP) =
// ln SVR + ln CO and ln CO. Linear and Gaussian, so the Kalman filter is the exact posterior.
class LinearlyObservedTrend final : public twin::estimation::StateSpaceModel {
 public:
  explicit LinearlyObservedTrend(const twin::risk::HaemodynamicTrendSettings& settings)
      : trend_(settings) {
    const double ln_map_sd =
        settings.map_noise_pa / (kNominalMapPa - settings.central_venous_pressure_pa);
    const double ln_co_sd = settings.cardiac_output_relative_noise;
    noise_ = Eigen::Vector2d(ln_map_sd * ln_map_sd, ln_co_sd * ln_co_sd).asDiagonal();
    observation_ = Eigen::MatrixXd::Zero(2, 4);
    observation_(0, HaemodynamicTrendModel::kLnResistance) = 1.0;
    observation_(0, HaemodynamicTrendModel::kLnCardiacOutput) = 1.0;
    observation_(1, HaemodynamicTrendModel::kLnCardiacOutput) = 1.0;
  }
  std::vector<std::string> state_names() const override { return trend_.state_names(); }
  std::vector<std::string> observation_names() const override {
    return {"ln_map_minus_cvp", "ln_cardiac_output"};
  }
  Eigen::VectorXd propagate(const Eigen::VectorXd& x, double dt_s) const override {
    return trend_.propagate(x, dt_s);
  }
  Eigen::MatrixXd process_noise(double dt_s) const override { return trend_.process_noise(dt_s); }
  Eigen::VectorXd observe(const Eigen::VectorXd& x) const override { return observation_ * x; }
  Eigen::MatrixXd observation_noise() const override { return noise_; }
  const Eigen::MatrixXd& observation_matrix() const { return observation_; }

 private:
  HaemodynamicTrendModel trend_;
  Eigen::MatrixXd observation_;
  Eigen::MatrixXd noise_;
};

// The exact Kalman filter on the affine map the model's propagate() is, read off by probing it
// with the zero state and the unit vectors (exact for an affine map; the UKF would not match a
// nonlinear one, so the probe cannot hide nonlinearity).
struct ExactKalman {
  Eigen::VectorXd mean;
  Eigen::MatrixXd covariance;
  void predict(const twin::estimation::StateSpaceModel& model, double dt_s) {
    const Eigen::Index n = mean.size();
    const Eigen::VectorXd offset = model.propagate(Eigen::VectorXd::Zero(n), dt_s);
    Eigen::MatrixXd f(n, n);
    for (Eigen::Index j = 0; j < n; ++j) {
      f.col(j) = model.propagate(Eigen::VectorXd::Unit(n, j), dt_s) - offset;
    }
    mean = f * mean + offset;
    covariance = f * covariance * f.transpose() + model.process_noise(dt_s);
  }
  void update(const Eigen::MatrixXd& h, const Eigen::MatrixXd& r, const Eigen::VectorXd& z) {
    const Eigen::MatrixXd s = h * covariance * h.transpose() + r;
    const Eigen::MatrixXd k = covariance * h.transpose() * s.inverse();
    mean += k * (z - h * mean);
    const Eigen::MatrixXd i_kh = Eigen::MatrixXd::Identity(mean.size(), mean.size()) - k * h;
    covariance = i_kh * covariance * i_kh.transpose() + k * r * k.transpose();  // Joseph form
  }
};

GaussianEstimate prior(const twin::risk::HypotensionRiskSettings& s) {
  GaussianEstimate e;
  const double ln_co = std::log(s.prior_cardiac_output_m3_per_s);
  e.mean = Eigen::Vector4d(std::log(kNominalMapPa - s.model.central_venous_pressure_pa) - ln_co,
                           0.0, ln_co, 0.0);
  const double rate_var = s.model.rate_stationary_sd_per_s * s.model.rate_stationary_sd_per_s;
  const double co_var = s.prior_ln_cardiac_output_sd * s.prior_ln_cardiac_output_sd;
  e.covariance = Eigen::Vector4d(co_var + 0.01, rate_var, co_var, rate_var).asDiagonal();
  e.covariance(0, 2) = e.covariance(2, 0) = -co_var;
  return e;
}

// Per step, the difference between a filter and the exact filter: the mean in posterior standard
// deviations and the covariance relative to its largest entry (each the max over components).
struct TrackErrors {
  std::vector<double> mean_in_sd;
  std::vector<double> covariance_relative;
};

template <typename Filter>
TrackErrors track_against_kalman(const twin::risk::HypotensionRiskSettings& settings,
                                 const LinearlyObservedTrend& model, Filter& filter) {
  ExactKalman kf{prior(settings).mean, prior(settings).covariance};
  std::mt19937_64 generator(kTrackSeed);
  std::normal_distribution<double> normal;
  const Eigen::LLT<Eigen::MatrixXd> q_root(model.process_noise(kStepS));
  if (q_root.info() != Eigen::Success) {
    throw Error(ErrorCode::NumericalBreakdown,
                "trend model: process noise is not positive definite");
  }
  const Eigen::Vector2d r_sd = model.observation_noise().diagonal().cwiseSqrt();
  Eigen::VectorXd truth = prior(settings).mean;
  TrackErrors errors;
  for (int k = 0; k < kTrackSteps; ++k) {
    Eigen::Vector4d w;
    for (int i = 0; i < 4; ++i) w(i) = normal(generator);
    truth = model.propagate(truth, kStepS) + q_root.matrixL() * w;
    const Eigen::VectorXd z = model.observe(truth);
    twin::estimation::Measurement m;
    // Cardiac output is intermittent: every sixth step measures both channels.
    m.channels = k % 6 == 5 ? std::vector<int>{0, 1} : std::vector<int>{0};
    m.values = Eigen::VectorXd(static_cast<Eigen::Index>(m.channels.size()));
    Eigen::MatrixXd h(m.values.size(), 4);
    Eigen::MatrixXd r = Eigen::MatrixXd::Zero(m.values.size(), m.values.size());
    for (std::size_t i = 0; i < m.channels.size(); ++i) {
      const auto c = m.channels[i];
      const auto row = static_cast<Eigen::Index>(i);
      m.values(row) = z(c) + r_sd(c) * normal(generator);
      h.row(row) = model.observation_matrix().row(c);
      r(row, row) = r_sd(c) * r_sd(c);
    }
    filter.predict(kStepS);
    kf.predict(model, kStepS);
    (void)filter.update(m);
    kf.update(h, r, m.values);
    const GaussianEstimate e = filter.estimate();
    const Eigen::VectorXd sd = kf.covariance.diagonal().cwiseSqrt();
    errors.mean_in_sd.push_back((e.mean - kf.mean).cwiseQuotient(sd).cwiseAbs().maxCoeff());
    errors.covariance_relative.push_back((e.covariance - kf.covariance).cwiseAbs().maxCoeff() /
                                         kf.covariance.cwiseAbs().maxCoeff());
  }
  return errors;
}

// Largest difference between the UKF and the exact filter over the steps.
double ukf_against_kalman(const twin::risk::HypotensionRiskSettings& settings) {
  const LinearlyObservedTrend model(settings.model);
  twin::estimation::UnscentedSettings unscented;
  unscented.gate.probability = 0.0;  // no gating: the exact filter has none
  twin::estimation::UnscentedKalmanFilter ukf(model, prior(settings), unscented);
  const TrackErrors errors = track_against_kalman(settings, model, ukf);
  double worst = 0.0;
  for (double e : errors.mean_in_sd) worst = std::max(worst, e);
  for (double e : errors.covariance_relative) worst = std::max(worst, e);
  return std::isfinite(worst) ? worst : kNotComputed;
}

// Median over the steps of the EnKF's mean difference from the exact filter, in posterior SDs
// (the EnKF's sampling error makes a maximum a poor measure: one unlucky step would fail it).
double enkf_against_kalman(const twin::risk::HypotensionRiskSettings& settings) {
  const LinearlyObservedTrend model(settings.model);
  twin::estimation::EnsembleSettings ensemble;
  ensemble.members = settings.ensemble_size;
  ensemble.seed = settings.ensemble_seed;
  ensemble.gate.probability = 0.0;
  twin::estimation::EnsembleKalmanFilter enkf(model, prior(settings), ensemble);
  TrackErrors errors = track_against_kalman(settings, model, enkf);
  auto& v = errors.mean_in_sd;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  const double median = v[v.size() / 2];
  return std::isfinite(median) ? median : kNotComputed;
}

}  // namespace

CaseResult ukf_equals_kalman_case(const twin::risk::HypotensionRiskSettings& settings) {
  CaseResult c{
      .id = "twin.risk.ukf_equals_kalman",
      .source =
          "Kalman filter on the model's trend dynamics with a linear observation of the "
          "log-state; the unscented transform is exact for linear maps (Julier & Uhlmann "
          "2004, doi:10.1109/JPROC.2003.823141)",
      .quantity = fmt::format("mean (in posterior SDs) and covariance (relative to its largest "
                              "entry) after each of {} predict/update steps of {} s",
                              kTrackSteps, kStepS),
      .norm = "max over steps and components",
      .observed = kNotComputed,
      .lower = 0.0,
      .upper = 1e-8,
      .tolerance_reason =
          "both filters are exact; the difference is rounding, ~1e-16 times the "
          "condition number of P (up to ~1e7 here: rates are ~1e-4 per s, levels "
          "~1)",
  };
  try {
    c.observed = ukf_against_kalman(settings);
  } catch (const Error& e) {
    c.quantity += fmt::format(" (not computed: {})", e.what());
  }
  return c;
}

CaseResult enkf_near_kalman_case(const twin::risk::HypotensionRiskSettings& settings) {
  const double members = static_cast<double>(settings.ensemble_size);
  CaseResult c{
      .id = "twin.risk.enkf_near_kalman",
      .source =
          "Kalman filter on the model's trend dynamics with a linear observation of the "
          "log-state; the stochastic EnKF converges to it as the ensemble grows, with a "
          "sampling error of the mean of about sd/sqrt(N) per component (Evensen 2009)",
      .quantity = fmt::format("mean (in exact posterior SDs, max over the 4 components) after "
                              "each of {} predict/update steps of {} s, {} members, seed {}",
                              kTrackSteps, kStepS, settings.ensemble_size, settings.ensemble_seed),
      .norm = "median over steps",
      .observed = kNotComputed,
      .lower = 0.0,
      .upper = 4.0 / std::sqrt(members),
      .tolerance_reason =
          "the max of 4 components' |error|, each ~ N(0, 1/N) in SDs, has a median near "
          "1.5/sqrt(N); 4/sqrt(N) allows for the perturbed-observation noise and the "
          "correlation of errors over steps",
  };
  try {
    c.observed = enkf_against_kalman(settings);
  } catch (const Error& e) {
    c.quantity += fmt::format(" (not computed: {})", e.what());
  }
  return c;
}

std::vector<CaseResult> forecast_coverage_cases(
    const twin::risk::HypotensionRiskSettings& settings) {
  twin::cohort::CohortSettings cohort_settings;
  cohort_settings.patients = 24;
  cohort_settings.duration = std::chrono::hours(6);
  cohort_settings.seed = 20261124;
  HypotensionEvaluationSettings evaluation;
  evaluation.horizon = std::chrono::minutes(15);
  evaluation.prediction_interval = std::chrono::seconds(60);
  const std::string source = fmt::format(
      "synthetic hypotension cohort (docs/twin.md#synthetic-hypotension-cohort), seed {}, {} "
      "patients x {} h, test half; truth = the generator's noise-free values",
      cohort_settings.seed, cohort_settings.patients, cohort_settings.duration.count() / 3600);
  const std::string reason =
      "nominal 0.90; the bounds of the cohort-scale evaluation (tests/integration/vv), which "
      "allow for model error (the generator is not the twin's model) and for correlated "
      "forecasts within a patient";
  CaseResult map{.id = "twin.risk.forecast_coverage_map",
                 .source = source,
                 .quantity =
                     "share of 90 % MAP forecast intervals, 15 min ahead, containing "
                     "the true MAP",
                 .norm = "coverage",
                 .observed = kNotComputed,
                 .lower = 0.85,
                 .upper = 0.97,
                 .tolerance_reason = reason};
  CaseResult co{.id = "twin.risk.forecast_coverage_co",
                .source = source,
                .quantity =
                    "share of 90 % cardiac output forecast intervals, 15 min ahead, "
                    "containing the true cardiac output",
                .norm = "coverage",
                .observed = kNotComputed,
                .lower = 0.85,
                .upper = 0.99,
                .tolerance_reason = reason};
  try {
    const auto cohort = twin::cohort::generate_hypotension_cohort(cohort_settings);
    const auto coverage = evaluate_forecast_coverage(cohort, settings, evaluation);
    if (coverage.forecasts > 0) {
      map.observed = coverage.mean_arterial_pressure;
      co.observed = coverage.cardiac_output;
    }
  } catch (const Error& e) {
    map.quantity += fmt::format(" (not computed: {})", e.what());
    co.quantity += fmt::format(" (not computed: {})", e.what());
  }
  return {map, co};
}

VerificationRecord verify_hypotension_risk_model(
    const twin::risk::HypotensionRiskSettings& settings, time::Instant now) {
  VerificationRecord record;
  record.model = hypotension_risk_model_identity(settings);
  record.verified_at = now;
  record.cases.push_back(ukf_equals_kalman_case(settings));
  // The filter the twin runs is verified too: under the EnKF, against the same exact filter.
  if (settings.filter == StateFilter::Enkf) record.cases.push_back(enkf_near_kalman_case(settings));
  for (auto& c : forecast_coverage_cases(settings)) record.cases.push_back(std::move(c));
  record.status = status_of(record.cases);
  return record;
}

}  // namespace ptwin::vv::gate
