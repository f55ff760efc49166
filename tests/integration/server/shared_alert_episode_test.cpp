// SPDX-License-Identifier: Apache-2.0
// One alert policy for the dashboard and the EHR (docs/clinical.md#one-policy): the twin's
// RiskAlertEpisodes feed both the dashboard's API and the FHIR output stage, so an episode
// raised once is one alert on the dashboard and one DetectedIssue with the same identity, and a
// snooze given through the dashboard holds back the re-raise in both until it ends, and is
// written to the episode's DetectedIssue as a mitigation (who, when, for how long).
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ptwin/clinical/fhir/detected_issue_writer.hpp"
#include "ptwin/clinical/fhir/output_writer.hpp"
#include "ptwin/clinical/fhir/twin_output_stage.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/server/dashboard/dashboard_api.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "ptwin/vv/gate/hypotension_model_verification.hpp"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ptwin::Sample;
namespace cf = ptwin::clinical::fhir;
namespace dashboard = ptwin::server::dashboard;
namespace gate = ptwin::vv::gate;

const ptwin::time::Instant kStart = ptwin::time::from_epoch_ms(1'767'225'600'000);

// The in-memory destination: keeps every resource handed to it, in order.
class CollectingWriter final : public cf::OutputWriter {
 public:
  void write(const std::vector<json>& resources) override {
    written.insert(written.end(), resources.begin(), resources.end());
  }
  [[nodiscard]] std::vector<json> of_type(const std::string& type) const {
    std::vector<json> out;
    std::copy_if(written.begin(), written.end(), std::back_inserter(out),
                 [&](const json& r) { return r["resourceType"] == type; });
    return out;
  }
  std::vector<json> written;
};

class SharedAlertEpisodeTest : public ::testing::Test {
 protected:
  SharedAlertEpisodeTest()
      : dir_(std::filesystem::temp_directory_path() /
             fmt::format("shared-alert-{}", std::random_device{}())),
        store_((std::filesystem::create_directories(dir_), dir_ / "twin.db")) {}
  ~SharedAlertEpisodeTest() override {
    stage_.stop();
    std::filesystem::remove_all(dir_);
  }

  // One batch per minute of 10-s MAP samples at `mmhg`, through the stages in serve's order.
  void minute(int m, double mmhg) {
    std::vector<Sample> batch;
    for (int k = 0; k < 6; ++k) {
      batch.push_back(Sample{"p1", "8478-0", mmhg * ptwin::units::kPaPerMmHg, "mm[Hg]",
                             kStart + std::chrono::seconds(60 * m + 10 * k), "test",
                             ptwin::SampleQuality::Good});
    }
    store_.append_samples(batch);
    const ptwin::ingest::stream::StoredSamples stored{
        .feed = "mqtt", .samples = batch, .received_at = kStart, .stored_at = kStart};
    risk_.on_stored(stored);
    alerts_.on_stored(stored);
    stage_.on_stored(stored);
    stage_.flush();
  }
  json api(const std::string& method, const std::string& target, int status = 200) const {
    ptwin::server::HttpRequest r;
    r.method = method;
    r.target = target;
    r.remote_address = "127.0.0.1";
    const auto response = dashboard::answer_dashboard_api(sources_, r);
    EXPECT_TRUE(response) << target;
    EXPECT_EQ(response->status, status) << target << ": " << response->body;
    return json::parse(response->body);
  }
  // The DetectedIssue resources written so far (every write, updates included).
  [[nodiscard]] std::vector<json> issues() const { return writer_.of_type("DetectedIssue"); }

  static const gate::VerificationRecord& record() {
    static const auto verified = gate::verify_hypotension_risk_model({}, kStart);
    return verified;
  }

  std::filesystem::path dir_;
  ptwin::store::SqliteStore store_;
  ptwin::twin::live::HypotensionRiskStage risk_;
  ptwin::time::ManualClock clock_{kStart + 1h};
  dashboard::RiskAlertBoard alerts_{risk_, dashboard::RiskAlertBoard::default_rules(), clock_};
  gate::ModelGate model_gate_{gate::hypotension_risk_model_identity({}), record()};
  CollectingWriter writer_;
  cf::TwinOutputStage stage_{risk_, model_gate_, writer_, alerts_, {.risk_interval = 60s, .model = {}, .queue_capacity = 1024}};
  dashboard::ModelInfo model_{dashboard::hypotension_model_info(risk_.settings(), &model_gate_)};
  dashboard::DashboardSources sources_{risk_, store_, alerts_, model_, clock_};
};

