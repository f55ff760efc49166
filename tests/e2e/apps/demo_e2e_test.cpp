// SPDX-License-Identifier: Apache-2.0
// End to end: the CLI reads a twin declaration, loads the FHIR bundle into the in-process EHR
// (or pulls the patient from a separate FHIR server), personalises the model, stores the run
// and writes the report; bad readings end up in the quarantine, not lost. --no-replay: the
// replay into the live twin has its own test (demo_replay_e2e_test.cpp).

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "support/fhir_serve_process.hpp"

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
  const auto result = run(std::string(PTWIN_EXECUTABLE) + " demo --no-replay --twin " +
                          write_twin(dir_, bundle, 150).string());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("MAP"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("L/min"), std::string::npos) << result.output;

  // The shipped bundle has 5 good readings, one heart rate given in mm[Hg] (valid FHIR, which
  // the EHR accepts and the twin's reader refuses) and one whose time has no UTC offset (which
  // the EHR's validation refuses).
  EXPECT_NE(result.output.find("6 of 7 entries"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("refused Observation/obs-5 (HTTP 422)"), std::string::npos)
      << result.output;
  ptwin::store::SqliteStore db(dir_ / "twin.db");
  EXPECT_EQ(db.count_samples(), 5);
  ASSERT_EQ(db.count_quarantined(), 2);
  const auto refused_by_ehr = db.quarantined("EHR facade");
  ASSERT_EQ(refused_by_ehr.size(), 1U);
  EXPECT_NE(refused_by_ehr[0].entry.reason.find("Observation.effectiveDateTime"), std::string::npos);
  EXPECT_NE(refused_by_ehr[0].entry.raw_bytes.find("\"obs-5\""), std::string::npos);
  const auto refused_by_reader = db.quarantined("EHR http://127.0.0.1:");
  ASSERT_EQ(refused_by_reader.size(), 1U);
  EXPECT_NE(refused_by_reader[0].entry.reason.find("mm[Hg]"), std::string::npos);
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
  const auto result = run(std::string(PTWIN_EXECUTABLE) + " demo --no-replay --twin " +
                          write_twin(dir_, bundle.string(), 5).string());
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("systolic_pressure (LOINC 8480-6)"), std::string::npos)
      << result.output;
}

TEST_F(DemoEndToEnd, PullsThePatientFromAnExternalFhirServer) {
  // The hospital's EHR: `ptwin fhir-serve` in its own process, loaded with the shipped bundle.
  ptwin::testing::FhirServeProcess ehr(PTWIN_EXECUTABLE, dir_ / "ehr.db");
  ptwin::ingest::fhir::FhirClientSettings settings;
  settings.base_url = ehr.base_url();
  ptwin::ingest::fhir::FhirClient client(settings);
  std::ifstream in(fs::path(PTWIN_SOURCE_DIR) / "data/demo/patient_bundle.json");
  const auto shipped = nlohmann::json::parse(in);
  nlohmann::json batch = {{"resourceType", "Bundle"}, {"type", "batch"}, {"entry", nlohmann::json::array()}};
  for (const auto& item : shipped.at("entry")) {
    const auto& resource = item.at("resource");
    const std::string url = resource.at("resourceType").get<std::string>() + "/" +
                            resource.at("id").get<std::string>();
    batch["entry"].push_back({{"resource", resource}, {"request", {{"method", "PUT"}, {"url", url}}}});
  }
  (void)client.submit_bundle(batch);

  // Few evaluations: this test is about where the data comes from, not the fit.
  const auto twin = write_twin(dir_, "unused.json", 5);
  const auto result = run(std::string(PTWIN_EXECUTABLE) + " demo --no-replay --twin " + twin.string() +
                          " --ehr " + ehr.base_url() + " --patient synthetic-001");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  ptwin::store::SqliteStore db(dir_ / "twin.db");
  EXPECT_EQ(db.count_samples(), 5);
  EXPECT_EQ(db.count_quarantined(), 1);  // the mm[Hg] heart rate; obs-5 never reached the EHR
  EXPECT_EQ(db.list_runs("synthetic-001").size(), 1U);
}

TEST_F(DemoEndToEnd, ExternalEhrErrorsSayWhatToDo) {
  const auto twin = write_twin(dir_, "unused.json", 5);
  const auto no_patient = run(std::string(PTWIN_EXECUTABLE) + " demo --no-replay --twin " + twin.string() +
                              " --ehr http://127.0.0.1:9/fhir");
  EXPECT_NE(no_patient.exit_code, 0);
  EXPECT_NE(no_patient.output.find("--patient"), std::string::npos) << no_patient.output;
  // Port 9 (discard) has no FHIR server: the error names the URL it tried.
  const auto unreachable = run(std::string(PTWIN_EXECUTABLE) + " demo --no-replay --twin " + twin.string() +
                               " --ehr http://127.0.0.1:9/fhir --patient p1");
  EXPECT_NE(unreachable.exit_code, 0);
  EXPECT_NE(unreachable.output.find("http://127.0.0.1:9/fhir/Patient/p1"), std::string::npos)
      << unreachable.output;
}

}  // namespace
