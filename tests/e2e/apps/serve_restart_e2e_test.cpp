// SPDX-License-Identifier: Apache-2.0
// `ptwin serve` restarted against a `ptwin fhir-serve` EHR (docs/serve.md#restarts): serve
// stores an Observation's event, is stopped, Observations are created on the EHR while it is
// down, and serve is started again on the same store. The events of the downtime arrive (caught
// up with $status and $events from the saved event number), and the event handled before the
// stop is not handled again: every Observation is in the store exactly once.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>

#include "ptwin/core/clock.hpp"
#include "ptwin/core/time.hpp"
#include "ptwin/ingest/fhir/client/fhir_client.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "support/child_process.hpp"
#include "support/fhir_serve_process.hpp"
#include "support/serve_process.hpp"

namespace ptwin::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kLimit = 20s;  // a hang, not a timing
constexpr std::string_view kTopic = "http://ptwin.test/SubscriptionTopic/observation";
constexpr std::string_view kSystolic = "8480-6";

nlohmann::json systolic(int mmhg, time::Instant taken) {
  return {{"resourceType", "Observation"},
          {"status", "final"},
          {"code", {{"coding", {{{"system", "http://loinc.org"}, {"code", kSystolic}}}}}},
          {"subject", {{"reference", "Patient/p1"}}},
          {"effectiveDateTime", time::format_iso8601(taken)},
          {"valueQuantity",
           {{"value", mmhg},
            {"unit", "mm[Hg]"},
            {"system", "http://unitsofmeasure.org"},
            {"code", "mm[Hg]"}}}};
}

std::string get(const std::string& origin, const std::string& path) {
  ingest::fhir::FhirClientSettings settings;
  settings.base_url = origin;
  settings.timeout = 5s;
  ingest::fhir::FhirClient client(settings);
  return client.fetch(origin + path, "*/*").body;
}

class ServeRestart : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           fmt::format("serve-restart-{}-{}", ::getpid(), std::random_device{}() % 100000);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Starts serve and returns the origin of its endpoints.
  std::string start_serve(std::unique_ptr<ChildProcess>& serve, const std::string& log) {
    serve = std::make_unique<ChildProcess>(
        std::vector<std::string>{PTWIN_EXECUTABLE, "serve", (dir_ / "twin.yaml").string()},
        dir_ / log);
    const auto origin = wait_for_serve_origin(*serve, kLimit);
    EXPECT_TRUE(origin) << serve->output();
    return origin.value_or("");
  }

  // Waits until serve's subscription feed has stored `samples` samples since it started.
  static void wait_for_samples(const std::string& origin, int samples, const ChildProcess& serve) {
    const auto deadline = std::chrono::steady_clock::now() + kLimit;
    while (true) {
      const auto status = nlohmann::json::parse(get(origin, "/status"));
      if (status["feeds"]["fhir_subscription"]["events"]["observations_used"] == samples) return;
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << status.dump() << serve.output();
      std::this_thread::sleep_for(50ms);
    }
  }

  std::filesystem::path dir_;
};

TEST_F(ServeRestart, EventsOfTheDowntimeArriveAfterARestartAndNoEventIsHandledTwice) {
  FhirServeProcess ehr(PTWIN_EXECUTABLE, dir_ / "ehr.db");
  ingest::fhir::FhirClientSettings ehr_settings;
  ehr_settings.base_url = ehr.base_url();
  ingest::fhir::FhirClient ehr_client(ehr_settings);
  create_observation_topic(ehr_client, kTopic);
  {
    std::ofstream(dir_ / "twin.yaml") << serve_twin_yaml(
        "restart_bed_1",
        fmt::format("feeds:\n  fhir_subscription:\n    ehr_base_url: {}\n    topic: {}\n"
                    "    filter: {{patient: Patient/p1}}\n    port: 0\n"
                    "    heartbeat_period_s: 60\nserve: {{port: 0}}\n",
                    ehr.base_url(), kTopic));
  }
  // Whole seconds: the Observations carry the time as text.
  const time::Instant now = std::chrono::floor<std::chrono::seconds>(time::SystemClock().now());

  std::unique_ptr<ChildProcess> serve;
  auto origin = start_serve(serve, "serve-1.log");
  ASSERT_FALSE(origin.empty());
  const auto deadline = std::chrono::steady_clock::now() + kLimit;
  while (ehr_client.read("Subscription", "ptwin-restart-bed-1")["status"] != "active") {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << serve->output();
    std::this_thread::sleep_for(20ms);
  }
  (void)ehr_client.create(systolic(110, now - 3min));
  wait_for_samples(origin, 1, *serve);
  const int first_exit = serve->stop(SIGTERM);
  ASSERT_TRUE(WIFEXITED(first_exit) && WEXITSTATUS(first_exit) == 0) << serve->output();

  // While serve is down: the EHR cannot deliver these.
  (void)ehr_client.create(systolic(111, now - 2min));
  (void)ehr_client.create(systolic(112, now - 1min));

  origin = start_serve(serve, "serve-2.log");
  ASSERT_FALSE(origin.empty());
  EXPECT_NE(serve->output().find("feed fhir_subscription: caught up from event 1 to 3"),
            std::string::npos)
      << serve->output();
  wait_for_samples(origin, 2, *serve);
  // A repeat of event 1 (or of 2 and 3, which the EHR still sends) would show up here.
  std::this_thread::sleep_for(1s);
  const auto status = nlohmann::json::parse(get(origin, "/status"));
  EXPECT_EQ(status["feeds"]["fhir_subscription"]["last_event_handled"], 3) << status.dump();
  EXPECT_EQ(status["feeds"]["fhir_subscription"]["events"]["observations_used"], 2);
  EXPECT_EQ(status["feeds"]["fhir_subscription"]["catch_up"]["from_event"], 1);
  const int second_exit = serve->stop(SIGTERM);
  ASSERT_TRUE(WIFEXITED(second_exit) && WEXITSTATUS(second_exit) == 0) << serve->output();

  const store::SqliteStore store(dir_ / "twin.db");
  const auto samples = store.samples("p1", std::string(kSystolic), now - 1h, now);
  ASSERT_EQ(samples.size(), 3U) << "each Observation once";
  EXPECT_EQ(samples[0].time, now - 3min);
  EXPECT_EQ(samples[1].time, now - 2min);
  EXPECT_EQ(samples[2].time, now - 1min);
  EXPECT_EQ(store.feed_cursor(fmt::format("fhir_subscription {}/Subscription/ptwin-restart-bed-1",
                                          ehr.base_url())),
            3);
}

}  // namespace
}  // namespace ptwin::testing
