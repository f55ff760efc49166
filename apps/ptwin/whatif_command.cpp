// SPDX-License-Identifier: Apache-2.0
// `ptwin whatif`: replays one synthetic patient through the live hypotension-risk twin up to a
// chosen instant, then prints the MAP and cardiac-output forecasts with 90 % intervals with and
// without an intervention (norepinephrine infusion, fluid bolus), and the hypotension risk of
// both (docs/twin.md#what-if-forecast).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/physics/pkpd/norepinephrine.hpp"
#include "ptwin/twin/cohort/hypotension_cohort.hpp"
#include "ptwin/twin/risk/what_if_forecast.hpp"
#include "ptwin/vv/metrics/event_intervals.hpp"

namespace ptwin::app {
namespace {

namespace pkpd = physics::pkpd;
using twin::risk::ForecastQuantiles;

struct WhatIfOptions {
  std::uint64_t seed = 7;
  int patient = 1;
  int hours = 8;
  double at_min = -1.0;  // < 0: 5 min before the patient's first hypotension event
  double norepinephrine_ug_kg_min = 0.1;
  double weight_kg = 70.0;
  double fluid_ml = 500.0;
  double fluid_over_min = 15.0;
  int horizon_min = 15;
  int every_min = 5;
};

constexpr double kLitresPerMinute = 1e-3 / 60.0;

std::string pressure(const ForecastQuantiles& q) {
  const double k = units::kPaPerMmHg;
  return fmt::format("{:5.1f} [{:5.1f}, {:5.1f}]", q.p50 / k, q.p05 / k, q.p95 / k);
}

std::string flow(const ForecastQuantiles& q) {
  return fmt::format("{:4.2f} [{:4.2f}, {:4.2f}]", q.p50 / kLitresPerMinute, q.p05 / kLitresPerMinute,
                     q.p95 / kLitresPerMinute);
}

// The sample index at which the forecast is made.
std::size_t forecast_index(const twin::cohort::SyntheticPatient& patient, double at_min) {
  const auto& samples = patient.samples;
  time::Instant at = samples.front().time + std::chrono::minutes(120);
  if (at_min >= 0.0) {
    at = samples.front().time + std::chrono::seconds(static_cast<long>(at_min * 60.0));
  } else {
    std::vector<vv::TimedValue> map;
    for (const auto& s : samples) map.push_back({s.time, s.mean_arterial_pressure_pa});
    const auto events = vv::find_sustained_runs_below(map, vv::hypotension_event_definition());
    if (!events.empty()) at = events.front().onset - std::chrono::minutes(5);
  }
  std::size_t index = 0;
  while (index + 1 < samples.size() && samples[index + 1].time <= at) ++index;
  return index;
}

twin::risk::HaemodynamicIntervention intervention_of(const WhatIfOptions& o) {
  twin::risk::HaemodynamicIntervention intervention;
  if (o.norepinephrine_ug_kg_min > 0.0) {
    pkpd::DosingSchedule schedule;
    schedule.set_infusion_rate(units::Duration::from_si(0.0),
                               pkpd::weight_based_infusion_rate(o.norepinephrine_ug_kg_min,
                                                                "ug/kg/min", o.weight_kg * pkpd::kg,
                                                                "--norepinephrine"));
    intervention.drugs.push_back({pkpd::norepinephrine_on_systemic_resistance(), schedule});
  }
  if (o.fluid_ml > 0.0) {
    intervention.fluids.push_back(pkpd::fluid_bolus(o.fluid_ml, "mL", units::Duration::from_si(0.0),
                                                    o.fluid_over_min * units::min, "--fluid"));
  }
  return intervention;
}

void run_whatif(const WhatIfOptions& o) {
  twin::cohort::CohortSettings cohort_settings;
  cohort_settings.patients = o.patient + 1;
  cohort_settings.duration = std::chrono::hours(o.hours);
  cohort_settings.seed = o.seed;
  const auto patient = std::move(twin::cohort::generate_hypotension_cohort(cohort_settings).back());
  const std::size_t now = forecast_index(patient, o.at_min);
  const auto& first = patient.samples.front();
  twin::risk::HypotensionRiskTwin twin({}, first.time, first.mean_arterial_pressure_pa);
  std::size_t next_co = 0;
  for (std::size_t i = 0; i <= now; ++i) {
    const auto& sample = patient.samples[i];
    for (; next_co < patient.cardiac_output.size() && patient.cardiac_output[next_co].time <= sample.time; ++next_co) {
      (void)twin.assimilate_cardiac_output(patient.cardiac_output[next_co].time,
                                           patient.cardiac_output[next_co].cardiac_output_m3_per_s);
    }
    if (i > 0) (void)twin.assimilate_mean_arterial_pressure(sample.time, sample.mean_arterial_pressure_pa);
  }
  std::vector<std::chrono::seconds> leads;
  for (int m = o.every_min; m <= o.horizon_min; m += o.every_min) leads.emplace_back(std::chrono::minutes(m));
  const auto intervention = intervention_of(o);
  const auto f = twin::risk::forecast_what_if(twin, intervention, std::chrono::minutes(o.horizon_min), leads);

  const double minutes_in = std::chrono::duration<double>(patient.samples[now].time - first.time).count() / 60.0;
  fmt::print("patient {} (cohort seed {}) at {}, {:.0f} min into the record; last measured MAP "
             "{:.1f} mmHg\n",
             patient.id, o.seed, time::format_iso8601(patient.samples[now].time), minutes_in,
             patient.samples[now].mean_arterial_pressure_pa / units::kPaPerMmHg);
  fmt::print("intervention from now: ");
  if (intervention.drugs.empty() && intervention.fluids.empty()) fmt::print("none");
  if (!intervention.drugs.empty()) {
    fmt::print("norepinephrine {} ug/kg/min for {} kg, continuous (illustrative PK/PD, "
               "docs/pkpd.md){}",
               o.norepinephrine_ug_kg_min, o.weight_kg, intervention.fluids.empty() ? "" : "; ");
  }
  if (!intervention.fluids.empty()) fmt::print("fluid {} mL over {} min", o.fluid_ml, o.fluid_over_min);
  fmt::print("\nmethod: the posterior propagated exactly in log space (Gaussian); median [90 % "
             "interval]\n\n");
  fmt::print("{:<7} {:<22} {:<22} {:<20} {:<20} {:>6} {:>6} {:>8}\n", "lead", "MAP without (mmHg)",
             "MAP with (mmHg)", "CO without (L/min)", "CO with (L/min)", "SVR x", "CO x",
             "true MAP");
  for (std::size_t l = 0; l < leads.size(); ++l) {
    const auto& plain = f.without_intervention.points[l];
    const auto& treated = f.with_intervention.points[l];
    const std::size_t later = now + static_cast<std::size_t>(leads[l] / cohort_settings.sample_interval);
    const std::string truth =
        later < patient.samples.size()
            ? fmt::format("{:.1f}", patient.samples[later].true_mean_arterial_pressure_pa / units::kPaPerMmHg)
            : "-";
    fmt::print("{:<7} {:<22} {:<22} {:<20} {:<20} {:>6.2f} {:>6.2f} {:>8}\n",
               fmt::format("{} min", leads[l].count() / 60), pressure(plain.mean_arterial_pressure_pa),
               pressure(treated.mean_arterial_pressure_pa), flow(plain.cardiac_output_m3_per_s),
               flow(treated.cardiac_output_m3_per_s), treated.resistance_multiplier,
               treated.cardiac_output_multiplier, truth);
  }
  fmt::print("\nP(MAP < 65 mmHg for >= 1 min within {} min): without {:.3f}, with {:.3f}\n",
             o.horizon_min, f.without_intervention.probability, f.with_intervention.probability);
  fmt::print("SVR x, CO x: nominal multipliers of the intervention; true MAP: the synthetic "
             "generator's, without any intervention.\n");
}

}  // namespace

Command register_whatif(CLI::App& app) {
  auto options = std::make_shared<WhatIfOptions>();
  auto* command = app.add_subcommand(
      "whatif",
      "Forecast MAP and cardiac output with 90 % intervals for one synthetic patient, with and "
      "without a norepinephrine infusion and/or a fluid bolus, from the live twin's posterior.");
  command->add_option("--seed", options->seed, "Cohort seed")->capture_default_str();
  command->add_option("--patient", options->patient, "Patient index in the cohort")
      ->check(CLI::Range(0, 99999))
      ->capture_default_str();
  command->add_option("--hours", options->hours, "Record length, hours")
      ->check(CLI::Range(1, 72))
      ->capture_default_str();
  command->add_option("--at", options->at_min,
                      "Minutes into the record at which to forecast (default: 5 min before the "
                      "patient's first hypotension event, else 120)")
      ->check(CLI::Range(0.0, 72.0 * 60.0));
  command->add_option("--norepinephrine", options->norepinephrine_ug_kg_min,
                      "Norepinephrine infusion from now, ug/kg/min (0: none)")
      ->check(CLI::Range(0.0, 5.0))
      ->capture_default_str();
  command->add_option("--weight", options->weight_kg, "Body mass, kg")
      ->check(CLI::Range(1.0, 400.0))
      ->capture_default_str();
  command->add_option("--fluid", options->fluid_ml, "Fluid bolus from now, mL (0: none)")
      ->check(CLI::Range(0.0, 5000.0))
      ->capture_default_str();
  command->add_option("--fluid-over", options->fluid_over_min, "Bolus duration, minutes")
      ->check(CLI::Range(0.1, 240.0))
      ->capture_default_str();
  command->add_option("--horizon", options->horizon_min, "Forecast horizon, minutes")
      ->check(CLI::Range(1, 120))
      ->capture_default_str();
  command->add_option("--every", options->every_min, "Table row every this many minutes")
      ->check(CLI::Range(1, 120))
      ->capture_default_str();
  return {command, [options] { run_whatif(*options); }};
}

}  // namespace ptwin::app
