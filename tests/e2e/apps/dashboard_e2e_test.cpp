// SPDX-License-Identifier: Apache-2.0
// The web dashboard end to end, as a user sees it: `ptwin serve` with an MQTT feed against the
// harness's mosquitto (skipped without it: run under scripts/with_mosquitto.sh), a monitor
// publishing 14 minutes of a patient whose mean arterial pressure falls from 82 to 58 mmHg
// (heart rate rising, cardiac output every 2 min) beside a patient steady at 85 mmHg, and then
// headless Chromium driven by web/dashboard/e2e/dashboard.e2e.mjs (playwright-core): the patient is
// listed with the API's risk, the charts draw as many points as the API returns, the forecasts
// match, and Acknowledge snoozes the open alert and is written to the alert's DetectedIssue on
// serve's FHIR facade (serve.fhir_outputs) as a mitigation, of which a Subscription on that
// facade is notified. Then the same browser checks on `ptwin demo`
// (the shipped recording replayed at once), with Snooze (5 min) instead of Acknowledge. Screenshots are kept in <build>/Testing/artifacts/dashboard_e2e/ and
// demo_dashboard_e2e/.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "integration/ingest/mqtt_test_publisher.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/ingest/mqtt/subscriber_settings.hpp"
#include "support/child_process.hpp"
#include "support/http_test_server.hpp"
#include "support/serve_process.hpp"

namespace ptwin::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kStartupLimit = 20s;   // a hang, not a timing: startup takes well under a second
constexpr auto kBrowserLimit = 120s;  // the browser run takes a few seconds
constexpr int kMinutes = 14;
constexpr std::string_view kPatient = "bed7";
constexpr std::string_view kSteadyPatient = "bed8";

struct HttpAnswer {
  long status = 0;
  std::string body;
};

HttpAnswer get(const std::string& origin, const std::string& path) {
  ingest::fhir::FhirClientSettings settings;
  settings.base_url = origin;
  settings.timeout = 5s;
  ingest::fhir::FhirClient client(settings);
  const auto response = client.fetch(origin + path, "*/*");
  return {response.status, response.body};
}

nlohmann::json get_json(const std::string& origin, const std::string& path) {
  const auto answer = get(origin, path);
  EXPECT_EQ(answer.status, 200) << path << ": " << answer.body;
  return nlohmann::json::parse(answer.body);
}

