// SPDX-License-Identifier: Apache-2.0
// End to end: `ptwin demo` replays the shipped recording (data/demo/monitor_recording.ndjson)
// into the live twin and the dashboard. The summary is checked against the recording itself,
// read here with nothing but a JSON parser: the hypotension onset (MAP < 65 mmHg held for 60 s)
// found in the file, an alert raised before it, lines = accepted + quarantined with the store
// holding exactly those, and the final MAP estimate near the last recorded MAP. A second run
// without --exit-after-replay keeps the dashboard serving the replayed twin until SIGTERM.

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ptwin/core/time.hpp"
#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "support/child_process.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using json = nlohmann::json;

const fs::path kRecording = fs::path(PTWIN_SOURCE_DIR) / "data/demo/monitor_recording.ndjson";
constexpr double kSpeed = 1200.0;  // the hour of the recording in 3 s

// What the test reads from the recording on its own.
struct RecordedFacts {
  std::size_t lines = 0;  // after the header
  std::string patient;
  std::vector<std::pair<std::int64_t, double>> map;  // (t ms, mmHg) of readable MAP messages
  std::optional<std::int64_t> onset_ms;              // MAP < 65 for >= 60 s starts here
};

RecordedFacts read_facts() {
  RecordedFacts facts;
  std::ifstream in(kRecording);
  std::string line;
  std::getline(in, line);
  facts.patient = json::parse(line).at("patient").get<std::string>();
  while (std::getline(in, line)) {
    ++facts.lines;
    const auto message = json::parse(line, nullptr, false);
    if (message.is_discarded()) continue;
    const auto& payload = message.at("payload");
    if (payload.value("quantity", "") == "mean_pressure" && payload.value("unit", "") == "mm[Hg]" &&
        payload.value("patient", "") == facts.patient) {
      facts.map.emplace_back(payload.at("t").get<std::int64_t>(), payload.at("value").get<double>());
    }
  }
  std::sort(facts.map.begin(), facts.map.end());
  // The first run below 65 mmHg that lasts 60 s with no gap over 10 s (Hatib et al. 2018).
  std::optional<std::int64_t> run_start;
  std::int64_t previous = 0;
  for (const auto& [t, value] : facts.map) {
    if (run_start && t - previous > 10'000) run_start.reset();
    if (value < 65.0) {
      if (!run_start) run_start = t;
      if (t - *run_start >= 60'000) {
        facts.onset_ms = *run_start;
        break;
      }
    } else {
      run_start.reset();
    }
    previous = t;
  }
  return facts;
}

std::int64_t epoch_ms(const json& iso_text) {
  return ptwin::time::to_epoch_ns(ptwin::time::parse_iso8601(iso_text.get<std::string>())) /
         1'000'000;
}

class DemoReplayEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ptwin_demo_replay_e2e_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const fs::path data = fs::path(PTWIN_SOURCE_DIR) / "data";
    // Few evaluations: this test is about the replay, not the fit.
    std::ofstream(dir_ / "twin.yaml")
        << "twin: {id: demo-replay-e2e}\n"
        << "patient: {fhir_bundle: " << (data / "demo/patient_bundle.json").string() << "}\n"
        << "model: {kind: zerod, file: " << (data / "models/regazzoni2022_closed_loop.json").string()
        << "}\nsimulation: {steps_per_cycle: 200, max_cycles: 80}\n"
        << "personalisation:\n  targets: [heart_rate, systolic_pressure, diastolic_pressure, "
           "cardiac_output, ejection_fraction]\n"
        << "  parameters: [systemic_resistance, arterial_compliance, lv_contractility, "
           "blood_volume]\n"
        << "  max_evaluations: 5\n  relative_tolerance: 1.0e-2\n"
        << "store: {path: twin.db}\noutputs: {directory: out}\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::vector<std::string> demo_arguments() const {
    return {PTWIN_EXECUTABLE, "demo", "--twin", (dir_ / "twin.yaml").string(), "--speed",
            std::to_string(kSpeed), "--port", "0"};
  }
  fs::path dir_;
};

