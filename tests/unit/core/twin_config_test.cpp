// SPDX-License-Identifier: Apache-2.0
// The twin declaration loader: a valid file yields the documented values and defaults; a bad
// one yields every problem at once, each with its key path, the value and the rule.
#include "ptwin/core/twin_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace ptwin {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFullDeclaration = R"(
twin:
  id: demo-001
  description: synthetic adult, normal haemodynamics
patient:
  fhir_bundle: patient/bundle.json
model:
  kind: zerod
  file: /models/closed_loop.json
  format: svzerod
  svzerod_units: si
simulation:
  steps_per_cycle: 1000
  max_cycles: 20
  steady_state_tolerance: 1.0e-5
  output: all_cycles
personalisation:
  enabled: true
  targets: [heart_rate, systolic_pressure, diastolic_pressure, cardiac_output, ejection_fraction]
  parameters: [systemic_resistance, arterial_compliance, lv_max_elastance, blood_volume]
  max_evaluations: 300
  relative_tolerance: 1.0e-6
store:
  backend: sqlite
  path: ../db/twin.db
outputs:
  directory: results
  report: summary.html
  csv: false
)";

constexpr const char* kMinimalDeclaration = R"(
twin: {id: demo-002}
patient: {fhir_bundle: bundle.json}
model: {kind: zerod, file: model.json}
personalisation: {targets: [heart_rate], parameters: [systemic_resistance]}
)";

template <typename E, typename F>
std::optional<E> error_from(F&& call) {
  try {
    call();
  } catch (const E& error) {
    return error;
  }
  return std::nullopt;
}

std::optional<TwinConfigError> config_error(const std::string& yaml) {
  return error_from<TwinConfigError>(
      [&yaml] { (void)parse_twin_config(yaml, "/cfg", "twin.yaml"); });
}

