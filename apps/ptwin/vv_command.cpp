// SPDX-License-Identifier: Apache-2.0
// `ptwin vv hypotension`: evaluates the live twin's hypotension risk on a synthetic cohort,
// beside current MAP alone, and prints discrimination (with DeLong and patient-level bootstrap
// intervals), calibration before and after recalibration fitted on the training patients, lead
// time and forecast interval coverage (docs/twin.md#hypotension-risk). With
// --write-recalibration the fitted maps are written as a recalibration file for twin.yaml's
// twin.recalibration (docs/twin.md#recalibration-files).

#include <chrono>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "ptwin/core/assert.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/twin_config.hpp"
#include "ptwin/vv/gate/model_identity.hpp"
#include "ptwin/vv/gate/recalibration_file.hpp"
#include "ptwin/vv/hypotension_evaluation.hpp"
#include "risk_model_settings.hpp"

namespace ptwin::app {
namespace {

struct HypotensionOptions {
  int patients = 200;
  int hours = 8;
  std::uint64_t seed = 7;
  std::vector<int> horizons_min{5, 15};
  double alarm_threshold = 0.5;
  int bootstrap_resamples = 1000;
  std::uint64_t bootstrap_seed = 20261125;
  std::string twin_file;            // empty: the default model
  std::string write_recalibration;  // empty: no file
  std::string recalibration_method = "platt";
};

const twin::risk::RiskRecalibration& chosen_map(const vv::RecalibrationEvaluation& r,
                                                const std::string& method) {
  return method == "isotonic" ? r.isotonic : r.platt;
}

std::string lead(const vv::LeadTimeReport& r) {
  if (!r.median_lead_time) return "-";
  return fmt::format("{:.0f} s", std::chrono::duration<double>(*r.median_lead_time).count());
}

void print_row(const std::string& horizon, const vv::PredictorEvaluation& e) {
  fmt::print("{:<8} {:<18} {:.3f} [{:.3f}, {:.3f}]  {:.4f}  {:>5.2f}  {:>6.3f}  {:>5.2f}  {:>8}\n",
             horizon, e.name, e.auroc.area, e.auroc.lower_95, e.auroc.upper_95,
             e.calibration.brier_score, e.calibration.calibration_slope,
             e.calibration.calibration_in_the_large, e.lead_time.sensitivity, lead(e.lead_time));
}

void print_bootstrap(const std::string& horizon, const vv::ClusterBootstrapAuroc& b) {
  fmt::print("{:<8} {:<18} twin {:.3f} [{:.3f}, {:.3f}]  baseline {:.3f} [{:.3f}, {:.3f}]  "
             "difference {:+.3f} [{:+.3f}, {:+.3f}]\n",
             horizon, "patient bootstrap", b.first.estimate, b.first.lower, b.first.upper,
             b.second.estimate, b.second.lower, b.second.upper, b.difference.estimate,
             b.difference.lower, b.difference.upper);
  fmt::print("{:<8} {:<18} ({:.0f} % percentile intervals, {} patients resampled with "
             "replacement, {} resamples, seed {}{})\n",
             "", "", 100 * b.level, b.clusters, b.resamples, b.seed,
             b.redraws > 0 ? fmt::format(", {} redrawn for a missing class", b.redraws) : "");
}

void print_calibration_row(const std::string& horizon, const std::string& name,
                           const vv::CalibrationReport& c) {
  fmt::print("{:<8} {:<24} slope {:>5.2f}  intercept {:>+6.2f}  Brier {:.4f}  ECE {:.4f}\n",
             horizon, name, c.calibration_slope, c.calibration_intercept, c.brier_score,
             c.expected_calibration_error);
}

void print_recalibration(const std::string& horizon, const vv::RecalibrationEvaluation& r) {
  fmt::print("{:<8} {:<18} fitted on {} training patients ({} predictions, {} positive), "
             "judged on the test patients:\n",
             horizon, "recalibration", r.calibration_patients, r.calibration_cases,
             r.calibration_events);
  print_calibration_row(horizon, "  raw twin risk", r.before);
  print_calibration_row(horizon, fmt::format("  platt a={:+.2f} b={:.2f}", r.platt.platt_intercept,
                                             r.platt.platt_slope),
                        r.after_platt);
  print_calibration_row(horizon,
                        fmt::format("  isotonic ({} knots)", r.isotonic.isotonic_knots.size()),
                        r.after_isotonic);
}

void run_hypotension(const HypotensionOptions& o) {
  twin::cohort::CohortSettings cohort_settings;
  cohort_settings.patients = o.patients;
  cohort_settings.duration = std::chrono::hours(o.hours);
  cohort_settings.seed = o.seed;
  const auto cohort = twin::cohort::generate_hypotension_cohort(cohort_settings);
  // The maps are fitted on the raw risk of the model that will apply them: the twin's filter.
  const twin::risk::HypotensionRiskSettings twin_settings =
      o.twin_file.empty() ? twin::risk::HypotensionRiskSettings{}
                          : uncalibrated_risk_model_settings(load_twin_config(o.twin_file).twin);
  const auto twin = vv::hypotension_risk_twin_predictor(twin_settings);
  time::SystemClock clock;
  vv::gate::RecalibrationFile file{
      .model = vv::gate::hypotension_risk_model_identity(twin_settings),
      .fitted_at = clock.now(),
      .fitted_on = {.cohort = "ptwin synthetic hypotension cohort "
                              "(docs/twin.md#synthetic-hypotension-cohort)",
                    .cohort_seed = o.seed,
                    .patients = o.patients,
                    .hours = o.hours,
                    .training_patients = 0},
      .horizons = {}};
  twin::risk::HypotensionRiskSettings recalibrated = twin_settings;
  bool header = false;
  for (const int minutes : o.horizons_min) {
    vv::HypotensionEvaluationSettings settings;
    settings.horizon = std::chrono::minutes(minutes);
    settings.alarm_threshold = o.alarm_threshold;
    settings.bootstrap.resamples = o.bootstrap_resamples;
    settings.bootstrap.seed = o.bootstrap_seed;
    const auto e = vv::evaluate_hypotension_prediction(cohort, "twin", twin, settings);
    if (!header) {
      fmt::print("cohort: {} patients x {} h, seed {}; evaluated on {} test patients ({:.0f} "
                 "patient-hours, {} hypotension events: MAP < 65 mmHg for >= 1 min)\n\n",
                 o.patients, o.hours, o.seed, e.test_patients, e.test_patient_hours, e.events);
      fmt::print("{:<8} {:<18} {:<22}  {:<6}  {:>5}  {:>6}  {:>5}  {:>8}\n", "horizon", "predictor",
                 "AUROC [95% CI]", "Brier", "slope", "CITL", "sens", "lead");
      header = true;
    }
    const std::string h = fmt::format("{} min", minutes);
    print_row(h, e.predictor);
    print_row(h, e.baseline);
    const auto& d = e.predictor_minus_baseline;
    fmt::print("{:<8} {:<18} {:+.3f} [{:+.3f}, {:+.3f}]  DeLong paired p = {:.2g}  ({} positive, "
               "{} negative, {} excluded predictions)\n",
               h, "difference", d.difference, d.lower_95, d.upper_95, d.p_value,
               e.positive_predictions, e.negative_predictions, e.excluded_predictions);
    print_bootstrap(h, e.patient_bootstrap);
    if (e.recalibration) {
      print_recalibration(h, *e.recalibration);
      const auto& map = chosen_map(*e.recalibration, o.recalibration_method);
      recalibrated.recalibrations.push_back({settings.horizon, map});
      file.fitted_on.training_patients = static_cast<int>(e.recalibration->calibration_patients);
      file.horizons.push_back({.recalibration = {settings.horizon, map},
                               .cases = static_cast<int>(e.recalibration->calibration_cases),
                               .events = static_cast<int>(e.recalibration->calibration_events)});
    }
    vv::HypotensionEvaluationSettings coverage_settings = settings;
    coverage_settings.prediction_interval = std::chrono::seconds(60);
    const auto c = vv::evaluate_forecast_coverage(cohort, twin_settings, coverage_settings);
    fmt::print("{:<8} {:<18} nominal 90 % intervals cover the truth: MAP {:.3f}, CO {:.3f} ({} "
               "forecasts)\n\n",
               h, "forecast", c.mean_arterial_pressure, c.cardiac_output, c.forecasts);
  }
  fmt::print("slope: calibration slope (1 = calibrated); CITL: observed rate - mean prediction; "
             "sens, lead: events alarmed at risk >= {} and their median lead time.\n"
             "AUROC [95% CI] and the DeLong difference treat predictions as independent; "
             "predictions of one patient are correlated, so the patient bootstrap's intervals "
             "are the ones to quote.\n"
             "ECE: expected calibration error over 10 equal-width bins.\n",
             o.alarm_threshold);
  // The maps are model settings: a twin that uses them is a different model to the V&V gate.
  fmt::print("model settings digest: as run {}; with the {} maps above {}\n",
             vv::gate::hypotension_risk_model_identity(twin_settings).settings_digest.substr(0, 16),
             o.recalibration_method,
             vv::gate::hypotension_risk_model_identity(recalibrated).settings_digest.substr(0, 16));
  if (!o.write_recalibration.empty()) {
    PTWIN_ASSERT(!file.horizons.empty(), "the evaluation fits maps for every horizon");
    vv::gate::write_recalibration_file(file, o.write_recalibration);
    const auto maps = vv::gate::recalibration_digest(recalibrated.recalibrations).value_or("");
    fmt::print("recalibration ({} maps {}) written to {}: name it in twin.yaml as "
               "twin.recalibration\n",
               o.recalibration_method, maps.substr(0, 16), o.write_recalibration);
  }
}

}  // namespace

Command register_vv(CLI::App& app) {
  auto* vv = app.add_subcommand(
      "vv", "Validation of the twin's outputs on synthetic cohorts with stated generation rules.");
  vv->require_subcommand(1);
  auto options = std::make_shared<HypotensionOptions>();
  auto* hypotension = vv->add_subcommand(
      "hypotension",
      "Evaluate the live twin's hypotension risk (MAP < 65 mmHg for >= 1 min within the horizon) "
      "beside current MAP alone: AUROC with DeLong and patient-level bootstrap intervals and the "
      "paired difference, calibration before and after platt/isotonic recalibration fitted on "
      "the training patients, lead time, and the coverage of its MAP and CO forecast intervals. "
      "Takes about a minute.");
  hypotension->add_option("--patients", options->patients, "Cohort size (half fit the baseline, half are tested)")
      ->check(CLI::Range(2, 100000))
      ->capture_default_str();
  hypotension->add_option("--hours", options->hours, "Monitoring per patient, hours")
      ->check(CLI::Range(1, 72))
      ->capture_default_str();
  hypotension->add_option("--seed", options->seed, "Cohort seed (7 is held out from tuning)")
      ->capture_default_str();
  hypotension->add_option("--horizons", options->horizons_min, "Forecast horizons, minutes")
      ->check(CLI::Range(1, 120))
      ->capture_default_str();
  hypotension->add_option("--bootstrap-resamples", options->bootstrap_resamples,
                          "Patient-level bootstrap resamples for the AUROC intervals")
      ->check(CLI::Range(100, 100000))
      ->capture_default_str();
  hypotension->add_option("--bootstrap-seed", options->bootstrap_seed, "Bootstrap seed")
      ->capture_default_str();
  hypotension->add_option("--alarm-threshold", options->alarm_threshold,
                          "Risk at which an alarm counts for sensitivity and lead time")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  hypotension->add_option("--twin", options->twin_file,
                          "evaluate the model this twin declaration serves (its twin.filter; "
                          "its twin.recalibration is not applied); default: the default model")
      ->check(CLI::ExistingFile);
  hypotension->add_option("--write-recalibration", options->write_recalibration,
                          "write the maps fitted on the training patients to this file "
                          "(ptwin.risk-recalibration/1), for twin.yaml's twin.recalibration");
  hypotension->add_option("--recalibration-method", options->recalibration_method,
                          "which fitted map to write (and digest)")
      ->check(CLI::IsMember({"platt", "isotonic"}))
      ->capture_default_str();
  return {hypotension, [options] { run_hypotension(*options); }};
}

}  // namespace ptwin::app
