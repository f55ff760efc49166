// SPDX-License-Identifier: Apache-2.0
// `ptwin serve` writing the twin's clinical outputs, as a user runs it: a separate process fed
// mean arterial pressure over MQTT (the harness's mosquitto; skipped without it: run under
// scripts/with_mosquitto.sh), with serve.fhir_outputs pointing at a `ptwin fhir-serve` process
// playing the EHR. A verified model's RiskAssessment must arrive at the EHR and be on serve's own
// FHIR facade, with its Device, and a listener subscribed on that facade must be notified; a model
// whose verification record is for other settings must send nothing anywhere, and say so in
// /metrics and /status.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>

#include "integration/ingest/mqtt_test_publisher.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/ingest/mqtt/subscriber_settings.hpp"
#include "support/child_process.hpp"
#include "support/fhir_serve_process.hpp"
#include "support/serve_process.hpp"
#include "support/http_test_server.hpp"

namespace ptwin::testing {
namespace {

using namespace std::chrono_literals;

// Hangs, not timings: start-up runs the model's verification cases (about a second alone, more
// on a loaded machine).
constexpr auto kStartupLimit = 60s;
constexpr auto kArrivalLimit = 30s;

ingest::fhir::FhirClient client_of(const std::string& base) {
  ingest::fhir::FhirClientSettings settings;
  settings.base_url = base;
  settings.timeout = 10s;
  return ingest::fhir::FhirClient(settings);
}

std::string get(const std::string& origin, const std::string& path) {
  return client_of(origin).fetch(origin + path, "*/*").body;
}

double metric(const std::string& text, const std::string& series) {
  std::string line_start(1, '\n');
  line_start.append(series).push_back(' ');
  const auto at = text.find(line_start);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

std::vector<nlohmann::json> search(const std::string& base, const std::string& type) {
  return client_of(base).search_all(type, {{"subject", "Patient/p1"}}).matches;
}

class ServeFhirOutputs : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("PTWIN_TEST_MQTT_URL");
    if (url == nullptr) {
      if (std::getenv("CI") != nullptr) FAIL() << "PTWIN_TEST_MQTT_URL is not set under CI: run under scripts/with_mosquitto.sh";
      GTEST_SKIP() << "PTWIN_TEST_MQTT_URL is not set: run under scripts/with_mosquitto.sh";
    }
    broker_ = ingest::mqtt::parse_broker_url(url, "PTWIN_TEST_MQTT_URL");
    unique_ = fmt::format("outputs-e2e-{}-{}", ::getpid(), std::random_device{}() % 100000);
    dir_ = std::filesystem::temp_directory_path() / unique_;
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  void write_twin_yaml(const std::string& ehr_base, const std::string& extra_output_keys) const {
    std::ofstream(dir_ / "twin.yaml") << serve_twin_yaml(
        "e2e_bed_5",
        "feeds:\n" +
            mqtt_feed_yaml(broker_.host, broker_.port, unique_,
                           fmt::format("ptwin-test/{}/+/vitals", unique_)) +
            fmt::format("serve:\n  port: 0\n  fhir_outputs:\n    ehr_base_url: {}\n"
                        "    database: outputs.db\n    risk_interval_s: 60\n{}",
                        ehr_base, extra_output_keys));
  }

  // Waits for serve's HTTP line and its MQTT subscription; returns serve's origin.
  std::string start(ChildProcess& serve) {
    const auto origin = wait_for_serve_origin(serve, kStartupLimit);
    EXPECT_TRUE(origin) << serve.output();
    if (!origin) return {};
    EXPECT_TRUE(wait_until_mqtt_subscribed(*origin, kStartupLimit)) << "MQTT never subscribed";
    return *origin;
  }

  // Publishes `count` MAP readings of p1, 10 s apart, ending now.
  void feed(int count) {
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    ingest::mqtt::testing::TestPublisher publisher(broker_.host, broker_.port, "pub-" + unique_);
    const auto topic = fmt::format("ptwin-test/{}/mon-3/vitals", unique_);
    for (int i = 0; i < count; ++i) {
      publisher.publish(
          topic,
          fmt::format(R"({{"device":"mon-3","patient":"p1","quantity":"mean_pressure",)"
                      R"("unit":"mm[Hg]","value":{},"t":{}}})",
                      80 - i, now_ms - 10'000 * (count - 1 - i)),
          1);
    }
    publisher.wait_until_delivered();
  }

  // Waits until the twin assimilated `count` samples of p1 (the output stage runs right after).
  void wait_assimilated(const std::string& origin, int count, const ChildProcess& serve) {
    const auto deadline = std::chrono::steady_clock::now() + kArrivalLimit;
    while (metric(get(origin, "/metrics"),
                  R"(ptwin_twin_samples_total{patient="p1",outcome="assimilated"})") < count) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << serve.output();
      std::this_thread::sleep_for(50ms);
    }
  }

  ingest::mqtt::BrokerAddress broker_;
  std::string unique_;
  std::filesystem::path dir_;
};

TEST_F(ServeFhirOutputs, AVerifiedTwinsRiskAssessmentArrivesAtTheEhrAndIsOnItsFacade) {
  FhirServeProcess ehr(PTWIN_EXECUTABLE, dir_ / "ehr.db");
  write_twin_yaml(ehr.base_url(), "");
  ChildProcess serve({PTWIN_EXECUTABLE, "serve", (dir_ / "twin.yaml").string()},
                     dir_ / "serve.log");
  const auto origin = start(serve);
  ASSERT_FALSE(origin.empty());
  EXPECT_NE(serve.output().find("verification passed"), std::string::npos) << serve.output();
  const auto facade = origin + "/fhir";

  // A listener subscribed on serve's facade to RiskAssessment creates (rest-hook).
  std::mutex mutex;
  std::vector<nlohmann::json> received;
  std::promise<void> handshake, notified;
  HttpTestServer listener([&](const HttpRequest& request) {
    const std::lock_guard lock(mutex);
    received.push_back(nlohmann::json::parse(request.body));
    if (received.size() == 1) handshake.set_value();
    if (received.size() == 2) notified.set_value();
    return HttpResponse{};
  });
  auto facade_client = client_of(facade);
  const std::string topic = "http://ptwin.test/SubscriptionTopic/risk";
  (void)facade_client.create(
      {{"resourceType", "SubscriptionTopic"},
       {"url", topic},
       {"status", "active"},
       {"resourceTrigger",
        {{{"resource", "RiskAssessment"}, {"supportedInteraction", {"create", "update"}}}}}});
  const auto subscription = facade_client.create({{"resourceType", "Subscription"},
                                                  {"status", "requested"},
                                                  {"topic", topic},
                                                  {"channelType", {{"code", "rest-hook"}}},
                                                  {"endpoint", listener.origin() + "/hook"},
                                                  {"content", "id-only"}});
  ASSERT_EQ(handshake.get_future().wait_for(kArrivalLimit), std::future_status::ready);
  const auto active_deadline = std::chrono::steady_clock::now() + kArrivalLimit;
  while (facade_client.read("Subscription", subscription["id"].get<std::string>())["status"] !=
         "active") {
    ASSERT_LT(std::chrono::steady_clock::now(), active_deadline);
    std::this_thread::sleep_for(20ms);
  }

  feed(6);
  wait_assimilated(origin, 6, serve);

  // At the EHR: the RiskAssessment (PUT by the poster, retried until it lands) and the Device.
  std::vector<nlohmann::json> at_ehr;
  const auto deadline = std::chrono::steady_clock::now() + kArrivalLimit;
  while ((at_ehr = search(ehr.base_url(), "RiskAssessment")).empty()) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << serve.output();
    std::this_thread::sleep_for(100ms);
  }
  const auto& ra = at_ehr.front();
  EXPECT_EQ(ra["status"], "final");
  EXPECT_EQ(ra["meta"]["tag"][0]["code"], "passed");
  ASSERT_EQ(ra["prediction"].size(), 2u);
  const double p15 = ra["prediction"][1]["probabilityDecimal"].get<double>();
  EXPECT_GE(p15, 0.0);
  EXPECT_LE(p15, 1.0);
  const std::string device = ra["performer"]["reference"];
  ASSERT_TRUE(device.starts_with("Device/"));
  EXPECT_EQ(client_of(ehr.base_url()).read("Device", device.substr(7))["version"][0]["value"],
            "1.1.0");