::testing::AssertionResult contains(const std::string& text, const std::string& needle) {
  if (text.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << needle << "'";
}

const ConfigProblem* find_problem(const TwinConfigError& error, const std::string& path) {
  const auto& problems = error.problems();
  const auto found = std::find_if(problems.begin(), problems.end(),
                                  [&path](const ConfigProblem& p) { return p.path == path; });
  return found == problems.end() ? nullptr : &*found;
}

TEST(ParseTwinConfig, ReadsEveryFieldOfAFullDeclaration) {
  const auto config = parse_twin_config(kFullDeclaration, "/cfg", "twin.yaml");
  EXPECT_EQ(config.source_name, "twin.yaml");
  EXPECT_EQ(config.twin.id, "demo-001");
  EXPECT_EQ(config.twin.description, "synthetic adult, normal haemodynamics");
  EXPECT_EQ(config.patient.fhir_bundle, fs::path("/cfg/patient/bundle.json"));
  EXPECT_EQ(config.model.kind, ModelKind::ZeroD);
  EXPECT_EQ(config.model.file, fs::path("/models/closed_loop.json"));
  EXPECT_EQ(config.model.format, ModelFormat::SvZeroD);
  EXPECT_EQ(config.model.svzerod_units, SvZeroDUnits::Si);
  EXPECT_EQ(config.simulation.steps_per_cycle, 1000);
  EXPECT_EQ(config.simulation.max_cycles, 20);
  EXPECT_EQ(config.simulation.steady_state_tolerance, 1.0e-5);
  EXPECT_EQ(config.simulation.output, SimulationOutput::AllCycles);
  EXPECT_TRUE(config.personalisation.is_enabled);
  EXPECT_EQ(
      config.personalisation.targets,
      (std::vector{PersonalisationTarget::HeartRate, PersonalisationTarget::SystolicPressure,
                   PersonalisationTarget::DiastolicPressure, PersonalisationTarget::CardiacOutput,
                   PersonalisationTarget::EjectionFraction}));
  EXPECT_EQ(config.personalisation.parameters,
            (std::vector<std::string>{"systemic_resistance", "arterial_compliance",
                                      "lv_max_elastance", "blood_volume"}));
  EXPECT_EQ(config.personalisation.max_evaluations, 300);
  EXPECT_EQ(config.personalisation.relative_tolerance, 1.0e-6);
  EXPECT_EQ(config.store.backend, StoreBackend::Sqlite);
  EXPECT_EQ(config.store.path, fs::path("/db/twin.db"));
  EXPECT_EQ(config.outputs.directory, fs::path("/cfg/results"));
  EXPECT_EQ(config.outputs.report_file_name, fs::path("summary.html"));
  EXPECT_FALSE(config.outputs.writes_csv);
}

TEST(ParseTwinConfig, FillsDocumentedDefaults) {
  const auto config = parse_twin_config(kMinimalDeclaration, "/cfg", "twin.yaml");
  EXPECT_EQ(config.twin.description, std::nullopt);
  EXPECT_EQ(config.model.format, ModelFormat::Ptwin);
  EXPECT_EQ(config.model.svzerod_units, SvZeroDUnits::Cgs);
  EXPECT_EQ(config.simulation.steps_per_cycle, 500);
  EXPECT_EQ(config.simulation.max_cycles, 50);
  EXPECT_EQ(config.simulation.steady_state_tolerance, 1.0e-4);
  EXPECT_EQ(config.simulation.output, SimulationOutput::LastCycle);
  EXPECT_TRUE(config.personalisation.is_enabled);
  EXPECT_EQ(config.personalisation.max_evaluations, 200);
  EXPECT_EQ(config.personalisation.relative_tolerance, 1.0e-4);
  EXPECT_EQ(config.store.path, fs::path("/cfg/ptwin.db"));
  EXPECT_EQ(config.outputs.directory, fs::path("/cfg/out"));
  EXPECT_EQ(config.outputs.report_file_name, fs::path("report.html"));
  EXPECT_TRUE(config.outputs.writes_csv);
}

TEST(ParseTwinConfig, ResolvesRelativePathsAgainstTheBaseDirectory) {
  const auto config = parse_twin_config(kFullDeclaration, "/srv/twins/demo", "twin.yaml");
  EXPECT_EQ(config.patient.fhir_bundle, fs::path("/srv/twins/demo/patient/bundle.json"));
  EXPECT_EQ(config.store.path, fs::path("/srv/twins/db/twin.db"));
  EXPECT_EQ(config.model.file, fs::path("/models/closed_loop.json"));  // absolute: unchanged
}

TEST(ParseTwinConfig, AllowsPersonalisationListsToBeOmittedWhenDisabled) {
  const auto config = parse_twin_config(R"(
twin: {id: demo-003}
patient: {fhir_bundle: bundle.json}
model: {kind: zerod, file: model.json}
personalisation: {enabled: false}
)",
                                        "/cfg", "twin.yaml");
  EXPECT_FALSE(config.personalisation.is_enabled);
  EXPECT_TRUE(config.personalisation.targets.empty());
}

TEST(ParseTwinConfig, ReportsEveryProblemAtOnceWithItsPath) {
  const auto error = config_error(R"(
twin: {id: "demo 001"}
patient: {}
model: {kind: zerodd, file: model.json}
simulation: {steps_per_cycle: abc, max_cycles: {a: 1}, steady_state_tolerance: 1.5}
personalisation: {targets: [heart_rate, heart_rate], parameters: [], enabled: yes}
store: {backend: postgresql}
outputs: {report: sub/report.html}
)");
  ASSERT_TRUE(error);
  const std::vector<std::string> expected_paths{"twin.id",
                                                "patient.fhir_bundle",
                                                "model.kind",
                                                "simulation.steps_per_cycle",
                                                "simulation.max_cycles",
                                                "simulation.steady_state_tolerance",
                                                "personalisation.enabled",
                                                "personalisation.targets[1]",
                                                "personalisation.parameters",
                                                "store.backend",
                                                "outputs.report"};
  ASSERT_EQ(error->problems().size(), expected_paths.size()) << error->what();
  for (const auto& path : expected_paths) {
    EXPECT_NE(find_problem(*error, path), nullptr) << path << " missing from\n" << error->what();
  }
  const std::string message = error->what();
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'),
            static_cast<std::ptrdiff_t>(expected_paths.size()));
  EXPECT_TRUE(contains(message, "\ntwin.yaml: model.kind: 'zerodd' is not one of zerod"));
  EXPECT_TRUE(contains(message,
                       "\ntwin.yaml: simulation.max_cycles: '<map>' must be an integer "
                       "from 1 to 10000"));
  EXPECT_TRUE(contains(message,
                       "\ntwin.yaml: store.backend: 'postgresql' is not available in "
                       "this build"));
  EXPECT_TRUE(contains(message, "\ntwin.yaml: patient.fhir_bundle: is required"));
  EXPECT_EQ(error->code(), ErrorCode::BadInput);
}