TEST_F(DemoReplayEndToEnd, SummaryAgreesWithTheRecording) {
  const auto facts = read_facts();
  ASSERT_TRUE(facts.onset_ms) << "the shipped recording holds no hypotension episode";
  auto arguments = demo_arguments();
  arguments.emplace_back("--exit-after-replay");
  ptwin::testing::ChildProcess demo(arguments, dir_ / "demo.log");
  const auto status = demo.wait_for_exit(60s);
  const auto output = demo.output();
  ASSERT_TRUE(status) << "still running after 60 s:\n" << output;
  ASSERT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << output;
  EXPECT_NE(output.find("ptwin demo: dashboard"), std::string::npos) << output;  // the URL hint
  EXPECT_NE(output.find("replay finished; exiting"), std::string::npos) << output;

  std::ifstream summary_file(dir_ / "out/replay_summary.json");
  const auto summary = json::parse(summary_file);
  EXPECT_EQ(summary["patient"], facts.patient);
  EXPECT_EQ(summary["complete"], true);
  EXPECT_EQ(summary["lines"].get<std::size_t>(), facts.lines);
  EXPECT_EQ(summary["messages_accepted"].get<std::size_t>() +
                summary["quarantined"].get<std::size_t>(),
            facts.lines);
  EXPECT_GT(summary["quarantined"].get<std::size_t>(), 0U);

  // The store holds what the summary counts, and each quarantined entry is a line of the file.
  ptwin::store::SqliteStore db(dir_ / "out/dashboard_replay.db");
  EXPECT_EQ(static_cast<std::size_t>(db.count_samples()),
            summary["samples_stored"].get<std::size_t>());
  ASSERT_EQ(static_cast<std::size_t>(db.count_quarantined()),
            summary["quarantined"].get<std::size_t>());
  std::ifstream file(kRecording);
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  for (const auto& record : db.quarantined("monitor_recording.ndjson:")) {
    EXPECT_NE(text.find(record.entry.raw_bytes + "\n"), std::string::npos) << record.entry.source;
  }

  // The episode is the one in the file, and the first alert came before its onset.
  ASSERT_EQ(summary["episode"]["found"], true) << summary.dump(2);
  EXPECT_EQ(epoch_ms(summary["episode"]["onset"]), *facts.onset_ms);
  ASSERT_FALSE(summary["alerts"].empty()) << summary.dump(2);
  const auto raised_ms = epoch_ms(summary["alerts"][0]["raised_at"]);
  EXPECT_LT(raised_ms, *facts.onset_ms);
  EXPECT_GT(raised_ms, facts.map.front().first);
  EXPECT_NEAR(summary["first_alert_lead_s"].get<double>(),
              static_cast<double>(*facts.onset_ms - raised_ms) / 1000.0, 1e-3);
  EXPECT_NE(output.find(fmt::format("first alert {:.0f} s before the episode's onset",
                                    summary["first_alert_lead_s"].get<double>())),
            std::string::npos)
      << output;

  // The final estimate: ordered quantiles, the median within the last minute's recorded range.
  const auto& map = summary["final"]["map_mmhg"];
  EXPECT_LT(map["p05"].get<double>(), map["p50"].get<double>());
  EXPECT_LT(map["p50"].get<double>(), map["p95"].get<double>());
  double lowest = 1e9;
  double highest = -1e9;
  for (auto it = facts.map.end() - 12; it != facts.map.end(); ++it) {
    lowest = std::min(lowest, it->second);
    highest = std::max(highest, it->second);
  }
  EXPECT_GE(map["p50"].get<double>(), lowest) << map.dump();
  EXPECT_LE(map["p50"].get<double>(), highest) << map.dump();
  EXPECT_EQ(epoch_ms(summary["final"]["time"]), facts.map.back().first);
}

TEST_F(DemoReplayEndToEnd, DashboardStaysUpAfterTheReplayUntilSigterm) {
  ptwin::testing::ChildProcess demo(demo_arguments(), dir_ / "demo.log");
  const auto line = demo.wait_for_line("ptwin demo: replay finished; the dashboard stays at ", 60s);
  ASSERT_TRUE(line) << demo.output();
  std::smatch match;
  const std::string text = *line;
  ASSERT_TRUE(std::regex_search(text, match, std::regex("stays at (http://[0-9.:]+)/dashboard/")))
      << text;
  ptwin::ingest::fhir::FhirClientSettings settings;
  settings.base_url = match[1];
  settings.timeout = 5s;
  ptwin::ingest::fhir::FhirClient client(settings);
  const auto answer = client.fetch(std::string(match[1]) + "/api/patients", "*/*");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto patients = json::parse(answer.body)["patients"];
  ASSERT_EQ(patients.size(), 1U) << patients.dump();
  EXPECT_EQ(patients[0]["id"], read_facts().patient);
  EXPECT_GE(patients[0]["open_alerts"].get<int>(), 1);
  const int status = demo.stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << demo.output();
}

TEST_F(DemoReplayEndToEnd, ABadRecordingStopsTheDemoBeforeTheFitNamingLineAndField) {
  const auto run = [&](const std::string& header) {
    std::ofstream(dir_ / "bad.ndjson") << header << "\n";
    auto arguments = demo_arguments();
    arguments.insert(arguments.end(),
                     {"--exit-after-replay", "--recording", (dir_ / "bad.ndjson").string()});
    ptwin::testing::ChildProcess demo(arguments, dir_ / "bad.log");
    const auto status = demo.wait_for_exit(30s);
    EXPECT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) != 0) << demo.output();
    return demo.output();
  };
  const auto version = run(R"({"format":"ptwin-mqtt-recording","version":2,"patient":"p1",)"
                           R"("synthetic":true})");
  EXPECT_NE(version.find("bad.ndjson:1: version: '2'"), std::string::npos) << version;
  EXPECT_EQ(version.find("personalising"), std::string::npos) << version;
  const auto other = run(R"({"format":"ptwin-mqtt-recording","version":1,"patient":"p1",)"
                         R"("synthetic":true})");
  EXPECT_NE(other.find(":1: patient: 'p1' is not the demo's patient 'synthetic-001'"),
            std::string::npos)
      << other;
}

}  // namespace
