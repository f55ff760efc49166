// SPDX-License-Identifier: Apache-2.0
// `ptwin serve twin.yaml` with all three feeds, as a user runs it: a separate
// process on 127.0.0.1 against the harness's mosquitto (skipped without it: run
// under scripts/with_mosquitto.sh), an MLLP sender, and a `ptwin fhir-serve`
// process playing the EHR. Biosensor readings are published, an ORU^R01 is sent
// (ACK AA), an Observation is created on the EHR; each must reach serve's
// store, the counts must add up in the store and in /metrics, and SIGTERM must
// end the process with exit code 0.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "integration/ingest/mqtt_test_publisher.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/ingest/hl7v2/patient_identity.hpp"
#include "ptwin/ingest/mqtt/subscriber_settings.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "support/child_process.hpp"
#include "support/fhir_serve_process.hpp"
#include "support/serve_process.hpp"
#include "support/mllp_test_client.hpp"

namespace ptwin::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kStartupLimit = 20s;  // a hang, not a timing: the whole test runs in seconds
constexpr std::string_view kTopic = "http://ptwin.test/SubscriptionTopic/observation";

std::string hl7_time(time::Instant instant) {
  // yyyyMMddHHmmss+0000 from the ISO 8601 form 2026-11-24T21:00:00.123Z
  const auto iso = time::format_iso8601(instant);
  std::string digits;
  for (const char c : iso.substr(0, 19)) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  return digits + "+0000";
}

std::string oru(const std::string& control_id, time::Instant taken) {
  const auto when = hl7_time(taken);
  return fmt::format(
      "MSH|^~\\&|MONITOR|ICU|PTWIN|HOSP|{0}||ORU^R01^ORU_R01|{1}|P|2.5.1\r"
      "PID|1||p1^^^HOSP^MR\r"
      "OBR|1|||85354-9^BP^LN|||{0}\r"
      "OBX|1|NM|8867-4^HR^LN||72|/min|||||F\r"
      "OBX|2|NM|8480-6^SBP^LN||120|mm[Hg]|||||F\r",
      when, control_id);
}

// GET on one of serve's own endpoints, through the FHIR client's plain fetch.
std::string get(const std::string& origin, const std::string& path) {
  ingest::fhir::FhirClientSettings settings;
  settings.base_url = origin;
  settings.timeout = 5s;
  ingest::fhir::FhirClient client(settings);
  return client.fetch(origin + path, "*/*").body;
}

// The value of one sample line of the Prometheus text, e.g.
// ptwin_feed_received_total{feed="mqtt"}; fails the test when absent.
double metric(const std::string& text, const std::string& series) {
  std::string line_start(1, '\n');
  line_start.append(series).push_back(' ');
  const auto at = text.find(line_start);
  EXPECT_NE(at, std::string::npos) << series;
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

class ServeEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("PTWIN_TEST_MQTT_URL");
    if (url == nullptr) {
      if (std::getenv("CI") != nullptr) FAIL() << "PTWIN_TEST_MQTT_URL is not set under CI: run under scripts/with_mosquitto.sh";
      GTEST_SKIP() << "PTWIN_TEST_MQTT_URL is not set: run under "
                      "scripts/with_mosquitto.sh "
                      "(scripts/test.sh does)";
    }
    broker_ = ingest::mqtt::parse_broker_url(url, "PTWIN_TEST_MQTT_URL");
    unique_ = fmt::format("serve-e2e-{}-{}", ::getpid(), std::random_device{}() % 100000);
    dir_ = std::filesystem::temp_directory_path() / unique_;
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::string twin_yaml(const std::string& ehr_base) const {
    return serve_twin_yaml(
        "e2e_bed_4",
        "feeds:\n" +
            mqtt_feed_yaml(broker_.host, broker_.port, unique_,
                           fmt::format("ptwin-test/{}/+/vitals", unique_)) +
            fmt::format("  hl7v2: {{port: 0}}\n"
                        "  fhir_subscription:\n    ehr_base_url: {}\n    topic: {}\n"
                        "    filter: {{patient: Patient/p1}}\n    port: 0\n"
                        "    heartbeat_period_s: 60\nserve: {{port: 0}}\n",
                        ehr_base, kTopic));
  }

  ingest::mqtt::BrokerAddress broker_;
  std::string unique_;
  std::filesystem::path dir_;
};