TEST(ParseTwinConfig, SuggestsTheClosestKeyForATypo) {
  const auto error =
      config_error(std::string(kMinimalDeclaration) + "simulation: {steady_state_tol: 1.0e-4}\n");
  ASSERT_TRUE(error);
  ASSERT_EQ(error->problems().size(), 1u) << error->what();
  const auto& problem = error->problems().front();
  EXPECT_EQ(problem.path, "simulation.steady_state_tol");
  EXPECT_EQ(problem.code, ErrorCode::UnknownField);
  EXPECT_TRUE(contains(problem.rule, "did you mean 'steady_state_tolerance'?"));
  EXPECT_EQ(error->code(), ErrorCode::UnknownField);
}

TEST(ParseTwinConfig, ListsKnownKeysWhenNoKeyIsClose) {
  const auto error = config_error(std::string(kMinimalDeclaration) + "alerts: {}\n");
  ASSERT_TRUE(error);
  ASSERT_EQ(error->problems().size(), 1u);
  EXPECT_TRUE(contains(error->problems().front().rule,
                       "(known keys: twin, patient, model, simulation, personalisation, store, "
                       "outputs, feeds, serve)"));
}

TEST(ParseTwinConfig, RejectsWrongScalarTypesAndRanges) {
  const struct {
    const char* section;
    const char* path;
    const char* rule;
  } cases[] = {
      {"simulation: {steps_per_cycle: 1e3}", "simulation.steps_per_cycle", "must be an integer"},
      {"simulation: {max_cycles: 0}", "simulation.max_cycles", "from 1 to 10000"},
      {"simulation: {steady_state_tolerance: 0}", "simulation.steady_state_tolerance",
       "greater than 0"},
      {"simulation: {steady_state_tolerance: .nan}", "simulation.steady_state_tolerance",
       "must be a number"},
      {"simulation: {output: every_cycle}", "simulation.output", "is not one of last_cycle"},
      {"simulation: {max_cycles: }", "simulation.max_cycles", "has no value"},
      {"outputs: {csv: yes}", "outputs.csv", "must be true or false"},
      {"outputs: {report: ..}", "outputs.report", "must be a file name"},
      {"store: {path: ''}", "store.path", "non-empty path"},
      {"personalisation: {targets: [heart_rate], parameters: ['blood volume']}",
       "personalisation.parameters[0]", "no spaces"},
      {"model: {kind: zerod, file: m.json, svzerod_units: si}", "model.svzerod_units",
       "only meaningful when model.format is svzerod"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.section);
    // The case's section replaces the minimal declaration's section of the same name.
    const std::string_view section = c.section;
    std::string yaml = "twin: {id: x}\npatient: {fhir_bundle: b.json}\n";
    if (!section.starts_with("model:")) yaml += "model: {kind: zerod, file: m.json}\n";
    if (!section.starts_with("personalisation:")) {
      yaml += "personalisation: {targets: [heart_rate], parameters: [r]}\n";
    }
    yaml += std::string(section) + "\n";
    const auto error = config_error(yaml);
    ASSERT_TRUE(error);
    ASSERT_EQ(error->problems().size(), 1u) << error->what();
    EXPECT_EQ(error->problems().front().path, c.path);
    EXPECT_TRUE(contains(error->problems().front().rule, c.rule));
  }
}