  // The listener was notified of it by serve's facade.
  ASSERT_EQ(notified.get_future().wait_for(kArrivalLimit), std::future_status::ready);
  {
    const std::lock_guard lock(mutex);
    EXPECT_EQ(received[1]["entry"][1]["fullUrl"],
              facade + "/RiskAssessment/" + ra["id"].get<std::string>());
  }

  // On serve's own facade, under /fhir on its port: the same resource.
  const auto on_facade = client_of(facade).read("RiskAssessment", ra["id"].get<std::string>());
  EXPECT_EQ(on_facade["occurrenceDateTime"], ra["occurrenceDateTime"]);
  EXPECT_EQ(search(facade, "Observation").size() % 2, 0u);  // SVR and CO each time

  const auto metrics = get(origin, "/metrics");
  EXPECT_GE(metric(metrics, R"(ptwin_fhir_outputs_total{type="RiskAssessment"})"), 1);
  EXPECT_EQ(metric(metrics, R"(ptwin_fhir_outputs_result_total{result="withheld"})"), 0);
  EXPECT_GE(metric(metrics, R"(ptwin_stage_latency_seconds_count{feed="all",stage="output"})"), 1);
  EXPECT_EQ(
      metric(
          metrics,
          R"(ptwin_model_may_emit{model="ptwin-hypotension-risk",version="1.1.0",verification="passed"})"),
      1);

