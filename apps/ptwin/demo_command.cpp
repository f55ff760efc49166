// SPDX-License-Identifier: Apache-2.0
// `ptwin demo`: the whole first capability on embedded defaults. Loads the shipped synthetic
// patient (FHIR R5 bundle) named by twin.yaml into an in-process FHIR facade that plays the
// EHR, pulls the patient's context from it with the FHIR client, stores the samples in SQLite
// (bad entries quarantined at either step), personalises the closed-loop 0D model to the vital
// signs, stores the run, prints a summary table and writes CSV results and a self-contained
// HTML report; then replays the patient's recorded monitor stream into the live twin on the web
// dashboard (demo_dashboard.hpp). No server needs to be installed; --ehr pulls the patient from
// a real one.

#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "commands.hpp"
#include "demo_dashboard.hpp"
#include "demo_ehr.hpp"
#include "demo_report.hpp"
#include "progress_bar.hpp"
#include "read_file.hpp"
#include "serve_dashboard.hpp"
#include "stop_signals.hpp"
#include "ptwin/core/clock.hpp"
#include "ptwin/core/digest.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/twin_config.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/fhir/vital_signs_reader.hpp"
#include "ptwin/ingest/recording/mqtt_recording_reader.hpp"
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
  std::string ehr_url;     // empty: the in-process EHR with the shipped bundle
  std::string patient_id;  // with --ehr
  std::string fhir_packages;
  bool is_replay_skipped = false;  // --no-replay: stop after the report
  bool exits_after_replay = false;  // --exit-after-replay
  std::string recording_path = PTWIN_DATA_DIR "/demo/monitor_recording.ndjson";
  double speed = 60.0;
  int dashboard_port = -1;  // --port; -1: twin.yaml's serve.port
  std::filesystem::path dashboard_dir = default_dashboard_dir();
};

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

// The patient as the twin sees it: from the in-process EHR loaded with the shipped bundle, or
// from the external server named by --ehr. Entries the in-process EHR refuses are quarantined
// in `db` with the EHR's OperationOutcome.
ingest::fhir::PatientBundle fetch_patient(const DemoOptions& options, const TwinConfig& config,
                                          store::SqliteStore& db, const time::Clock& clock) {
  ingest::fhir::FhirClientSettings client_settings;
  if (!options.ehr_url.empty()) {
    if (options.patient_id.empty()) {
      throw InputError(ErrorCode::MissingField, "--patient", "",
                       "--ehr needs the id of the Patient to pull (--patient <id>)");
    }
    client_settings.base_url = options.ehr_url;
    if (const char* token = std::getenv("PTWIN_EHR_TOKEN"); token != nullptr) {
      client_settings.bearer_token = token;
    }
    ingest::fhir::FhirClient client(client_settings);
    fmt::print("  EHR {}: pulling Patient/{} and its Observations\n", options.ehr_url,
               options.patient_id);
    return pull_patient(client, options.patient_id);
  }
  const auto& path = config.patient.fhir_bundle;
  const auto shipped = nlohmann::json::parse(read_whole_file(path), nullptr, false);
  if (shipped.is_discarded() || !shipped.is_object()) {
    throw InputError(ErrorCode::BadInput, path.string(), "(file)", "is not a FHIR JSON Bundle");
  }
  const std::string patient_id = patient_id_of(shipped, path.string());
  // The EHR's refusals run on its server thread while this thread waits for the batch answer,
  // so the store is never used by two threads at once.
  const InProcessEhr ehr(
      config.outputs.directory / "ehr.db",
      [&db, &clock](const server::fhir::QuarantinedBody& refused) {
        (void)db.quarantine({fmt::format("EHR facade: {}", refused.resource_type),
                             refused.outcome.dump(), refused.body, clock.now()});
      },
      fhir_package_dir(options.fhir_packages));
  client_settings.base_url = ehr.base_url();
  ingest::fhir::FhirClient client(client_settings);
  const EhrLoad load = ehr.load(client, shipped);
  fmt::print("  EHR (in-process FHIR R5 facade at {}): {} of {} entries of {} accepted\n",
             ehr.base_url(), load.accepted, load.accepted + load.refused.size(),
             path.filename().string());
  for (const auto& refused : load.refused) {
    fmt::print("    refused {} (HTTP {}), quarantined: {}\n", refused.what, refused.status,
               refused.reason);
  }
  return pull_patient(client, patient_id);
}