TEST(ParseTwinConfig, RejectsRepeatedKeysAndUnknownTargetsWithSuggestion) {
  const auto error = config_error(R"(
twin: {id: demo-004, id: demo-005}
patient: {fhir_bundle: bundle.json}
model: {kind: zerod, file: model.json}
personalisation: {targets: [heart_rat], parameters: [r]}
)");
  ASSERT_TRUE(error);
  ASSERT_EQ(error->problems().size(), 2u) << error->what();
  EXPECT_TRUE(contains(find_problem(*error, "twin.id")->rule, "repeats a key"));
  EXPECT_TRUE(contains(find_problem(*error, "personalisation.targets[0]")->rule,
                       "did you mean 'heart_rate'?"));
}

TEST(ParseTwinConfig, RejectsMoreThanOneDocument) {
  const auto error = config_error(std::string(kMinimalDeclaration) + "---\ntwin: {id: x}\n");
  ASSERT_TRUE(error);
  ASSERT_NE(find_problem(*error, "(document)"), nullptr);
}

TEST(ParseTwinConfig, ReportsSyntaxErrorsWithFileLineAndColumn) {
  const auto error = error_from<InputError>([] {
    (void)parse_twin_config("twin:\n  id: demo\n model:\n  kind: zerod\n", "/cfg", "twin.yaml");
  });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::BadInput);
  EXPECT_EQ(error->where(), "twin.yaml:3:2");
  EXPECT_EQ(error->value(), " model:");
  EXPECT_TRUE(contains(error->what(), "is not valid YAML"));
}

TEST(ParseTwinConfig, RejectsAStrayCommaAtDocumentLevelAsASyntaxError) {
  // yaml-cpp 0.7's LoadAll loops forever on this input; the loader must not.
  const auto error = error_from<InputError>(
      [] { (void)parse_twin_config("twin: {id: demo}\n...\n, model: {}\n", "/cfg", "twin.yaml"); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::BadInput);
  EXPECT_EQ(error->where(), "twin.yaml:3:1");
  EXPECT_EQ(error->value(), ", model: {}");
}

class LoadTwinConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        fs::path(::testing::TempDir()) /
        ("ptwin_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(directory_);
    fs::create_directories(directory_ / "twins");
  }
  void TearDown() override { fs::remove_all(directory_); }
  fs::path write(const std::string& name, const std::string& text) const {
    const auto path = directory_ / name;
    std::ofstream(path) << text;
    return path;
  }
  fs::path directory_;
};

TEST_F(LoadTwinConfig, ResolvesRelativePathsAgainstTheFilesDirectory) {
  const auto file = write("twins/twin.yaml", kMinimalDeclaration);
  const auto config = load_twin_config(file);
  const auto base = fs::absolute(directory_ / "twins").lexically_normal();
  EXPECT_EQ(config.base_directory, base);
  EXPECT_EQ(config.patient.fhir_bundle, base / "bundle.json");
  EXPECT_EQ(config.store.path, base / "ptwin.db");
  EXPECT_EQ(config.source_name, file.string());
}

TEST_F(LoadTwinConfig, NamesTheFileInProblems) {
  const auto file = write("twins/broken.yaml", "twin: {id: demo}\n");
  const auto error = error_from<TwinConfigError>([&file] { (void)load_twin_config(file); });
  ASSERT_TRUE(error);
  EXPECT_TRUE(contains(error->what(), file.string() + ": patient.fhir_bundle: is required"));
}