TEST_F(ServeEndToEnd, EveryFeedReachesTheStoreAndTheCountsAddUp) {
  FhirServeProcess ehr(PTWIN_EXECUTABLE, dir_ / "ehr.db");
  ingest::fhir::FhirClientSettings ehr_settings;
  ehr_settings.base_url = ehr.base_url();
  ingest::fhir::FhirClient ehr_client(ehr_settings);
  create_observation_topic(ehr_client, kTopic);
  { std::ofstream(dir_ / "twin.yaml") << twin_yaml(ehr.base_url()); }
  ChildProcess serve({PTWIN_EXECUTABLE, "serve", (dir_ / "twin.yaml").string()},
                     dir_ / "serve.log");
  const auto served_at = wait_for_serve_origin(serve, kStartupLimit);
  ASSERT_TRUE(served_at) << serve.output();
  const std::string origin = *served_at;
  const std::string output = serve.output();
  std::smatch match;
  ASSERT_TRUE(std::regex_search(output, match, std::regex("feed hl7v2: MLLP at [0-9.]+:([0-9]+)")))
      << output;
  const auto mllp_port = static_cast<std::uint16_t>(std::stoi(match[1]));
  EXPECT_NE(output.find("feed mqtt: broker mqtt://"), std::string::npos) << output;
  EXPECT_NE(output.find("feed fhir_subscription: Subscription/ptwin-e2e-bed-4 on "),
            std::string::npos)
      << output;
  EXPECT_EQ(get(origin, "/healthz"), "ok\n");

  // MQTT: a persistent session starts with the first subscription, so wait
  // until it exists.
  ASSERT_TRUE(wait_until_mqtt_subscribed(origin, kStartupLimit)) << "MQTT never subscribed";
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  {
    ingest::mqtt::testing::TestPublisher publisher(broker_.host, broker_.port, "pub-" + unique_);
    const auto topic = fmt::format("ptwin-test/{}/mon-7/vitals", unique_);
    for (int i = 0; i < 5; ++i) {
      publisher.publish(topic,
                        fmt::format(R"({{"device":"mon-7","patient":"p1","quantity":"heart_rate",)"
                                    R"("unit":"/min","value":{},"t":{}}})",
                                    70 + i, now_ms - 50 + i),
                        1);
    }
    publisher.publish(topic, R"({"device":"mon-7","patient":"p1","quantity":"heart_rate"})", 1);
    publisher.wait_until_delivered();
  }

  // HL7 v2: the ACK is AA, and it leaves only once the message is stored.
  {
    MllpTestClient mllp(mllp_port);
    EXPECT_EQ(mllp.ack_code(oru("E2E-1", time::SystemClock().now())), "AA");
    // A message type the twin does not read: refused whole, quarantined.
    EXPECT_EQ(mllp.ack_code("MSH|^~\\&|X|Y|||" + hl7_time(time::SystemClock().now()) +
                            "||ORM^O01|O1|P|2.5.1\r"),
              "AR");
  }

  // FHIR: the EHR handshakes with serve's endpoint, then notifies the
  // Observation's creation; serve reads it from the EHR and stores its sample.
  const auto subscription_deadline = std::chrono::steady_clock::now() + kStartupLimit;
  while (ehr_client.read("Subscription", "ptwin-e2e-bed-4")["status"] != "active") {
    ASSERT_LT(std::chrono::steady_clock::now(), subscription_deadline) << serve.output();
    std::this_thread::sleep_for(20ms);
  }
  (void)ehr_client.create(
      {{"resourceType", "Observation"},
       {"status", "final"},
       {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", "8480-6"}}}}}},
       {"subject", {{"reference", "Patient/p1"}}},
       {"effectiveDateTime", time::format_iso8601(time::SystemClock().now())},
       {"valueQuantity",
        {{"value", 118},
         {"unit", "mm[Hg]"},
         {"system", "http://unitsofmeasure.org"},
         {"code", "mm[Hg]"}}}});

  // Wait until every input is accounted for in /metrics: 6 MQTT messages, 1
  // frame, and the notification holding the Observation's event.
  std::string metrics;
  const auto metrics_deadline = std::chrono::steady_clock::now() + kStartupLimit;
  while (true) {
    metrics = get(origin, "/metrics");
    const bool is_done =
        metric(metrics, R"(ptwin_feed_received_total{feed="mqtt"})") == 6 &&
        metric(metrics, R"(ptwin_feed_pending{feed="mqtt"})") == 0 &&
        metric(metrics, R"(ptwin_feed_samples_stored_total{feed="fhir_subscription"})") == 1;
    if (is_done) break;
    ASSERT_LT(std::chrono::steady_clock::now(), metrics_deadline) << metrics << serve.output();
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(metric(metrics, R"(ptwin_feed_accepted_total{feed="mqtt"})"), 5);
  // The twin's stage is attached: its inference histogram is exported (heart rates alone do
  // not update the hypotension twin, so it has no count yet).
  EXPECT_NE(metrics.find(R"(ptwin_stage_latency_seconds_count{feed="all",stage="inference"} 0)"),
            std::string::npos);
  EXPECT_EQ(metric(metrics, R"(ptwin_feed_quarantined_total{feed="mqtt"})"), 1);
  EXPECT_EQ(metric(metrics, R"(ptwin_feed_samples_stored_total{feed="mqtt"})"), 5);
  EXPECT_EQ(metric(metrics, R"(ptwin_feed_received_total{feed="hl7v2"})"), 2);
  EXPECT_EQ(metric(metrics, R"(ptwin_feed_accepted_total{feed="hl7v2"})"), 1);
  EXPECT_EQ(metric(metrics, R"(ptwin_feed_quarantined_total{feed="hl7v2"})"), 1);
  EXPECT_EQ(metric(metrics, R"(ptwin_feed_samples_stored_total{feed="hl7v2"})"), 2);
  EXPECT_EQ(metric(metrics, R"(ptwin_feed_quarantined_total{feed="fhir_subscription"})"), 0);
  // One latency per stored input and stage: 5 MQTT messages, 1 frame, 1
  // Observation.
  const std::vector<std::pair<std::string, int>> inputs_by_feed{
      {"mqtt", 5}, {"hl7v2", 1}, {"fhir_subscription", 1}};
  double samples_in_metrics = 0;
  double quarantined_in_metrics = 0;
  for (const auto& [feed, inputs] : inputs_by_feed) {
    // Per feed: received = accepted + quarantined + not_stored + pending.
    const auto counter = [&, name = feed](std::string_view metric_name) {
      return metric(metrics, fmt::format(R"({}{{feed="{}"}})", metric_name, name));
    };
    EXPECT_EQ(counter("ptwin_feed_received_total"),
              counter("ptwin_feed_accepted_total") + counter("ptwin_feed_quarantined_total") +
                  counter("ptwin_feed_not_stored_total") + counter("ptwin_feed_pending"))
        << feed;
    samples_in_metrics += counter("ptwin_feed_samples_stored_total");
    quarantined_in_metrics += counter("ptwin_feed_quarantined_total");
    for (const char* stage : {"transport", "ingest"}) {
      const auto labels = fmt::format(R"(feed="{}",stage="{}")", feed, stage);
      const double count =
          metric(metrics, fmt::format("ptwin_stage_latency_seconds_count{{{}}}", labels));
      const double negative =
          metric(metrics, fmt::format("ptwin_stage_latency_negative_total{{{}}}", labels));
      EXPECT_EQ(count + negative, inputs) << labels;
      EXPECT_EQ(metric(metrics, fmt::format(R"(ptwin_stage_latency_seconds_bucket{{{},le="+Inf"}})",
                                            labels)),
                count)
          << labels;
    }
  }
  const auto status = nlohmann::json::parse(get(origin, "/status"));
  EXPECT_EQ(status["twin"], "e2e_bed_4");
  EXPECT_EQ(status["feeds"]["fhir_subscription"]["events"]["observations_used"], 1);

  const int exit_status = serve.stop(SIGTERM);
  ASSERT_TRUE(WIFEXITED(exit_status)) << serve.output();
  EXPECT_EQ(WEXITSTATUS(exit_status), 0) << serve.output();
  EXPECT_NE(serve.output().find("ptwin serve: stopped"), std::string::npos);

  // Conservation in the store: 5 + 2 + 1 samples, what the metrics counted; the bad MQTT
  // payload and the refused frame quarantined with their bytes (the subscription routed no
  // event to the quarantine).
  const store::SqliteStore store(dir_ / "twin.db");
  EXPECT_EQ(store.count_samples(), 8);
  EXPECT_EQ(static_cast<double>(store.count_samples()), samples_in_metrics);
  EXPECT_EQ(status["feeds"]["fhir_subscription"]["events"]["quarantined"], 0);
  EXPECT_EQ(static_cast<double>(store.count_quarantined()), quarantined_in_metrics);
  const auto from_mqtt = store.quarantined("mqtt:");
  ASSERT_EQ(from_mqtt.size(), 1U);
  EXPECT_EQ(from_mqtt.front().entry.raw_bytes,
            R"({"device":"mon-7","patient":"p1","quantity":"heart_rate"})");
  const auto from_hl7v2 = store.quarantined("hl7v2:");
  ASSERT_EQ(from_hl7v2.size(), 1U);
  EXPECT_NE(from_hl7v2.front().entry.raw_bytes.find("ORM^O01"), std::string::npos);
  const auto from = time::from_epoch_ms(now_ms - 60'000);
  const auto to = time::from_epoch_ms(now_ms + 60'000);
  EXPECT_EQ(store.samples("p1", "8867-4", from, to).size(), 5U);  // MQTT
  EXPECT_EQ(store.samples("p1", "8480-6", from, to).size(),
            1U);  // the EHR's Observation
  // HL7 v2 patients are known by a digest of PID-3 and its authority, never the
  // MRN.
  const auto hl7_patient = ingest::hl7v2::patient_id_of("HOSP", "p1");
  EXPECT_EQ(store.samples(hl7_patient, "8867-4", from, to).size(), 1U);
  EXPECT_EQ(store.samples(hl7_patient, "8480-6", from, to).size(), 1U);
}

}  // namespace
}  // namespace ptwin::testing