double metric(const std::string& text, const std::string& series) {
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

// MAP in mmHg at minute m of the stream: stable, then a fall of 24 mmHg over 10 minutes.
double map_mmhg(double minute) { return minute < 4 ? 82.0 : 82.0 - 2.4 * (minute - 4); }

std::string chunk(std::string_view quantity, std::string_view unit,
                  const std::vector<double>& values, int interval_ms, std::int64_t t_ms,
                  std::string_view patient = kPatient) {
  nlohmann::json message{{"device", patient == kPatient ? "mon-7" : "mon-8"},
                         {"patient", patient},
                         {"quantity", quantity},
                         {"unit", unit},
                         {"values", values},
                         {"interval_ms", interval_ms},
                         {"t", t_ms}};
  return message.dump();
}

// Runs web/dashboard/e2e/dashboard.e2e.mjs in headless Chromium against `origin`; fails the test
// unless every check passes and the screenshots are written to `artifacts`.
void run_browser(const std::string& origin, const std::string& patient,
                 const std::filesystem::path& artifacts, const std::filesystem::path& work_dir,
                 const std::string& action) {
  std::filesystem::remove_all(artifacts);
  ChildProcess browser(
      {PTWIN_NODE_EXECUTABLE, PTWIN_SOURCE_DIR "/web/dashboard/e2e/dashboard.e2e.mjs", "--origin",
       origin, "--patient", patient, "--out", artifacts.string(), "--action", action},
      work_dir / "browser.log");
  const auto status = browser.wait_for_exit(kBrowserLimit);
  const auto output = browser.output();
  std::cout << output;
  ASSERT_TRUE(status) << "the browser run did not end in " << kBrowserLimit.count() << " s:\n"
                      << output;
  ASSERT_TRUE(WIFEXITED(*status)) << output;
  EXPECT_EQ(WEXITSTATUS(*status), 0) << output;
  for (const char* shot : {"list.png", "patient.png", "acknowledged.png"}) {
    const auto file = artifacts / shot;
    ASSERT_TRUE(std::filesystem::exists(file)) << file;
    EXPECT_GT(std::filesystem::file_size(file), 10'000U) << file;  // a page, not a blank
  }
}

// What the browser needs: Chromium and the built assets.
void expect_browser_prerequisites() {
  const char* chromium = std::getenv("PTWIN_CHROMIUM");
  const std::string path = chromium != nullptr ? chromium : "/usr/bin/chromium";
  ASSERT_TRUE(std::filesystem::exists(path))
      << "no Chromium at " << path << ": install Debian's chromium (scripts/install_deps.sh) "
      << "or set PTWIN_CHROMIUM";
  ASSERT_TRUE(std::filesystem::exists(std::filesystem::path(PTWIN_DASHBOARD_DIR) / "index.html"))
      << "the dashboard is not built in " << PTWIN_DASHBOARD_DIR << " (ninja dashboard)";
}

class DashboardEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("PTWIN_TEST_MQTT_URL");
    if (url == nullptr) {
      if (std::getenv("CI") != nullptr) FAIL() << "PTWIN_TEST_MQTT_URL is not set under CI: run under scripts/with_mosquitto.sh";
      GTEST_SKIP() << "PTWIN_TEST_MQTT_URL is not set: run under scripts/with_mosquitto.sh "
                      "(scripts/test.sh does)";
    }
    broker_ = ingest::mqtt::parse_broker_url(url, "PTWIN_TEST_MQTT_URL");
    expect_browser_prerequisites();
    if (HasFatalFailure()) return;
    unique_ = fmt::format("dashboard-e2e-{}-{}", ::getpid(), std::random_device{}() % 100000);
    dir_ = std::filesystem::temp_directory_path() / unique_;
    std::filesystem::create_directories(dir_);
    artifacts_ =
        std::filesystem::path(PTWIN_BINARY_DIR) / "Testing" / "artifacts" / "dashboard_e2e";
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  [[nodiscard]] std::string twin_yaml() const {
    return serve_twin_yaml("dashboard_e2e",
                           "feeds:\n" +
                               mqtt_feed_yaml(broker_.host, broker_.port, unique_,
                                              fmt::format("ptwin-test/{}/+/vitals", unique_)) +
                               "serve:\n  port: 0\n  fhir_outputs: {database: outputs.db}\n");
  }

  // Publishes the deterioration; returns the number of messages.
  [[nodiscard]] int publish_deterioration() const {
    ingest::mqtt::testing::TestPublisher publisher(broker_.host, broker_.port, "pub-" + unique_);
    const auto topic = fmt::format("ptwin-test/{}/mon-7/vitals", unique_);
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const std::int64_t start_ms = now_ms - kMinutes * 60'000;
    int messages = 0;
    for (int minute = 0; minute < kMinutes; ++minute) {
      const std::int64_t t_ms = start_ms + minute * 60'000;
      std::vector<double> map;
      std::vector<double> heart_rate;
      for (int k = 0; k < 6; ++k) {  // every 10 s
        map.push_back(map_mmhg(minute + k / 6.0));
        heart_rate.push_back(78.0 + 2.0 * std::max(0.0, minute + k / 6.0 - 4));
      }
      publisher.publish(topic, chunk("mean_pressure", "mm[Hg]", map, 10'000, t_ms), 1);
      // A second patient on another monitor stays at 85 mmHg: listed, low risk, no alert.
      publisher.publish(topic,
                        chunk("mean_pressure", "mm[Hg]", std::vector<double>(6, 85.0), 10'000, t_ms,
                              kSteadyPatient),
                        1);
      ++messages;
      publisher.publish(topic, chunk("heart_rate", "/min", heart_rate, 10'000, t_ms), 1);
      messages += 2;
      if (minute % 2 == 0) {
        publisher.publish(
            topic, chunk("cardiac_output", "L/min", {5.2 - 0.05 * minute}, 1000, t_ms + 5000), 1);
        ++messages;
      }
    }
    publisher.wait_until_delivered();
    return messages;
  }

  ingest::mqtt::BrokerAddress broker_;
  std::string unique_;
  std::filesystem::path dir_;
  std::filesystem::path artifacts_;
};

TEST_F(DashboardEndToEnd, BrowserShowsTheTwinsRiskChartsAndAcknowledgesTheAlert) {
  { std::ofstream(dir_ / "twin.yaml") << twin_yaml(); }
  ChildProcess serve({PTWIN_EXECUTABLE, "serve", (dir_ / "twin.yaml").string()},
                     dir_ / "serve.log");
  const auto served_at = wait_for_serve_origin(serve, kStartupLimit);
  ASSERT_TRUE(served_at) << serve.output();
  const std::string origin = *served_at;
  EXPECT_NE(serve.output().find("ptwin serve: dashboard at " + origin + "/dashboard/"),
            std::string::npos)
      << serve.output();

  ASSERT_TRUE(wait_until_mqtt_subscribed(origin, kStartupLimit)) << "MQTT never subscribed";
  // A listener subscribed on serve's facade to DetectedIssue creates and updates (rest-hook,
  // full resources): the acknowledgement must reach it like any output.
  std::mutex mutex;
  std::vector<nlohmann::json> notifications;
  HttpTestServer listener([&](const HttpRequest& request) {
    const std::lock_guard lock(mutex);
    notifications.push_back(nlohmann::json::parse(request.body));
    return HttpResponse{};
  });
  ingest::fhir::FhirClientSettings facade_settings;
  facade_settings.base_url = origin + "/fhir";
  facade_settings.timeout = 10s;
  ingest::fhir::FhirClient facade(facade_settings);
  const std::string topic = "http://ptwin.test/SubscriptionTopic/alerts";
  (void)facade.create(
      {{"resourceType", "SubscriptionTopic"},
       {"url", topic},
       {"status", "active"},
       {"resourceTrigger",
        {{{"resource", "DetectedIssue"}, {"supportedInteraction", {"create", "update"}}}}}});
  const auto subscription = facade.create({{"resourceType", "Subscription"},
                                           {"status", "requested"},
                                           {"topic", topic},
                                           {"channelType", {{"code", "rest-hook"}}},
                                           {"endpoint", listener.origin() + "/hook"},
                                           {"content", "full-resource"}});
  const auto active_deadline = std::chrono::steady_clock::now() + kStartupLimit;
  while (facade.read("Subscription", subscription["id"].get<std::string>())["status"] != "active") {
    ASSERT_LT(std::chrono::steady_clock::now(), active_deadline);
    std::this_thread::sleep_for(20ms);
  }
  const int messages = publish_deterioration();
  const auto stored_deadline = std::chrono::steady_clock::now() + kStartupLimit;
  while (true) {
    const auto metrics = get(origin, "/metrics").body;
    if (metric(metrics, R"(ptwin_feed_accepted_total{feed="mqtt"})") == messages &&
        metric(metrics, R"(ptwin_feed_pending{feed="mqtt"})") == 0) {
      break;
    }
    ASSERT_LT(std::chrono::steady_clock::now(), stored_deadline) << metrics << serve.output();
    std::this_thread::sleep_for(50ms);
  }

  // What the page must show, from the API: the falling MAP has made the twin's risk high and
  // raised one alert.
  const auto patients = get_json(origin, "/api/patients")["patients"];
  ASSERT_EQ(patients.size(), 2U) << patients.dump();
  EXPECT_EQ(patients[0]["id"], kPatient);
  EXPECT_EQ(patients[1]["id"], kSteadyPatient);
  EXPECT_LT(patients[1]["risk"]["in_15_min"].get<double>(), 0.3) << patients.dump();
  EXPECT_EQ(patients[1]["risk"]["band"], "low");
  EXPECT_EQ(patients[1]["open_alerts"], 0);
  EXPECT_GE(patients[0]["risk"]["in_15_min"].get<double>(), 0.5) << patients.dump();
  EXPECT_EQ(patients[0]["risk"]["band"], "high");
  EXPECT_EQ(patients[0]["open_alerts"], 1);
  const auto vitals = get_json(origin, fmt::format("/api/patients/{}/vitals", kPatient));
  EXPECT_EQ(vitals["series"]["map"]["samples"].size(), 6U * kMinutes);
  EXPECT_EQ(vitals["series"]["heart_rate"]["samples"].size(), 6U * kMinutes);
  EXPECT_EQ(vitals["estimate"]["points"].size(),
            patients[0]["samples"]["assimilated"].get<std::size_t>() +
                patients[0]["samples"]["gated"].get<std::size_t>());
  const auto last_map = vitals["series"]["map"]["samples"].back()["v"].get<double>();
  EXPECT_NEAR(last_map, map_mmhg(kMinutes - 1.0 / 6.0), 1e-9);  // mmHg, exact up to the conversion

  // The browser.
  run_browser(origin, std::string(kPatient), artifacts_, dir_, "acknowledge");

  // The click went through to the server.
  const auto alerts = get_json(origin, fmt::format("/api/alerts?patient={}", kPatient))["alerts"];
  ASSERT_EQ(alerts.size(), 1U);
  EXPECT_EQ(alerts[0]["state"], "snoozed");
  EXPECT_EQ(alerts[0]["last_event"], "acknowledged");

  // And to the EHR side: the alert's DetectedIssue on serve's facade is updated with the
  // acknowledgement as a mitigation (R5 DetectedIssue.mitigation: action, date, author).
  const std::string issue = alerts[0]["detected_issue"];
  ASSERT_TRUE(issue.starts_with("DetectedIssue/")) << issue;
  nlohmann::json written;
  const auto written_deadline = std::chrono::steady_clock::now() + kStartupLimit;
  while (!(written = get_json(origin, "/fhir/" + issue)).contains("mitigation")) {
    ASSERT_LT(std::chrono::steady_clock::now(), written_deadline) << written.dump(2);
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(written["status"], "final");
  ASSERT_EQ(written["mitigation"].size(), 1U) << written.dump(2);
  const auto& mitigation = written["mitigation"][0];
  EXPECT_EQ(mitigation["action"]["coding"][0]["code"], "alert-acknowledged");
  EXPECT_EQ(mitigation["author"]["display"], alerts[0]["acknowledged_by"]);
  // The click's time; the API gives it in whole milliseconds.
  EXPECT_EQ(time::to_epoch_ns(time::parse_iso8601(mitigation["date"].get<std::string>(),
                                                  std::nullopt, "mitigation.date")) /
                1'000'000,
            alerts[0]["acknowledged_at"].get<std::int64_t>());
  EXPECT_GE(std::stoi(get_json(origin, "/fhir/" + issue)["meta"]["versionId"].get<std::string>()),
            2);  // an update of the raised version
  // The facade's Subscription notified the listener of the acknowledged version.
  const auto is_acknowledged_issue = [&](const nlohmann::json& bundle) {
    for (const auto& entry : bundle.value("entry", nlohmann::json::array())) {
      const auto& r = entry.value("resource", nlohmann::json::object());
      const bool is_issue =
          r.value("resourceType", "") == "DetectedIssue" && r.value("id", "") == issue.substr(14);
      if (is_issue && r.contains("mitigation")) {
        return true;
      }
    }
    return false;
  };
  const auto notified_deadline = std::chrono::steady_clock::now() + kStartupLimit;
  for (;;) {
    {
      const std::lock_guard lock(mutex);
      if (std::any_of(notifications.begin(), notifications.end(), is_acknowledged_issue)) break;
    }
    ASSERT_LT(std::chrono::steady_clock::now(), notified_deadline)
        << notifications.size() << " notifications, none of the acknowledged DetectedIssue";
    std::this_thread::sleep_for(100ms);
  }

  const int exit_status = serve.stop(SIGTERM);
  ASSERT_TRUE(WIFEXITED(exit_status)) << serve.output();
  EXPECT_EQ(WEXITSTATUS(exit_status), 0) << serve.output();
}

// `ptwin demo`: no broker, no server to install; the shipped recording of the demo patient,
// replayed at once (--speed 0), is on the dashboard after the demo's report.
TEST(DemoDashboardEndToEnd, DemoServesTheReplayedTwinInTheBrowser) {
  expect_browser_prerequisites();
  if (::testing::Test::HasFatalFailure()) return;
  const auto dir =
      std::filesystem::temp_directory_path() /
      fmt::format("demo-dashboard-e2e-{}-{}", ::getpid(), std::random_device{}() % 100000);
  std::filesystem::create_directories(dir);
  const std::filesystem::path data = std::filesystem::path(PTWIN_SOURCE_DIR) / "data";
  std::ofstream(dir / "twin.yaml")
      << "twin: {id: demo-dashboard-e2e}\n"
      << "patient: {fhir_bundle: " << (data / "demo/patient_bundle.json").string() << "}\n"
      << "model: {kind: zerod, file: " << (data / "models/regazzoni2022_closed_loop.json").string()
      << "}\nsimulation: {steps_per_cycle: 200, max_cycles: 80}\n"
      << "personalisation:\n  targets: [heart_rate, systolic_pressure, diastolic_pressure, "
         "cardiac_output, ejection_fraction]\n"
      << "  parameters: [systemic_resistance, arterial_compliance, lv_contractility, "
         "blood_volume]\n"
      << "  max_evaluations: 20\n  relative_tolerance: 1.0e-2\n"
      << "store: {path: twin.db}\noutputs: {directory: out}\n";
  // The readable MAP and cardiac-output messages of the recording, counted here.
  std::size_t map_messages = 0;
  std::size_t co_messages = 0;
  std::ifstream recording(data / "demo/monitor_recording.ndjson");
  for (std::string line; std::getline(recording, line);) {
    const auto message = nlohmann::json::parse(line, nullptr, false);
    if (message.is_discarded() || !message.contains("payload")) continue;
    const auto& payload = message["payload"];
    if (payload.value("patient", "") != "synthetic-001" || !payload.contains("value")) continue;
    map_messages += payload.value("quantity", "") == "mean_pressure" ? 1 : 0;
    co_messages += payload.value("quantity", "") == "cardiac_output" ? 1 : 0;
  }
  ChildProcess demo({PTWIN_EXECUTABLE, "demo", "--twin", (dir / "twin.yaml").string(), "--speed",
                     "0", "--port", "0"},
                    dir / "demo.log");
  // After personalising and the replay.
  const auto line = demo.wait_for_line("ptwin demo: replay finished; the dashboard stays at ", 180s);
  ASSERT_TRUE(line) << demo.output();
  std::smatch match;
  const std::string text = *line;
  ASSERT_TRUE(
      std::regex_search(text, match, std::regex("stays at (http://[0-9.:]+)/dashboard/")));
  const std::string origin = match[1];
  const auto patients = get_json(origin, "/api/patients")["patients"];
  ASSERT_EQ(patients.size(), 1U) << patients.dump();
  EXPECT_EQ(patients[0]["id"], "synthetic-001");
  EXPECT_EQ(patients[0]["risk"]["band"], "high");  // the recording ends near 57 mmHg
  EXPECT_EQ(patients[0]["open_alerts"], 1);
  const auto vitals = get_json(origin, "/api/patients/synthetic-001/vitals?since=0");
  EXPECT_EQ(vitals["series"]["map"]["samples"].size(), map_messages);
  EXPECT_EQ(vitals["series"]["cardiac_output"]["samples"].size(), co_messages);
  run_browser(
      origin, "synthetic-001",
      std::filesystem::path(PTWIN_BINARY_DIR) / "Testing" / "artifacts" / "demo_dashboard_e2e",
      dir, "snooze");  // the Snooze button, 5 min
  const int status = demo.stop(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << demo.output();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace ptwin::testing