TEST_F(LoadTwinConfig, ReportsAnUnreadableFileAsIoNamingThePath) {
  const auto missing = directory_ / "absent.yaml";
  const auto error = error_from<InputError>([&missing] { (void)load_twin_config(missing); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code(), ErrorCode::Io);
  EXPECT_EQ(error->value(), missing.string());
}

TEST(ParseTwinConfig, ReadsTheFilterChoiceWithUkfAsDefault) {
  const auto defaults = parse_twin_config(kMinimalDeclaration, "/cfg", "twin.yaml");
  EXPECT_EQ(defaults.twin.filter, StateFilter::Ukf);
  EXPECT_EQ(defaults.twin.ensemble_size, 200);
  EXPECT_EQ(defaults.twin.ensemble_seed, 20261125);
  std::string yaml = kMinimalDeclaration;
  yaml.replace(yaml.find("twin: {id: demo-002}"), 20,
               "twin: {id: demo-002, filter: enkf, ensemble_size: 64, ensemble_seed: 9}");
  const auto enkf = parse_twin_config(yaml, "/cfg", "twin.yaml");
  EXPECT_EQ(enkf.twin.filter, StateFilter::Enkf);
  EXPECT_EQ(enkf.twin.ensemble_size, 64);
  EXPECT_EQ(enkf.twin.ensemble_seed, 9);
}

TEST(ParseTwinConfig, ResolvesTheRecalibrationFileAgainstTheDeclarationsFolder) {
  const auto defaults = parse_twin_config(kMinimalDeclaration, "/cfg", "twin.yaml");
  EXPECT_FALSE(defaults.twin.recalibration);  // raw risk unless a file is named
  std::string yaml = kMinimalDeclaration;
  yaml.replace(yaml.find("twin: {id: demo-002}"), 20,
               "twin: {id: demo-002, recalibration: maps/recalibration.json}");
  const auto config = parse_twin_config(yaml, "/cfg", "twin.yaml");
  ASSERT_TRUE(config.twin.recalibration);
  EXPECT_EQ(*config.twin.recalibration, fs::path("/cfg/maps/recalibration.json"));
  yaml.replace(yaml.find("recalibration: maps/recalibration.json"), 38, "recalibration: \"\"");
  const auto error = config_error(yaml);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->problems().front().path, "twin.recalibration");
}

TEST(ParseTwinConfig, RejectsABadFilterChoiceNamingTheFieldAndValue) {
  const struct {
    const char* twin;
    const char* path;
    const char* value;
    const char* rule;
  } cases[] = {
      {"{id: x, filter: enfk}", "twin.filter", "enfk", "is not one of ukf, enkf"},
      {"{id: x, filter: enkf, ensemble_size: 5}", "twin.ensemble_size", "5", "from 10 to 100000"},
      {"{id: x, filter: enkf, ensemble_seed: -3}", "twin.ensemble_seed", "-3", "from 0 to"},
      {"{id: x, ensemble_size: 200}", "twin.ensemble_size", "200",
       "only meaningful when twin.filter is enkf"},
      {"{id: x, filter: ukf, ensemble_seed: 4}", "twin.ensemble_seed", "4",
       "only meaningful when twin.filter is enkf"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.twin);
    const std::string yaml = std::string("twin: ") + c.twin +
                             "\npatient: {fhir_bundle: b.json}\nmodel: {kind: zerod, file: "
                             "m.json}\npersonalisation: {targets: [heart_rate], parameters: [r]}\n";
    const auto error = config_error(yaml);
    ASSERT_TRUE(error);
    ASSERT_EQ(error->problems().size(), 1u) << error->what();
    EXPECT_EQ(error->problems().front().path, c.path);
    EXPECT_EQ(error->problems().front().value, c.value);
    EXPECT_TRUE(contains(error->problems().front().rule, c.rule));
    EXPECT_TRUE(contains(error->what(), c.path));
  }
}

TEST(TwinConfigEnums, SpellValuesAsTheYamlDoes) {
  EXPECT_EQ(to_string(StateFilter::Ukf), "ukf");
  EXPECT_EQ(to_string(StateFilter::Enkf), "enkf");
  EXPECT_EQ(to_string(ModelKind::ZeroD), "zerod");
  EXPECT_EQ(to_string(ModelFormat::SvZeroD), "svzerod");
  EXPECT_EQ(to_string(SvZeroDUnits::Cgs), "cgs");
  EXPECT_EQ(to_string(SimulationOutput::AllCycles), "all_cycles");
  EXPECT_EQ(to_string(StoreBackend::Sqlite), "sqlite");
  EXPECT_EQ(to_string(PersonalisationTarget::EjectionFraction), "ejection_fraction");
}

}  // namespace
}  // namespace ptwin
