// SPDX-License-Identifier: Apache-2.0
// The recalibrated live twin, as a user runs it: `ptwin vv hypotension --write-recalibration`
// fits maps on a small synthetic cohort and writes them; `ptwin serve` with twin.recalibration
// naming that file is fed one synthetic patient over HL7 v2 MLLP and writes RiskAssessments to
// its own FHIR facade. Every written probability must be the file's map applied to the raw risk
// the assessment reports beside it, and the assessment, serve's log and the dashboard's model
// must name the maps by their digest. A map fitted for another model (the UKF's maps under
// twin.filter enkf) must stop serve at start-up, naming the field.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "ptwin/core/time.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/ingest/hl7v2/patient_identity.hpp"
#include "ptwin/twin/cohort/hypotension_cohort.hpp"
#include "ptwin/vv/gate/model_identity.hpp"
#include "ptwin/vv/gate/recalibration_file.hpp"
#include "support/child_process.hpp"
#include "support/mllp_test_client.hpp"
#include "support/serve_process.hpp"

namespace ptwin::testing {
namespace {

using namespace std::chrono_literals;

// Hangs, not timings: start-up runs the model's verification cases.
constexpr auto kStartupLimit = 60s;
constexpr auto kArrivalLimit = 30s;

ingest::fhir::FhirClient client_of(const std::string& base) {
  ingest::fhir::FhirClientSettings settings;
  settings.base_url = base;
  settings.timeout = 10s;
  return ingest::fhir::FhirClient(settings);
}

std::string hl7_time(time::Instant instant) {
  std::string digits;
  for (const char c : time::format_iso8601(instant).substr(0, 19)) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  return digits + "+0000";
}

std::string oru(int control_id, time::Instant taken, std::string_view obx) {
  return fmt::format(
      "MSH|^~\\&|MONITOR|ICU|PTWIN|HOSP|{0}||ORU^R01^ORU_R01|C{1}|P|2.5.1\r"
      "PID|1||p1^^^HOSP^MR\r"
      "OBR|1|||85354-9^BP^LN|||{0}\r{2}\r",
      hl7_time(taken), control_id, obx);
}

// The extension of `url` among `resource`'s, or null.
const nlohmann::json* extension(const nlohmann::json& resource, std::string_view url) {
  if (!resource.contains("extension")) return nullptr;
  for (const auto& e : resource["extension"]) {
    if (e["url"] == url) return &e;
  }
  return nullptr;
}

const nlohmann::json* part(const nlohmann::json& ext, std::string_view url) {
  for (const auto& e : ext["extension"]) {
    if (e["url"] == url) return &e;
  }
  return nullptr;
}

class ServeRecalibration : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("serve-recal-e2e-{}-{}", ::getpid(), std::random_device{}() % 100000);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // `ptwin vv hypotension` on a small cohort, writing `method`'s maps to maps.json.
  void fit_maps(const std::string& method) {
    ChildProcess vv({PTWIN_EXECUTABLE, "vv", "hypotension", "--patients", "40", "--hours", "2",
                     "--seed", "11", "--bootstrap-resamples", "100", "--write-recalibration",
                     (dir_ / "maps.json").string(), "--recalibration-method", method},
                    dir_ / "vv.log");
    const auto status = vv.wait_for_exit(120s);
    ASSERT_TRUE(status) << vv.output();
    ASSERT_EQ(WEXITSTATUS(*status), 0) << vv.output();
    EXPECT_NE(vv.output().find("written to " + (dir_ / "maps.json").string()), std::string::npos)
        << vv.output();
  }

  void write_twin_yaml(const std::string& twin_keys) const {
    std::ofstream(dir_ / "twin.yaml")
        << serve_twin_yaml("e2e_recal",
                           "feeds:\n  hl7v2: {port: 0}\nserve:\n  port: 0\n  fhir_outputs:\n"
                           "    database: outputs.db\n    risk_interval_s: 60\n",
                           twin_keys);
  }

  std::filesystem::path dir_;
};

TEST_F(ServeRecalibration, TheServedRiskIsTheFilesMapAppliedToTheRawRisk) {
  fit_maps("isotonic");
  const auto file = vv::gate::read_recalibration_file(dir_ / "maps.json");
  EXPECT_EQ(file.fitted_on.cohort_seed, 11U);
  EXPECT_EQ(file.fitted_on.patients, 40);
  ASSERT_EQ(file.horizons.size(), 2U);
  const auto maps = vv::gate::maps_of(file);
  const auto digest = vv::gate::recalibration_digest(maps).value();
  write_twin_yaml("recalibration: maps.json");

  ChildProcess serve({PTWIN_EXECUTABLE, "serve", (dir_ / "twin.yaml").string()},
                     dir_ / "serve.log");
  const auto origin = wait_for_serve_origin(serve, kStartupLimit);
  ASSERT_TRUE(origin) << serve.output();
  const std::string log = serve.output();
  EXPECT_NE(log.find(fmt::format("recalibration isotonic 300 s, isotonic 900 s (maps {})",
                                 digest.substr(0, 16))),
            std::string::npos)
      << log;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(log, match, std::regex("feed hl7v2: MLLP at [0-9.]+:([0-9]+)")))
      << log;