TEST_F(SharedAlertEpisodeTest, OneEpisodeIsOneDashboardAlertAndOneDetectedIssueAndSnoozeHoldsBoth) {
  ASSERT_TRUE(model_gate_.may_emit());
  int m = 0;
  for (; m < 4; ++m) minute(m, 82.0);
  EXPECT_TRUE(issues().empty());
  // MAP falls 2.4 mmHg a minute until the 15-min risk has been above 0.5 for a minute.
  for (; m < 20 && api("GET", "/api/alerts")["alerts"].empty(); ++m) {
    minute(m, 82.0 - 2.4 * (m - 3));
  }
  const auto listed = api("GET", "/api/alerts")["alerts"];
  ASSERT_EQ(listed.size(), 1U) << "no alert after " << m << " min";
  const auto& alert = listed[0];
  EXPECT_EQ(alert["state"], "open");
  EXPECT_EQ(alert["last_event"], "raised");

  // The same episode in the EHR: one DetectedIssue, whose id the dashboard names.
  const auto raised = issues();
  ASSERT_EQ(raised.size(), 1U);
  const auto id = alert["id"].get<std::uint64_t>();
  const std::string issue_id = cf::detected_issue_id("p1", alert["rule"].get<std::string>(), id);
  EXPECT_EQ(raised[0]["id"], issue_id);
  EXPECT_EQ(alert["detected_issue"], "DetectedIssue/" + issue_id);
  EXPECT_EQ(raised[0]["status"], "final");
  EXPECT_NE(raised[0]["detail"].get<std::string>().find(fmt::format("Alert {} (raised)", id)),
            std::string::npos)
      << raised[0]["detail"];

  // The fall goes on until the risk is near 1 (so that holding it cannot be "worse by 0.2"),
  // then MAP is held there: the risk stays in breach.
  double mmhg = 82.0 - 2.4 * (m - 4);
  for (; m < 40 && risk_.find("p1")->in_15_min.probability < 0.9; ++m) {
    mmhg = 82.0 - 2.4 * (m - 3);
    minute(m, mmhg);
  }
  ASSERT_GE(risk_.find("p1")->in_15_min.probability, 0.9);
  const auto before_snooze = issues().size();  // the raise, and any escalation meanwhile
  const auto snoozed = api("POST", fmt::format("/api/alerts/{}/snooze?minutes=5&by=nurse-3", id));
  EXPECT_EQ(snoozed["state"], "snoozed");
  // The acknowledgement is written at once, through the same writer: the episode's
  // DetectedIssue as last written, with a mitigation entry naming who acknowledged it.
  stage_.flush();
  const auto acknowledged = issues();
  ASSERT_EQ(acknowledged.size(), before_snooze + 1);
  const auto& with_mitigation = acknowledged.back();
  EXPECT_EQ(with_mitigation["id"], issue_id);
  EXPECT_EQ(with_mitigation["status"], "final");
  EXPECT_EQ(with_mitigation["detail"], acknowledged[before_snooze - 1]["detail"]);
  ASSERT_EQ(with_mitigation["mitigation"].size(), 1U) << with_mitigation.dump(2);
  EXPECT_EQ(with_mitigation["mitigation"][0]["author"]["display"], "nurse-3");
  EXPECT_EQ(with_mitigation["mitigation"][0]["action"]["text"],
            "Alert acknowledged; snoozed for 5 min");
  EXPECT_EQ(with_mitigation["mitigation"][0]["date"], ptwin::time::format_iso8601(clock_.now()));
  const auto snoozed_at = risk_.find("p1")->updated_to;
  const int first_snoozed_minute = m;
  for (; m < first_snoozed_minute + 4; ++m) minute(m, mmhg);
  ASSERT_GE(risk_.find("p1")->in_15_min.probability, 0.5);
  ASSERT_LT(risk_.find("p1")->updated_to, snoozed_at + 5min);
  EXPECT_EQ(issues().size(), before_snooze + 1) << "a DetectedIssue was written during the snooze";
  EXPECT_EQ(api("GET", "/api/alerts?state=snoozed")["alerts"].size(), 1U);
  EXPECT_TRUE(api("GET", "/api/alerts?state=open")["alerts"].empty());

  // When the snooze ends in breach, both re-raise the same episode.
  for (; m < first_snoozed_minute + 7; ++m) minute(m, mmhg);
  const auto after = api("GET", "/api/alerts")["alerts"];
  ASSERT_EQ(after.size(), 1U);
  EXPECT_EQ(after[0]["id"], id);
  EXPECT_EQ(after[0]["state"], "open");
  EXPECT_EQ(after[0]["last_event"], "reraised");
  const auto all = issues();
  ASSERT_EQ(all.size(), before_snooze + 2);
  EXPECT_EQ(all.back()["id"], issue_id);  // an update of the same resource, not a new one
  EXPECT_NE(all.back()["detail"].get<std::string>().find(fmt::format("Alert {} (reraised)", id)),
            std::string::npos)
      << all.back()["detail"];
  // The re-raised version keeps the acknowledgement.
  EXPECT_EQ(all.back()["mitigation"].size(), 1U);
  const auto counts = stage_.counts();
  EXPECT_EQ(counts.detected_issues, before_snooze + 2);
  EXPECT_EQ(counts.writer_failures, 0U);
}

TEST_F(SharedAlertEpisodeTest, RecoveryClearsTheEpisodeOnTheDashboardAndMitigatesItsDetectedIssue) {
  int m = 0;
  for (; m < 14; ++m) minute(m, m < 4 ? 82.0 : 82.0 - 2.4 * (m - 4));
  const auto id = api("GET", "/api/alerts")["alerts"].at(0)["id"].get<std::uint64_t>();
  for (; m < 40; ++m) minute(m, 85.0);
  const auto alert = api("GET", "/api/alerts")["alerts"].at(0);
  EXPECT_EQ(alert["id"], id);
  EXPECT_EQ(alert["state"], "cleared");
  const auto all = issues();
  ASSERT_GE(all.size(), 2U);
  std::set<std::string> ids;
  for (const auto& issue : all) ids.insert(issue["id"].get<std::string>());
  EXPECT_EQ(ids.size(), 1U) << "one episode, one DetectedIssue";
  EXPECT_EQ(all.back()["status"], "mitigated");
  EXPECT_EQ("DetectedIssue/" + all.back()["id"].get<std::string>(), alert["detected_issue"]);
}

}  // namespace
