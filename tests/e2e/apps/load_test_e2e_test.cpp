// SPDX-License-Identifier: Apache-2.0
// `ptwin load-test` against a running `ptwin serve`, both separate processes on 127.0.0.1:
// Tier A through the harness's mosquitto (skipped without it: run under
// scripts/with_mosquitto.sh), Tier B through a `ptwin fhir-serve` EHR whose Subscription
// notifies serve. The load is small and bounded; what is checked is that every input of the
// load is accounted for in serve and in the report, and that each stage reports as many
// values as the load produced, not how fast anything was (the figures are in
// docs/benchmarks.md).

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>

#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/ingest/mqtt/subscriber_settings.hpp"
#include "support/child_process.hpp"
#include "support/fhir_serve_process.hpp"
#include "support/serve_process.hpp"

namespace ptwin::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kStartupLimit = 20s;  // a hang, not a timing
constexpr std::string_view kTopic = "http://ptwin.test/SubscriptionTopic/observation";

class LoadTestEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    unique_ = fmt::format("load-e2e-{}-{}", ::getpid(), std::random_device{}() % 100000);
    dir_ = std::filesystem::temp_directory_path() / unique_;
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Starts serve with `feeds` (YAML under feeds:) and returns its endpoint origin.
  std::string start_serve(const std::string& feeds) {
    { std::ofstream(dir_ / "twin.yaml") << serve_twin_yaml("load_bed", "feeds:\n" + feeds + "serve: {port: 0}\n"); }
    serve_.emplace(std::vector<std::string>{PTWIN_EXECUTABLE, "serve", (dir_ / "twin.yaml").string()},
                   dir_ / "serve.log");
    const auto origin = wait_for_serve_origin(*serve_, kStartupLimit);
    EXPECT_TRUE(origin) << serve_->output();
    return origin.value_or("");
  }

  // Runs the load test to its end and returns its JSON report.
  nlohmann::json run_load_test(const std::string& arguments) {
    const auto report = dir_ / "report.json";
    const auto log = dir_ / "load.log";
    const auto command = fmt::format("{} load-test {} --json {} > {} 2>&1", PTWIN_EXECUTABLE,
                                     arguments, report.string(), log.string());
    const int status = std::system(command.c_str());
    std::ifstream log_file(log);
    const std::string output((std::istreambuf_iterator<char>(log_file)), {});
    EXPECT_EQ(status, 0) << command << "\n" << output << "\nserve:\n" << serve_->output();
    std::ifstream file(report);
    return file ? nlohmann::json::parse(file) : nlohmann::json();
  }

  static const nlohmann::json* stage(const nlohmann::json& report, std::string_view feed,
                                     std::string_view name) {
    for (const auto& s : report.at("stages")) {
      if (s.at("feed") == feed && s.at("stage") == name) return &s;
    }
    return nullptr;
  }

  static void expect_load_accounted_for(const nlohmann::json& report, std::string_view feed,
                                        int inputs) {
    ASSERT_TRUE(report.is_object());
    const auto& counts = report.at("serve_counts");
    // One sample per input of the load; an MQTT message is one input, a notification Bundle
    // may carry several Observations.
    EXPECT_EQ(counts.at("samples_stored").get<double>(), inputs);
    EXPECT_GE(counts.at("received").get<double>(), 1.0);
    EXPECT_LE(counts.at("received").get<double>(), inputs);
    EXPECT_EQ(counts.at("accepted").get<double>(), counts.at("received").get<double>());
    EXPECT_EQ(counts.at("quarantined").get<double>(), 0.0);
    const auto* ingest = stage(report, feed, "ingest");
    ASSERT_NE(ingest, nullptr) << report.dump(2);
    EXPECT_EQ(ingest->at("count").get<double>(), counts.at("accepted").get<double>());
    const auto* transport = stage(report, feed, "transport");
    ASSERT_NE(transport, nullptr) << report.dump(2);
    EXPECT_EQ(transport->at("count").get<double>(), counts.at("accepted").get<double>());
    for (const auto& s : report.at("stages")) {
      EXPECT_LE(s.at("p50_s").get<double>(), s.at("p99_s").get<double>()) << s.dump();
      EXPECT_GE(s.at("p50_s").get<double>(), 0.0) << s.dump();
    }
    EXPECT_NE(stage(report, "all", "inference"), nullptr) << report.dump(2);
  }

  static ingest::fhir::FhirClientSettings client_settings(const std::string& base_url) {
    ingest::fhir::FhirClientSettings settings;
    settings.base_url = base_url;
    return settings;
  }

  std::string unique_;
  std::filesystem::path dir_;
  std::optional<ChildProcess> serve_;
};

TEST_F(LoadTestEndToEnd, TierAThroughMqttAccountsForEveryMessage) {
  const char* url = std::getenv("PTWIN_TEST_MQTT_URL");
  if (url == nullptr) {
    if (std::getenv("CI") != nullptr) FAIL() << "PTWIN_TEST_MQTT_URL is not set under CI: run under scripts/with_mosquitto.sh";
    GTEST_SKIP() << "PTWIN_TEST_MQTT_URL is not set: run under scripts/with_mosquitto.sh "
                    "(scripts/test.sh does)";
  }
  const auto broker = ingest::mqtt::parse_broker_url(url, "PTWIN_TEST_MQTT_URL");
  const auto topic = fmt::format("ptwin-test/{}/vitals", unique_);
  const auto origin =
      start_serve(mqtt_feed_yaml(broker.host, broker.port, unique_, topic));
  ASSERT_TRUE(wait_until_mqtt_subscribed(origin, kStartupLimit)) << "MQTT never subscribed";
  constexpr int kInputs = 240;
  const auto report = run_load_test(fmt::format(
      "--feed mqtt --serve {} --broker {}:{} --topic {} --patients 4 --rate 400 --count {}",
      origin, broker.host, broker.port, topic, kInputs));
  expect_load_accounted_for(report, "mqtt", kInputs);
  EXPECT_EQ(report.at("tier"), "A");
}

TEST_F(LoadTestEndToEnd, TierBThroughAnEhrSubscriptionAccountsForEveryNotification) {
  FhirServeProcess ehr(PTWIN_EXECUTABLE, dir_ / "ehr.db");
  ingest::fhir::FhirClient ehr_client(client_settings(ehr.base_url()));
  create_observation_topic(ehr_client, kTopic);
  const auto origin = start_serve(fmt::format(
      "  fhir_subscription:\n    ehr_base_url: {}\n    topic: {}\n    port: 0\n", ehr.base_url(),
      kTopic));
  constexpr int kInputs = 24;
  const auto report = run_load_test(fmt::format(
      "--feed fhir_subscription --serve {} --ehr {} --patients 2 --rate 40 --count {}", origin,
      ehr.base_url(), kInputs));
  expect_load_accounted_for(report, "fhir_subscription", kInputs);
  EXPECT_EQ(report.at("tier"), "B");
}

}  // namespace
}  // namespace ptwin::testing