  // The output stage's time (stored batch -> resources written to the facade), for the record.
  const auto status = nlohmann::json::parse(get(origin, "/status"));
  RecordProperty("output_latency_p50_s", status["fhir_outputs"]["output_latency"]["p50_s"].dump());
  RecordProperty("output_latency_count", status["fhir_outputs"]["output_latency"]["count"].dump());

  const int exit_status = serve.stop(SIGTERM);
  ASSERT_TRUE(WIFEXITED(exit_status)) << serve.output();
  EXPECT_EQ(WEXITSTATUS(exit_status), 0) << serve.output();
}

TEST_F(ServeFhirOutputs, AModelVerifiedWithOtherSettingsSendsNothing) {
  FhirServeProcess ehr(PTWIN_EXECUTABLE, dir_ / "ehr.db");
  // A passed record, but for another settings digest: the running model is not the one verified.
  std::ofstream(dir_ / "record.json") << R"({
  "format": "ptwin-verification-record/1",
  "model": {"name": "ptwin-hypotension-risk", "version": "1.1.0",
            "settings_digest": "0000000000000000000000000000000000000000000000000000000000000000"},
  "status": "passed",
  "verified_at": "2026-11-24T00:00:00Z",
  "cases": [{"id": "twin.risk.ukf_equals_kalman", "source": "s", "quantity": "q", "norm": "n",
             "observed": 1e-12, "lower": 0, "upper": 1e-8, "tolerance_reason": "r"}]
})";
  write_twin_yaml(ehr.base_url(), "    verification_record: record.json");
  ChildProcess serve({PTWIN_EXECUTABLE, "serve", (dir_ / "twin.yaml").string()},
                     dir_ / "serve.log");
  const auto origin = start(serve);
  ASSERT_FALSE(origin.empty());
  EXPECT_NE(serve.output().find("outputs WITHHELD"), std::string::npos) << serve.output();
  feed(6);
  wait_assimilated(origin, 6, serve);

  const auto metrics = get(origin, "/metrics");
  EXPECT_GT(metric(metrics, R"(ptwin_fhir_outputs_result_total{result="withheld"})"), 0);
  EXPECT_EQ(metric(metrics, R"(ptwin_fhir_outputs_result_total{result="written"})"), 0);
  EXPECT_EQ(metric(metrics, R"(ptwin_fhir_outputs_result_total{result="posted"})"), 0);
  const auto status = nlohmann::json::parse(get(origin, "/status"));
  EXPECT_EQ(status["fhir_outputs"]["gate"]["verdict"], "digest-mismatch");
  EXPECT_NE(status["fhir_outputs"]["gate"]["reason"].get<std::string>().find("000000000000"),
            std::string::npos);
  EXPECT_TRUE(search(ehr.base_url(), "RiskAssessment").empty());
  EXPECT_TRUE(search(origin + "/fhir", "RiskAssessment").empty());
  EXPECT_TRUE(client_of(ehr.base_url()).search_all("Device", {}).matches.empty());

  const int exit_status = serve.stop(SIGTERM);
  ASSERT_TRUE(WIFEXITED(exit_status)) << serve.output();
  EXPECT_EQ(WEXITSTATUS(exit_status), 0) << serve.output();
}

}  // namespace
}  // namespace ptwin::testing
