// SPDX-License-Identifier: Apache-2.0
// `ptwin vv hypotension`: evaluates the live twin's hypotension risk on a synthetic cohort,
// beside current MAP alone, and prints discrimination, calibration, lead time and forecast
// interval coverage (docs/twin.md#hypotension-risk).

#include <chrono>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/vv/hypotension_evaluation.hpp"

namespace ptwin::app {
namespace {

struct HypotensionOptions {
  int patients = 200;
  int hours = 8;
  std::uint64_t seed = 7;
  std::vector<int> horizons_min{5, 15};
  double alarm_threshold = 0.5;
};

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

void run_hypotension(const HypotensionOptions& o) {
  twin::cohort::CohortSettings cohort_settings;
  cohort_settings.patients = o.patients;
  cohort_settings.duration = std::chrono::hours(o.hours);
  cohort_settings.seed = o.seed;
  const auto cohort = twin::cohort::generate_hypotension_cohort(cohort_settings);
  const twin::risk::HypotensionRiskSettings twin_settings;
  const auto twin = vv::hypotension_risk_twin_predictor(twin_settings);
  bool header = false;
  for (const int minutes : o.horizons_min) {
    vv::HypotensionEvaluationSettings settings;
    settings.horizon = std::chrono::minutes(minutes);
    settings.alarm_threshold = o.alarm_threshold;
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
    vv::HypotensionEvaluationSettings coverage_settings = settings;
    coverage_settings.prediction_interval = std::chrono::seconds(60);
    const auto c = vv::evaluate_forecast_coverage(cohort, twin_settings, coverage_settings);
    fmt::print("{:<8} {:<18} nominal 90 % intervals cover the truth: MAP {:.3f}, CO {:.3f} ({} "
               "forecasts)\n\n",
               h, "forecast", c.mean_arterial_pressure, c.cardiac_output, c.forecasts);
  }
  fmt::print("slope: calibration slope (1 = calibrated); CITL: observed rate - mean prediction; "
             "sens, lead: events alarmed at risk >= {} and their median lead time.\n"
             "Intervals treat predictions as independent; predictions of one patient are "
             "correlated, so they are narrower than a patient-level bootstrap would give.\n",
             o.alarm_threshold);
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
      "beside current MAP alone: AUROC with DeLong intervals and paired test, calibration, lead "
      "time, and the coverage of its MAP and CO forecast intervals. Takes seconds.");
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
  hypotension->add_option("--alarm-threshold", options->alarm_threshold,
                          "Risk at which an alarm counts for sensitivity and lead time")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  return {hypotension, [options] { run_hypotension(*options); }};
}

}  // namespace ptwin::app
