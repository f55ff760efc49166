// SPDX-License-Identifier: Apache-2.0
// `ptwin demo`: the whole first capability on embedded defaults. Loads the shipped synthetic
// patient (FHIR R5 bundle) named by twin.yaml, stores it in SQLite (bad entries quarantined),
// personalises the closed-loop 0D model to the vital signs, stores the run, prints a summary
// table and writes CSV results and a self-contained HTML report. No server is needed.

#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "commands.hpp"
#include "demo_report.hpp"
#include "progress_bar.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/core/digest.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/twin_config.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"
#include "ptwin/physics/zerod/model_builder.hpp"
#include "ptwin/physics/zerod/result_writer.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "ptwin/twin/personalisation.hpp"

namespace ptwin::app {
namespace zerod = physics::zerod;
namespace loinc = ingest::fhir::loinc;

namespace {

struct DemoOptions {
  std::string twin_path = PTWIN_DATA_DIR "/demo/twin.yaml";
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::Io, fmt::format("cannot open '{}'", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Measurement uncertainty (one standard deviation) assumed for each target: AAMI/ISO 81060-2
// allows cuff devices a mean error within 5 mmHg; thermodilution cardiac output repeats within
// ~10 %; echo ejection fraction within ~5 percentage points (Lang et al. 2015).
struct TargetRule {
  std::string_view target;
  std::string_view loinc;
  double uncertainty_si;
};
const std::vector<TargetRule>& target_rules() {
  static const std::vector<TargetRule> rules{
      {"systolic_pressure", loinc::kSystolicPressure, 5.0 * units::kPaPerMmHg},
      {"diastolic_pressure", loinc::kDiastolicPressure, 5.0 * units::kPaPerMmHg},
      {"cardiac_output", loinc::kCardiacOutput, 0.5e-3 / 60.0},
      {"ejection_fraction", loinc::kEjectionFraction, 0.05},
  };
  return rules;
}

// The latest sample of each code.
std::map<std::string, Sample> latest_by_code(const std::vector<Sample>& samples) {
  std::map<std::string, Sample> latest;
  for (const auto& s : samples) {
    auto [it, inserted] = latest.emplace(s.code, s);
    if (!inserted && s.time > it->second.time) it->second = s;
  }
  return latest;
}

void run_demo(const DemoOptions& options) {
  const time::SystemClock clock;
  const auto config = load_twin_config(options.twin_path);
  fmt::print("ptwin demo: twin '{}' from {}\n", config.twin.id, options.twin_path);
  if (!config.personalisation.is_enabled) {
    // The demo exists to show a personalised twin; a twin.yaml that switches it off belongs to
    // `ptwin simulate` (the model as written) instead.
    throw InputError(ErrorCode::BadInput, options.twin_path + ": personalisation.enabled", "false",
                     "ptwin demo personalises the model; set it to true, or run the model as "
                     "written with `ptwin simulate`");
  }

  // Zone 1: the patient's data, validated at the adapter; bad entries are quarantined.
  const auto bundle_text = read_file(config.patient.fhir_bundle);
  const auto bundle = ingest::fhir::read_patient_bundle(bundle_text, config.patient.fhir_bundle.filename().string());
  std::filesystem::create_directories(config.store.path.parent_path());
  store::SqliteStore db(config.store.path);
  db.upsert_patient({bundle.patient_id, bundle.patient.dump(), clock.now()});
  db.append_samples(bundle.samples);
  for (const auto& rejected : bundle.rejected) {
    (void)db.quarantine({rejected.source, rejected.reason, rejected.raw, clock.now()});
  }
  fmt::print("  patient {}: {} samples stored, {} entries quarantined\n", bundle.patient_id,
             bundle.samples.size(), bundle.rejected.size());

  const auto latest = latest_by_code(bundle.samples);
  const auto heart_rate = latest.find(std::string(loinc::kHeartRate));
  if (heart_rate == latest.end()) {
    throw InputError(ErrorCode::MissingField, config.patient.fhir_bundle.string(),
                     "heart rate (LOINC 8867-4)", "the personalisation needs a heart rate");
  }
  std::vector<twin::PersonalisationTarget> targets;
  for (const auto wanted : config.personalisation.targets) {
    const auto name = to_string(wanted);
    if (name == "heart_rate") continue;
    for (const auto& rule : target_rules()) {
      if (rule.target != name) continue;
      const auto sample = latest.find(std::string(rule.loinc));
      if (sample == latest.end()) {
        throw InputError(ErrorCode::MissingField, config.patient.fhir_bundle.string(),
                         fmt::format("{} (LOINC {})", name, rule.loinc),
                         "is a target in twin.yaml but the bundle has no such observation");
      }
      targets.push_back({std::string(name), sample->second.value_si, rule.uncertainty_si});
    }
  }

  // Zone 2: personalise the model.
  const auto model_text = read_file(config.model.file);
  const auto model_json = zerod::read_json_file(config.model.file);
  twin::PersonalisationSettings settings;
  settings.parameters = config.personalisation.parameters;
  settings.heart_rate_hz = heart_rate->second.value_si;
  settings.max_evaluations = config.personalisation.max_evaluations;
  settings.relative_tolerance = config.personalisation.relative_tolerance;
  settings.simulation.steps_per_cycle = config.simulation.steps_per_cycle;
  settings.simulation.max_cycles = config.simulation.max_cycles;
  settings.simulation.steady_state_tolerance = config.simulation.steady_state_tolerance;
  ProgressBar bar("personalising");
  const auto fit = twin::personalise(
      model_json, config.model.file.filename().string(), targets, settings,
      [&](int evaluation, int budget, double cost) {
        bar.update(evaluation, budget, fmt::format("cost {:.3g}", cost));
      });
  bar.finish(fmt::format("{} evaluations in {:.1f} s, cost {:.3g}", fit.evaluations,
                         fit.wall_time_s, fit.cost));

  // Store the run and its results.
  const auto digest = sha256_hex(model_text);
  const auto run_id = db.begin_run({bundle.patient_id, config.twin.id,
                                    model_json.value("name", "zerod"), digest,
                                    fit.fitted_model.dump(), clock.now()});
  for (std::size_t c = 0; c < fit.final_run.channels.size(); ++c) {
    db.append_result_series(run_id, {fit.final_run.channels[c].name, fit.final_run.channels[c].unit,
                                     fit.final_run.times_s, fit.final_run.values[c]});
  }
  const auto& s = fit.summary;
  const nlohmann::json summary = {
      {"map_pa", s.mean_arterial_pressure_pa}, {"co_m3_per_s", s.cardiac_output_m3_per_s},
      {"sv_m3", s.stroke_volume_m3}, {"ef", s.ejection_fraction}, {"cost", fit.cost}};
  db.finish_run(run_id, store::RunOutcome::completed(summary.dump(), clock.now()));

  // Zone 3: what the user reads.
  fmt::print("\n  {:<30} {:>10}  {}\n", "quantity", "value", "unit");
  const auto row = [](std::string_view name, double value, std::string_view unit, int decimals) {
    fmt::print("  {:<30} {:>10.{}f}  {}\n", name, value, decimals, unit);
  };
  row("heart rate", s.heart_rate_hz * 60, "/min", 0);
  row("systolic / diastolic pressure", s.systolic_pressure_pa / units::kPaPerMmHg, "mmHg", 1);
  row("", s.diastolic_pressure_pa / units::kPaPerMmHg, "mmHg", 1);
  row("MAP", s.mean_arterial_pressure_pa / units::kPaPerMmHg, "mmHg", 1);
  row("CO", s.cardiac_output_m3_per_s * 6e4, "L/min", 2);
  row("SV", s.stroke_volume_m3 * 1e6, "mL", 1);
  row("EF", s.ejection_fraction * 100, "%", 1);
  fmt::print("\n  fit residuals (model - measured, in units of measurement uncertainty):\n");
  for (const auto& r : fit.residuals) fmt::print("    {:<22} {:+.2f} sigma\n", r.name, r.normalised());
  for (const auto& p : fit.parameters) {
    fmt::print("    {:<22} x{:.3f}  rel. SE {:.0f} %  {}\n", p.name, p.multiplier,
               100 * p.relative_standard_error, p.is_identifiable ? "identifiable" : "NOT identifiable");
  }

  std::filesystem::create_directories(config.outputs.directory);
  if (config.outputs.writes_csv) {
    zerod::write_csv(fit.final_run, config.outputs.directory / "waveforms.csv", zerod::UnitSystem::Clinical);
  }
  const auto report_path = config.outputs.directory / config.outputs.report_file_name;
  write_demo_report({config.twin.id, model_json.value("name", "zerod"), digest,
                     time::format_iso8601(clock.now()), &fit,
                     twin::Observables::from_model_json(model_json, config.model.file.string())},
                    report_path);
  fmt::print("\n  stored run {} in {}\n  report: {}\n", run_id, config.store.path.string(),
             report_path.string());
}

}  // namespace

Command register_demo(CLI::App& app) {
  auto options = std::make_shared<DemoOptions>();
  auto* sub = app.add_subcommand(
      "demo",
      "Personalise the closed-loop 0D model to the shipped synthetic patient and report.\n"
      "Needs no server: SQLite store, in-process data, files in data/demo.");
  sub->add_option("--twin", options->twin_path, "twin declaration (twin.yaml)")
      ->capture_default_str()
      ->check(CLI::ExistingFile);
  return {sub, [options] { run_demo(*options); }};
}

}  // namespace ptwin::app