void run_demo(const DemoOptions& options) {
  std::optional<StopSignals> stop_signals;  // before any thread starts (stop_signals.hpp)
  if (!options.is_replay_skipped) stop_signals.emplace();
  const time::SystemClock clock;
  const auto config = load_twin_config(options.twin_path);
  fmt::print("ptwin demo: twin '{}' from {}\n", config.twin.id, options.twin_path);
  // Read first: a recording that cannot be replayed should stop the demo before the fit.
  std::optional<ingest::recording::MqttRecording> recording;
  if (!options.is_replay_skipped) {
    recording = ingest::recording::read_mqtt_recording_file(options.recording_path);
  }
  if (!config.personalisation.is_enabled) {
    // The demo exists to show a personalised twin; a twin.yaml that switches it off belongs to
    // `ptwin simulate` (the model as written) instead.
    throw InputError(ErrorCode::BadInput, options.twin_path + ": personalisation.enabled", "false",
                     "ptwin demo personalises the model; set it to true, or run the model as "
                     "written with `ptwin simulate`");
  }

  // Zone 1: the patient's data, pulled from the EHR over FHIR R5; bad entries are quarantined.
  std::filesystem::create_directories(config.store.path.parent_path());
  store::SqliteStore db(config.store.path);
  const ingest::fhir::PatientBundle bundle = fetch_patient(options, config, db, clock);
  const std::string patient_source =
      options.ehr_url.empty() ? config.patient.fhir_bundle.string() : options.ehr_url;
  db.upsert_patient({bundle.patient_id, bundle.patient.dump(), clock.now()});
  db.append_samples(bundle.samples);
  for (const auto& rejected : bundle.rejected) {
    (void)db.quarantine({rejected.source, rejected.reason, rejected.raw, clock.now()});
  }
  fmt::print("  patient {}: {} samples stored, {} entries quarantined by the twin's reader\n",
             bundle.patient_id, bundle.samples.size(), bundle.rejected.size());
  if (recording && recording->header.patient_id != bundle.patient_id) {
    throw InputError(ErrorCode::BadInput, options.recording_path + ":1: patient",
                     recording->header.patient_id,
                     fmt::format("is not the demo's patient '{}'; give that patient's recording "
                                 "with --recording, or --no-replay",
                                 bundle.patient_id));
  }

  const auto latest = latest_by_code(bundle.samples);
  const auto heart_rate = latest.find(std::string(loinc::kHeartRate));
  if (heart_rate == latest.end()) {
    throw InputError(ErrorCode::MissingField, patient_source, "heart rate (LOINC 8867-4)",
                     "the personalisation needs a heart rate");
  }
  std::vector<twin::PersonalisationTarget> targets;
  for (const auto wanted : config.personalisation.targets) {
    const auto name = to_string(wanted);
    if (name == "heart_rate") continue;
    for (const auto& rule : target_rules()) {
      if (rule.target != name) continue;
      const auto sample = latest.find(std::string(rule.loinc));
      if (sample == latest.end()) {
        throw InputError(ErrorCode::MissingField, patient_source,
                         fmt::format("{} (LOINC {})", name, rule.loinc),
                         "is a target in twin.yaml but the patient has no such observation");
      }
      targets.push_back({std::string(name), sample->second.value_si, rule.uncertainty_si});
    }
  }

  // Zone 2: personalise the model.
  const auto model_text = read_whole_file(config.model.file);
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
  if (recording) {
    serve_demo_dashboard({.address = config.serve.address,
                          .port = options.dashboard_port >= 0 ? options.dashboard_port
                                                              : config.serve.port,
                          .assets = options.dashboard_dir,
                          .recording_path = options.recording_path,
                          .replay = {.speed = options.speed},
                          .exits_after_replay = options.exits_after_replay},
                         config, *recording, *stop_signals, clock);
  }
}

}  // namespace

Command register_demo(CLI::App& app) {
  auto options = std::make_shared<DemoOptions>();
  auto* sub = app.add_subcommand(
      "demo",
      "Personalise the closed-loop 0D model to the shipped synthetic patient and report, then\n"
      "replay the patient's recorded monitor stream (a deterioration episode) into the live\n"
      "twin in accelerated time and serve the web dashboard until SIGINT or SIGTERM.\n"
      "Needs no server: the shipped FHIR bundle is served by an in-process FHIR facade (the\n"
      "EHR) and pulled with the FHIR client; SQLite store; files in data/demo. With --ehr the\n"
      "patient is pulled from an external FHIR R5 server (bearer token from $PTWIN_EHR_TOKEN).");
  sub->add_option("--twin", options->twin_path, "twin declaration (twin.yaml)")
      ->capture_default_str()
      ->check(CLI::ExistingFile);
  sub->add_option("--ehr", options->ehr_url,
                  "base URL of an external FHIR R5 server to pull the patient from");
  sub->add_option("--patient", options->patient_id, "id of the Patient on the --ehr server");
  sub->add_option("--fhir-packages", options->fhir_packages,
                  "folder holding hl7.fhir.r5.core (default: $PTWIN_FHIR_PACKAGE_DIR)");
  auto* no_replay = sub->add_flag("--no-replay", options->is_replay_skipped,
                                  "stop after the report: no replay, no dashboard");
  sub->add_flag("--dashboard")
      ->description("the replay and the dashboard (the default; kept for scripts)")
      ->excludes(no_replay);
  sub->add_option("--recording", options->recording_path,
                  "the MQTT feed recording to replay (docs/recording.md)")
      ->capture_default_str()
      ->check(CLI::ExistingFile)
      ->excludes(no_replay);
  sub->add_option("--speed", options->speed,
                  "recorded seconds replayed per wall-clock second (0: as fast as possible)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0e6))
      ->excludes(no_replay);
  sub->add_flag("--exit-after-replay", options->exits_after_replay,
                "print the replay's summary and exit instead of keeping the dashboard up")
      ->excludes(no_replay);
  sub->add_option("--port", options->dashboard_port,
                  "the dashboard's HTTP port (0: any free port; default twin.yaml's serve.port)")
      ->check(CLI::Range(0, 65535))
      ->excludes(no_replay);
  sub->add_option("--dashboard-dir", options->dashboard_dir, "the dashboard's built assets")
      ->capture_default_str()
      ->excludes(no_replay);
  return {sub, [options] { run_demo(*options); }};
}

}  // namespace ptwin::app
