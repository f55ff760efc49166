// SPDX-License-Identifier: Apache-2.0
#pragma once
// The twin declaration (twin.yaml): which patient, which model, how to simulate and
// personalise it, where to store and write results. The loader checks every key and value and
// reports all problems at once, each with its path, so that a user fixes a file in one pass.
// Schema and defaults: docs/core.md#twinyaml.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/core/error.hpp"

namespace ptwin {

enum class ModelKind { ZeroD };                        // "zerod"
enum class ModelFormat { Ptwin, SvZeroD };             // "ptwin", "svzerod"
enum class SvZeroDUnits { Cgs, Si };                   // "cgs", "si"
enum class SimulationOutput { LastCycle, AllCycles };  // "last_cycle", "all_cycles"
enum class StoreBackend { Sqlite };                    // "sqlite"
enum class StateFilter { Ukf, Enkf };                  // "ukf", "enkf"
enum class PersonalisationTarget {                     // the names used in twin.yaml
  HeartRate,                                           // "heart_rate"
  SystolicPressure,                                    // "systolic_pressure"
  DiastolicPressure,                                   // "diastolic_pressure"
  CardiacOutput,                                       // "cardiac_output"
  EjectionFraction,                                    // "ejection_fraction"
};

/// The twin.yaml spelling of each value, e.g. to_string(ModelFormat::SvZeroD) == "svzerod".
[[nodiscard]] std::string_view to_string(ModelKind kind);
[[nodiscard]] std::string_view to_string(ModelFormat format);
[[nodiscard]] std::string_view to_string(SvZeroDUnits units);
[[nodiscard]] std::string_view to_string(SimulationOutput output);
[[nodiscard]] std::string_view to_string(StoreBackend backend);
[[nodiscard]] std::string_view to_string(StateFilter filter);
[[nodiscard]] std::string_view to_string(PersonalisationTarget target);
enum class ClockTracking;
[[nodiscard]] std::string_view to_string(ClockTracking tracking);

/// `twin:` the twin's identity and the filter that keeps its state estimate in step with the
/// data (docs/twin.md#filters).
struct TwinSection {
  std::string id;                          // pseudonymous, [A-Za-z0-9._-]{1,64}
  std::optional<std::string> description;  // free text, absent if not given
  StateFilter filter = StateFilter::Ukf;
  int ensemble_size = 200;        // EnKF members, 10..100000; only with filter enkf
  int ensemble_seed = 20261125;   // EnKF random stream, 0..2147483647; only with filter enkf
  // A recalibration file (ptwin.risk-recalibration/1) for the risk, resolved; absent: raw risk.
  std::optional<std::filesystem::path> recalibration;
  friend bool operator==(const TwinSection&, const TwinSection&) = default;
};

/// `patient:` where the patient's data come from.
struct PatientSection {
  std::filesystem::path fhir_bundle;  // FHIR R5 Bundle (JSON), resolved
  friend bool operator==(const PatientSection&, const PatientSection&) = default;
};

/// `model:` the computational model.
struct ModelSection {
  ModelKind kind = ModelKind::ZeroD;
  std::filesystem::path file;  // resolved
  ModelFormat format = ModelFormat::Ptwin;
  SvZeroDUnits svzerod_units = SvZeroDUnits::Cgs;  // used only when format is SvZeroD
  friend bool operator==(const ModelSection&, const ModelSection&) = default;
};

/// `simulation:` time stepping and the periodic steady state.
struct SimulationSection {
  int steps_per_cycle = 500;             // 10..100000
  int max_cycles = 50;                   // 1..10000
  double steady_state_tolerance = 1e-4;  // relative cycle-to-cycle change, 0 < x < 1
  SimulationOutput output = SimulationOutput::LastCycle;
  friend bool operator==(const SimulationSection&, const SimulationSection&) = default;
};

/// `personalisation:` fitting model parameters to the patient's measurements.
struct PersonalisationSection {
  bool is_enabled = true;
  std::vector<PersonalisationTarget> targets;  // non-empty when enabled, no duplicates
  std::vector<std::string> parameters;         // model parameter names, checked by the model
  int max_evaluations = 200;                   // 1..100000
  double relative_tolerance = 1e-4;            // 0 < x < 1
  friend bool operator==(const PersonalisationSection&, const PersonalisationSection&) = default;
};

/// `store:` the database.
struct StoreSection {
  StoreBackend backend = StoreBackend::Sqlite;
  std::filesystem::path path;  // resolved; default <base>/ptwin.db
  friend bool operator==(const StoreSection&, const StoreSection&) = default;
};

/// `outputs:` files written for the user.
struct OutputsSection {
  std::filesystem::path directory;         // resolved; default <base>/out
  std::filesystem::path report_file_name;  // a bare file name inside `directory`
  bool writes_csv = true;
  friend bool operator==(const OutputsSection&, const OutputsSection&) = default;
};

/// `feeds.mqtt.topics[i]`: one topic filter (MQTT wildcards + and # allowed) and its QoS.
struct MqttTopicConfig {
  std::string filter;
  int qos = 1;  // 0 or 1
  friend bool operator==(const MqttTopicConfig&, const MqttTopicConfig&) = default;
};

enum class ClockTracking { Estimate, Correct };  // "estimate", "correct"

/// `feeds.mqtt:` biosensor readings from an MQTT broker (docs/serve.md#mqtt).
struct MqttFeedConfig {
  std::string host = "127.0.0.1";
  int port = 1883;                      // 1..65535
  std::string client_id;                // required: the broker keeps the session under it
  std::vector<MqttTopicConfig> topics;  // required, non-empty
  ClockTracking clock_tracking = ClockTracking::Estimate;
  friend bool operator==(const MqttFeedConfig&, const MqttFeedConfig&) = default;
};

/// `feeds.hl7v2:` an HL7 v2 feed over MLLP (docs/serve.md#hl7v2).
struct Hl7v2FeedConfig {
  std::string address = "127.0.0.1";
  int port = 2575;  // 0..65535; 0: any free port (logged at startup)
  /// Local time minus UTC of sending "<application>/<facility>" sources whose time stamps
  /// carry no offset, e.g. {"MONITOR/ICU": +60 min}; within +-14 h.
  std::map<std::string, std::chrono::minutes, std::less<>> zone_offsets;
  friend bool operator==(const Hl7v2FeedConfig&, const Hl7v2FeedConfig&) = default;
};

/// `feeds.fhir_subscription:` a topic-based Subscription on an EHR (docs/serve.md#fhir).
struct FhirSubscriptionFeedConfig {
  std::string ehr_base_url;  // required: http(s)://host[:port]/path
  std::string topic;         // required: the SubscriptionTopic's canonical URL
  /// filterBy of the Subscription: search parameter -> value, e.g. {"patient": "Patient/p1"}.
  std::map<std::string, std::string, std::less<>> filter;
  std::string subscription_id;  // default "ptwin-<twin.id>": created with PUT under this id
  std::string address = "127.0.0.1";  // where the rest-hook endpoint listens
  int port = 8091;                    // 0..65535; 0: any free port
  int heartbeat_period_s = 60;        // 1..86400
  friend bool operator==(const FhirSubscriptionFeedConfig&,
                         const FhirSubscriptionFeedConfig&) = default;
};

/// `feeds:` the data sources `ptwin serve` keeps alive; each is optional.
struct FeedsSection {
  std::optional<MqttFeedConfig> mqtt;
  std::optional<Hl7v2FeedConfig> hl7v2;
  std::optional<FhirSubscriptionFeedConfig> fhir_subscription;
  friend bool operator==(const FeedsSection&, const FeedsSection&) = default;
};

/// `serve.fhir_outputs:` the twin's clinical outputs as FHIR R5 resources
/// (docs/serve.md#fhir-outputs): written to ptwin's own FHIR facade, mounted at `base_path` on
/// the serve port (its Subscriptions notify listeners), and PUT to the EHR when
/// `ehr_base_url` is given. Only a model that passed its verification cases emits.
struct FhirOutputsConfig {
  std::filesystem::path database;   // the facade's SQLite file; default <base>/ptwin-outputs.db
  std::string base_path = "/fhir";  // "/" followed by [A-Za-z0-9._-/], not ending in '/'
  std::optional<std::string> ehr_base_url;  // http(s)://host[:port]/path; absent: facade only
  int risk_interval_s = 60;  // at most one RiskAssessment per patient per interval, 1..86400
  /// A record written by `ptwin vv gate --write`; absent: the cases run at start-up.
  std::optional<std::filesystem::path> verification_record;
  int post_timeout_s = 10;  // one PUT to the EHR, 1..300
  friend bool operator==(const FhirOutputsConfig&, const FhirOutputsConfig&) = default;
};

/// `serve.alerts:` the twin's one alert policy on the 15-minute hypotension risk
/// (docs/serve.md#alerts): the dashboard lists its episodes and the FHIR outputs write them as
/// DetectedIssues.
struct AlertsConfig {
  double raise = 0.5;           // risk that raises, 0 < x < 1
  double clear = 0.3;           // risk that clears, 0 < x < raise (the band is the hysteresis)
  int minimum_duration_s = 60;  // in breach this long before the alert, 0..3600
  int snooze_s = 1800;          // an acknowledgement's snooze, 1..86400
  double worsening_margin = 0.2;  // re-alert during a snooze when this much worse; 0: never, 0..1
  int escalate_after_s = 600;   // unacknowledged this long: one level up; 0: never, 0..86400
  int max_level = 3;            // 1..10
  friend bool operator==(const AlertsConfig&, const AlertsConfig&) = default;
};

/// `serve:` ptwin's own HTTP endpoints (/healthz, /metrics, /status, and the FHIR facade of
/// its outputs when `fhir_outputs` is declared).
struct ServeSection {
  std::string address = "127.0.0.1";
  int port = 8090;  // 0..65535; 0: any free port
  std::optional<FhirOutputsConfig> fhir_outputs;
  AlertsConfig alerts;
  friend bool operator==(const ServeSection&, const ServeSection&) = default;
};

/// A validated twin declaration. Relative paths in the file are resolved against
/// `base_directory` (the directory of the YAML file) and stored lexically normalised.
struct TwinConfig {
  std::string source_name;               // the file the declaration came from, for messages
  std::filesystem::path base_directory;  // what relative paths were resolved against
  TwinSection twin;
  PatientSection patient;
  ModelSection model;
  SimulationSection simulation;
  PersonalisationSection personalisation;
  StoreSection store;
  OutputsSection outputs;
  FeedsSection feeds;
  ServeSection serve;
  friend bool operator==(const TwinConfig&, const TwinConfig&) = default;
};

/// One broken rule: `path` is the key path ("simulation.max_cycles",
/// "personalisation.targets[2]"), `value` the offending value as text, `rule` what it broke.
struct ConfigProblem {
  std::string path;
  std::string value;
  std::string rule;
  ErrorCode code = ErrorCode::BadInput;  // BadInput, MissingField or UnknownField
  friend bool operator==(const ConfigProblem&, const ConfigProblem&) = default;
};

/// Every problem found in one twin declaration. what() has a summary line, then one line per
/// problem: "twin.yaml: model.kind: 'zerodd' is not one of zerod". where(), value() and rule()
/// describe the first problem.
class TwinConfigError : public InputError {
 public:
  TwinConfigError(std::string source_name, std::vector<ConfigProblem> problems);
  [[nodiscard]] const char* what() const noexcept override { return message_.c_str(); }
  [[nodiscard]] const std::string& source_name() const noexcept { return source_name_; }
  [[nodiscard]] const std::vector<ConfigProblem>& problems() const noexcept { return problems_; }

 private:
  std::string source_name_;
  std::vector<ConfigProblem> problems_;
  std::string message_;
};

/// Reads and validates a twin declaration file; relative paths resolve against its directory
/// (made absolute). Throws InputError(Io) if the file cannot be read, InputError(BadInput)
/// naming line and column for a YAML syntax error, TwinConfigError for schema problems.
[[nodiscard]] TwinConfig load_twin_config(const std::filesystem::path& file);

/// Validates YAML text. `base_dir` resolves relative paths; `source_name` prefixes messages.
/// Throws as load_twin_config, without the Io case. No file is opened.
[[nodiscard]] TwinConfig parse_twin_config(std::string_view yaml_text,
                                           const std::filesystem::path& base_dir,
                                           std::string_view source_name);

}  // namespace ptwin
