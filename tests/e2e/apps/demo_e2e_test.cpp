// SPDX-License-Identifier: Apache-2.0
// End to end: the CLI reads a twin declaration and a FHIR bundle, personalises the model, stores
// the run and writes the report; a bad reading ends up in the quarantine, not lost.

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "ptwin/store/sqlite_store.hpp"

namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int exit_code;
  std::string output;
};

CommandResult run(const std::string& command) {
  const fs::path log = fs::temp_directory_path() / "ptwin_e2e_output.txt";
  const int status = std::system((command + " > " + log.string() + " 2>&1").c_str());
  std::ifstream in(log);
  std::ostringstream text;
  text << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

fs::path write_twin(const fs::path& dir, const std::string& bundle, int max_evaluations) {
  const fs::path data = fs::path(PTWIN_SOURCE_DIR) / "data";
  const auto yaml = dir / "twin.yaml";
  std::ofstream(yaml) << "twin: {id: e2e-twin}\n"
                      << "patient: {fhir_bundle: " << bundle << "}\n"
                      << "model: {kind: zerod, file: " << (data / "models/regazzoni2022_closed_loop.json").string() << "}\n"
                      << "simulation: {steps_per_cycle: 200, max_cycles: 80}\n"
                      << "personalisation:\n  targets: [heart_rate, systolic_pressure, diastolic_pressure, cardiac_output, ejection_fraction]\n"
                      << "  parameters: [systemic_resistance, arterial_compliance, lv_contractility, blood_volume]\n"
                      << "  max_evaluations: " << max_evaluations << "\n  relative_tolerance: 1.0e-3\n"
                      << "store: {path: twin.db}\noutputs: {directory: out}\n";
  return yaml;
}

class DemoEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ptwin_e2e_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(DemoEndToEnd, PersonalisesStoresQuarantinesAndReports) {
  const auto bundle = (fs::path(PTWIN_SOURCE_DIR) / "data/demo/patient_bundle.json").string();
  const auto result = run(std::string(PTWIN_EXECUTABLE) + " demo --twin " +
                          write_twin(dir_, bundle, 150).string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("MAP"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("L/min"), std::string::npos) << result.output;

  // The shipped bundle has 5 good readings and one heart rate given in mm[Hg].
  ptwin::store::SqliteStore db(dir_ / "twin.db");
  EXPECT_EQ(db.count_samples(), 5);
  ASSERT_EQ(db.count_quarantined(), 1);
  EXPECT_NE(db.quarantined(std::nullopt)[0].entry.reason.find("mm[Hg]"), std::string::npos);
  const auto runs = db.list_runs("synthetic-001");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].status, ptwin::store::RunStatus::Completed);
  EXPECT_TRUE(db.find_result_series(runs[0].id, "lv.volume").has_value());

  std::ifstream report(dir_ / "out/report.html");
  std::ostringstream html;
  html << report.rdbuf();
  EXPECT_NE(html.str().find("<svg"), std::string::npos);
  EXPECT_NE(html.str().find("Pressure–volume loop"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir_ / "out/waveforms.csv"));
}

TEST_F(DemoEndToEnd, MissingTargetObservationIsAnErrorNamingIt) {
  // A bundle with only the patient and a heart rate: the declared targets cannot be met.
  const auto bundle = dir_ / "bundle.json";
  std::ofstream(bundle) << R"({"resourceType": "Bundle", "type": "collection", "entry": [
    {"resource": {"resourceType": "Patient", "id": "p1"}},
    {"resource": {"resourceType": "Observation", "id": "hr", "status": "final",
      "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
      "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2026-01-01T00:00:00Z",
      "valueQuantity": {"value": 70, "system": "http://unitsofmeasure.org", "code": "/min"}}}]})";
  const auto result = run(std::string(PTWIN_EXECUTABLE) + " demo --twin " +
                          write_twin(dir_, bundle.string(), 5).string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("systolic_pressure (LOINC 8480-6)"), std::string::npos)
      << result.output;
}

}  // namespace
