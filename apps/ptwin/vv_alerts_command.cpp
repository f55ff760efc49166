// SPDX-License-Identifier: Apache-2.0
// `ptwin vv alerts`: the anti-fatigue alert policy on the live twin's hypotension risk against
// the naive rule on the monitor's MAP, on the synthetic cohort: alerts per patient-day,
// sensitivity and median lead time of both, and their ratio at equal sensitivity
// (docs/clinical.md#alerts-on-the-twin-cohort).

#include <chrono>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "ptwin/clinical/alerts/hypotension_alert_study.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin::app {
namespace {

namespace alerts = clinical::alerts;

struct AlertOptions {
  int patients = 200;
  int hours = 8;
  std::uint64_t seed = 7;
  int risk_horizon_min = 10;
  int lead_window_min = 15;
  bool has_map_backstop = false;
};

std::string lead(const alerts::AlertEvaluation& e) {
  if (!e.median_lead_time) return "-";
  return fmt::format("{:.0f} s", std::chrono::duration<double>(*e.median_lead_time).count());
}

void print_row(const std::string& name, const alerts::AlertEvaluation& e) {
  fmt::print("{:<44} {:>6} {:>9.2f} {:>5}/{:<5} {:>6.3f} {:>8}\n", name, e.alerts,
             e.alerts_per_patient_day, e.detected_events, e.events, e.sensitivity, lead(e));
}

void run_alerts(const AlertOptions& o) {
  twin::cohort::CohortSettings cohort_settings;
  cohort_settings.patients = o.patients;
  cohort_settings.duration = std::chrono::hours(o.hours);
  cohort_settings.seed = o.seed;
  const auto cohort = twin::cohort::generate_hypotension_cohort(cohort_settings);
  alerts::HypotensionAlertStudySettings settings;
  settings.records.risk_horizon = std::chrono::minutes(o.risk_horizon_min);
  settings.lead_window = std::chrono::minutes(o.lead_window_min);
  settings.candidates.try_map_backstop = o.has_map_backstop;
  const auto study = alerts::run_hypotension_alert_study(cohort, settings);
  const auto& rule = study.rules.front();
  fmt::print("cohort: {} patients x {} h, seed {}; rule chosen on {} training patients, figures "
             "on {} test patients ({:.1f} patient-days)\n",
             o.patients, o.hours, o.seed, study.training_patients, study.test_patients,
             study.test.policy.patient_days);
  fmt::print("event: MAP < 65 mmHg for >= 60 s; detected: an alert in [onset - {} min, onset]; "
             "lead: onset - earliest such alert\n",
             o.lead_window_min);
  fmt::print("policy: twin risk ({} min horizon, every {} s) raise >= {:.2f}, clear <= {:.2f}, "
             "minimum {} s",
             o.risk_horizon_min, settings.records.risk_interval.count(), rule.raise_threshold,
             rule.clear_threshold,
             std::chrono::duration_cast<std::chrono::seconds>(rule.minimum_duration).count());
  for (std::size_t i = 1; i < study.rules.size(); ++i) {
    fmt::print("; with MAP backstop: raise <= {:.0f} mmHg, clear >= {:.0f} mmHg",
               study.rules[i].raise_threshold / units::kPaPerMmHg,
               study.rules[i].clear_threshold / units::kPaPerMmHg);
  }
  fmt::print("; one alert per episode and rule\nchosen among {} candidates as the fewest "
             "training alerts with training sensitivity >= {:.3f} ({})\n",
             study.candidates_tried, study.target_sensitivity,
             study.is_target_reached ? "reached" : "not reached: the most sensitive was taken");
  fmt::print("training patients: policy {} alerts, sensitivity {:.3f}; naive at the reference "
             "{} alerts, sensitivity {:.3f}\n\n",
             study.training_policy.alerts, study.training_policy.sensitivity,
             study.training_naive_reference.alerts, study.training_naive_reference.sensitivity);
  fmt::print("{:<44} {:>6} {:>9} {:>11} {:>6} {:>8}\n", "test patients", "alerts", "per p-day",
             "detected", "sens", "lead");
  print_row(study.rules.size() > 1 ? "policy: twin risk + MAP backstop" : "policy: twin risk",
            study.test.policy);
  print_row(fmt::format("naive: MAP <= {:.0f} mmHg", settings.naive_reference_threshold_pa /
                                                         units::kPaPerMmHg),
            study.test_naive_reference);
  if (study.test.is_matched) {
    print_row(fmt::format("naive at equal sensitivity: MAP <= {:.1f} mmHg",
                          study.test.naive_threshold / units::kPaPerMmHg),
              study.test.naive);
    fmt::print("\nalert ratio at equal sensitivity (policy / naive): {:.3f}; goal <= 0.5: {}\n",
               study.test.alert_ratio, study.test.alert_ratio <= 0.5 ? "met" : "NOT met");
  } else {
    fmt::print("\nno naive threshold (55-75 mmHg) reached the policy's sensitivity: no ratio\n");
  }
  if (study.test_naive_reference.alerts > 0) {
    fmt::print("alert ratio against the naive rule at 65 mmHg: {:.3f}\n",
               static_cast<double>(study.test.policy.alerts) /
                   static_cast<double>(study.test_naive_reference.alerts));
  }
  fmt::print("policy alerts by rule:");
  for (const auto& [name, count] : study.test.policy.alerts_by_rule) fmt::print(" {} {}", name, count);
  fmt::print("\nescalations (nobody acknowledges in this replay): policy {}\n",
             study.test.policy.escalations);
}

}  // namespace

Command register_vv_alerts(CLI::App& app) {
  CLI::App* vv = app.get_subcommand("vv");
  auto options = std::make_shared<AlertOptions>();
  auto* command = vv->add_subcommand(
      "alerts",
      "Evaluate the anti-fatigue alert policy on the live twin's hypotension risk against the "
      "naive MAP threshold rule on the synthetic cohort: alerts per patient-day, sensitivity, "
      "median lead time and the alert ratio at equal sensitivity (rule chosen on even patients, "
      "figures on odd ones).");
  command->add_option("--patients", options->patients, "Cohort size (half choose the rule, half are tested)")
      ->check(CLI::Range(2, 100000))
      ->capture_default_str();
  command->add_option("--hours", options->hours, "Monitoring per patient, hours")
      ->check(CLI::Range(1, 72))
      ->capture_default_str();
  command->add_option("--seed", options->seed, "Cohort seed")->capture_default_str();
  command->add_option("--risk-horizon", options->risk_horizon_min, "Horizon of the twin's risk, minutes")
      ->check(CLI::Range(1, 60))
      ->capture_default_str();
  command->add_option("--lead-window", options->lead_window_min,
                      "An alert at most this many minutes before the onset counts as a warning")
      ->check(CLI::Range(1, 120))
      ->capture_default_str();
  command->add_flag("--map-backstop", options->has_map_backstop,
                    "Also try each risk rule with a backstop rule on MAP itself (raise at 65 "
                    "mmHg, clear at 70 mmHg)");
  return {command, [options] { run_alerts(*options); }};
}

}  // namespace ptwin::app