  // A patient of another cohort (seed 20261124), with a hypotension episode in its first 2 h so
  // that the raw risk takes values the map changes.
  twin::cohort::CohortSettings cohort;
  cohort.patients = 6;
  cohort.duration = 2h;
  cohort.seed = 20261124;
  const auto patients = twin::cohort::generate_hypotension_cohort(cohort);
  const auto with_episode = std::find_if(patients.begin(), patients.end(),
                                         [](const auto& p) { return !p.episodes.empty(); });
  ASSERT_NE(with_episode, patients.end());
  const auto& patient = *with_episode;
  {
    MllpTestClient mllp(static_cast<std::uint16_t>(std::stoi(match[1])));
    std::size_t next_co = 0;
    int control = 0;
    for (const auto& s : patient.samples) {
      while (next_co < patient.cardiac_output.size() &&
             patient.cardiac_output[next_co].time <= s.time) {
        const auto& co = patient.cardiac_output[next_co++];
        ASSERT_EQ(mllp.ack_code(oru(++control, co.time,
                                    fmt::format("OBX|1|NM|8741-1^CO^LN||{:.4f}|L/min|||||F",
                                                co.cardiac_output_m3_per_s * 6e4))),
                  "AA");
      }
      ASSERT_EQ(mllp.ack_code(oru(++control, s.time,
                                  fmt::format("OBX|1|NM|8478-0^MAP^LN||{:.2f}|mm[Hg]|||||F",
                                              s.mean_arterial_pressure_pa / units::kPaPerMmHg))),
                "AA");
    }
  }
  // One RiskAssessment per 60 s of the patient's time; the last ones may still be in the
  // output queue when the last ACK leaves.
  const auto subject = "Patient/" + ingest::hl7v2::patient_id_of("HOSP", "p1");
  const auto expected =
      static_cast<std::size_t>(std::chrono::duration_cast<std::chrono::minutes>(
                                   patient.samples.back().time - patient.samples.front().time)
                                   .count());
  auto facade = client_of(*origin + "/fhir");
  std::vector<nlohmann::json> assessments;
  const auto deadline = std::chrono::steady_clock::now() + kArrivalLimit;
  while (
      (assessments = facade.search_all("RiskAssessment", {{"subject", subject}}).matches).size() <
      expected * 9 / 10) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << assessments.size() << " of about " << expected << "\n"
        << serve.output();
    std::this_thread::sleep_for(200ms);
  }

  std::size_t predictions = 0;
  std::size_t changed_by_the_map = 0;
  for (const auto& ra : assessments) {
    const auto* model =
        extension(ra, "https://ptwin.dev/fhir/StructureDefinition/model-provenance");
    ASSERT_NE(model, nullptr) << ra.dump(2);
    const auto* recalibration_digest = part(*model, "recalibrationDigest");
    ASSERT_NE(recalibration_digest, nullptr) << ra.dump(2);
    EXPECT_EQ((*recalibration_digest)["valueString"], digest);
    ASSERT_EQ(ra["prediction"].size(), 2U);
    for (std::size_t k = 0; k < 2; ++k) {
      const auto& prediction = ra["prediction"][k];
      const auto* r =
          extension(prediction, "https://ptwin.dev/fhir/StructureDefinition/risk-recalibration");
      ASSERT_NE(r, nullptr) << prediction.dump(2);
      EXPECT_EQ((*part(*r, "method"))["valueCode"], "isotonic");
      const double raw = (*part(*r, "rawProbability"))["valueDecimal"].get<double>();
      const double probability = prediction["probabilityDecimal"].get<double>();
      // maps[k] is the 5 min (k = 0) and the 15 min map, as fitted in that order.
      const double mapped = maps[k].map.apply(raw);
      // probabilityDecimal is rounded to 4 decimals (risk_assessment_writer.cpp).
      EXPECT_NEAR(probability, mapped, 0.5e-4 + 1e-12) << "raw " << raw;
      if (std::abs(mapped - raw) > 1e-3) ++changed_by_the_map;
      ++predictions;
    }
  }
  std::printf("%zu RiskAssessments, %zu predictions, %zu changed by more than 0.001 by the map\n",
              assessments.size(), predictions, changed_by_the_map);
  // Without this the comparison above could pass with the map never applied.
  EXPECT_GT(changed_by_the_map, predictions / 10);

  const auto model = nlohmann::json::parse(
      client_of(*origin).fetch(*origin + "/api/model", "application/json").body);
  EXPECT_EQ(model["recalibration"]["digest"], digest);
  EXPECT_EQ(model["recalibration"]["maps"], "isotonic 300 s, isotonic 900 s");
  EXPECT_EQ(WEXITSTATUS(serve.stop(SIGTERM)), 0) << serve.output();
}

TEST_F(ServeRecalibration, AMapFittedForAnotherModelStopsServeNamingTheField) {
  fit_maps("platt");  // on the default model: the UKF's raw risk
  write_twin_yaml("filter: enkf, recalibration: maps.json");
  ChildProcess serve({PTWIN_EXECUTABLE, "serve", (dir_ / "twin.yaml").string()},
                     dir_ / "serve.log");
  const auto status = serve.wait_for_exit(kStartupLimit);
  ASSERT_TRUE(status) << serve.output();
  EXPECT_NE(WEXITSTATUS(*status), 0);
  const auto output = serve.output();
  EXPECT_NE(output.find("maps.json.model.settings_digest"), std::string::npos) << output;
  EXPECT_NE(output.find("is not the served model's"), std::string::npos) << output;
  EXPECT_EQ(output.find("HTTP at"), std::string::npos) << output;
}

}  // namespace
}  // namespace ptwin::testing
