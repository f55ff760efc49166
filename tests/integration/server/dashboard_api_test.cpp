// SPDX-License-Identifier: Apache-2.0
// The dashboard's JSON API over a real SQLite store and the live twin stage, fed a patient whose
// MAP falls: the values served are the store's samples and the twin's estimates in display
// units, bad parameters are 400 naming them, and acknowledge/snooze act on the open alert once.
#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ptwin/core/digest.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/server/dashboard/dashboard_api.hpp"
#include "ptwin/vv/gate/model_identity.hpp"
#include "ptwin/store/sqlite_store.hpp"
#include "support/bad_input_corpus.hpp"

namespace {

using namespace std::chrono_literals;
using ptwin::Sample;
using ptwin::server::HttpRequest;
using ptwin::server::HttpResponse;
namespace dashboard = ptwin::server::dashboard;

const ptwin::time::Instant kStart = ptwin::time::from_epoch_ms(1'767'225'600'000);
constexpr double kPaPerMmHg = ptwin::units::kPaPerMmHg;
constexpr int kMinutes = 14;

std::int64_t ms(ptwin::time::Instant t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

double map_mmhg(int minute) { return minute < 4 ? 82.0 : 82.0 - 2.4 * (minute - 4); }

class DashboardApiTest : public ::testing::Test {
 protected:
  DashboardApiTest()
      : dir_(std::filesystem::temp_directory_path() /
             fmt::format("dashboard-api-{}", std::random_device{}())),
        store_((std::filesystem::create_directories(dir_), dir_ / "twin.db")) {
    for (int m = 0; m < kMinutes; ++m) {
      std::vector<Sample> batch;
      for (int k = 0; k < 6; ++k) {
        const auto at = kStart + std::chrono::seconds(60 * m + 10 * k);
        batch.push_back(Sample{"p1", "8478-0", map_mmhg(m) * kPaPerMmHg, "mm[Hg]", at, "test",
                               ptwin::SampleQuality::Good});
        batch.push_back(
            Sample{"p1", "8867-4", 80.0 / 60.0, "/min", at, "test", ptwin::SampleQuality::Good});
      }
      store_.append_samples(batch);
      const ptwin::ingest::stream::StoredSamples stored{
          .feed = "mqtt", .samples = batch, .received_at = kStart, .stored_at = kStart};
      risk_.on_stored(stored);
      alerts_.on_stored(stored);
    }
  }
  ~DashboardApiTest() override { std::filesystem::remove_all(dir_); }

  HttpResponse request(std::string method, std::string target) const {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.remote_address = "127.0.0.1";
    auto response = dashboard::answer_dashboard_api(sources_, r);
    EXPECT_TRUE(response) << r.target;
    return response ? *response : HttpResponse{};
  }
  nlohmann::json get(const std::string& target, int status = 200) const {
    const auto response = request("GET", target);
    EXPECT_EQ(response.status, status) << target << ": " << response.body;
    EXPECT_EQ(response.headers.at("Content-Type"), "application/json");
    return nlohmann::json::parse(response.body);
  }
  // The parameter a 400 names.
  std::string bad_parameter(const std::string& method, const std::string& target) const {
    const auto response = request(method, target);
    EXPECT_EQ(response.status, 400) << target << ": " << response.body;
    return nlohmann::json::parse(response.body).value("parameter", "(none)");
  }

  std::filesystem::path dir_;
  ptwin::store::SqliteStore store_;
  ptwin::twin::live::HypotensionRiskStage risk_;
  ptwin::time::ManualClock clock_{kStart + 20min};
  dashboard::RiskAlertBoard alerts_{risk_, dashboard::RiskAlertBoard::default_rules(), clock_};
  dashboard::ModelInfo model_{dashboard::hypotension_model_info(risk_.settings(), nullptr)};
  dashboard::DashboardSources sources_{risk_, store_, alerts_, model_, clock_};
};

TEST_F(DashboardApiTest, PatientsListTheTwinsRiskAndLatestVitals) {
  const auto patients = get("/api/patients")["patients"];
  ASSERT_EQ(patients.size(), 1U);
  const auto twin = *risk_.find("p1");
  EXPECT_EQ(patients[0]["id"], "p1");
  EXPECT_EQ(patients[0]["risk"]["in_15_min"].get<double>(), twin.in_15_min.probability);
  EXPECT_EQ(patients[0]["risk"]["in_5_min"].get<double>(), twin.in_5_min.probability);
  EXPECT_EQ(patients[0]["risk"]["band"], "high");
  EXPECT_EQ(patients[0]["updated_to"], ms(twin.updated_to));
  EXPECT_NEAR(patients[0]["vitals"]["map"]["v"].get<double>(), map_mmhg(kMinutes - 1), 1e-9);
  EXPECT_NEAR(patients[0]["vitals"]["heart_rate"]["v"].get<double>(), 80.0, 1e-9);
  EXPECT_TRUE(patients[0]["vitals"]["cardiac_output"].is_null());
  EXPECT_EQ(patients[0]["open_alerts"], 1);
}

TEST_F(DashboardApiTest, VitalsAreTheStoredSamplesBesideOneEstimatePerUsedSample) {
  const auto vitals = get("/api/patients/p1/vitals");
  const auto& map = vitals["series"]["map"];
  ASSERT_EQ(map["samples"].size(), 6U * kMinutes);
  EXPECT_EQ(map["unit"], "mm[Hg]");
  EXPECT_EQ(map["samples"][0]["t"], ms(kStart));
  EXPECT_NEAR(map["samples"][0]["v"].get<double>(), 82.0, 1e-9);
  EXPECT_EQ(map["truncated"], false);
  EXPECT_EQ(vitals["series"]["heart_rate"]["samples"].size(), 6U * kMinutes);
  const auto twin = *risk_.find("p1");
  const auto& estimates = vitals["estimate"]["points"];
  ASSERT_EQ(estimates.size(), twin.assimilated + twin.gated);
  for (const auto& p : estimates) {
    EXPECT_LT(p["map_mmhg"]["p05"].get<double>(), p["map_mmhg"]["p50"].get<double>());
    EXPECT_LT(p["map_mmhg"]["p50"].get<double>(), p["map_mmhg"]["p95"].get<double>());
  }
  // since/until select the window, from inclusive, until exclusive.
  const auto since = ms(kStart + 10min);
  const auto part =
      get(fmt::format("/api/patients/p1/vitals?since={}&until={}", since, ms(kStart + 11min)));
  EXPECT_EQ(part["series"]["map"]["samples"].size(), 6U);
  EXPECT_EQ(part["estimate"]["points"].size(), 6U);
  EXPECT_EQ(part["series"]["map"]["samples"][0]["t"], since);
  const auto iso =
      get("/api/patients/p1/vitals?since=" + ptwin::time::format_iso8601(kStart + 13min));
  EXPECT_EQ(iso["series"]["map"]["samples"].size(), 6U);
}

TEST_F(DashboardApiTest, ForecastIsTheTwinsInDisplayUnits) {
  const auto forecast = get("/api/patients/p1/forecast");
  const auto twin = *risk_.find("p1");
  ASSERT_EQ(forecast["horizons"].size(), 2U);
  const auto& in15 = forecast["horizons"][1];
  EXPECT_EQ(in15["horizon_s"], 900);
  EXPECT_EQ(in15["at"], ms(twin.updated_to + 15min));
  EXPECT_EQ(in15["probability"].get<double>(), twin.in_15_min.probability);
  EXPECT_DOUBLE_EQ(in15["map_mmhg"]["p50"].get<double>(),
                   twin.in_15_min.mean_arterial_pressure_pa.p50 / kPaPerMmHg);
  EXPECT_DOUBLE_EQ(in15["cardiac_output_l_min"]["p95"].get<double>(),
                   twin.in_15_min.cardiac_output_m3_per_s.p95 * 6e4);
  EXPECT_DOUBLE_EQ(forecast["threshold_mmhg"].get<double>(), 65.0);
}

TEST_F(DashboardApiTest, ParametersGiveSvrAndCoWhoseProductIsTheEstimatedMap) {
  const auto parameters = get("/api/patients/p1/parameters");
  const auto vitals = get("/api/patients/p1/vitals");
  const auto& svr = parameters["parameters"]["svr"]["points"];
  const auto& co = parameters["parameters"]["cardiac_output"]["points"];
  const auto& estimates = vitals["estimate"]["points"];
  ASSERT_EQ(svr.size(), estimates.size());
  const double cvp_pa = risk_.settings().model.central_venous_pressure_pa;
  for (std::size_t i = 0; i < svr.size(); ++i) {
    // dyn·s/cm⁵ x 1e5 = Pa·s/m³; L/min / 6e4 = m³/s; MAP = SVR x CO + CVP for the medians.
    const double map_pa =
        svr[i]["p50"].get<double>() * 1e5 * co[i]["p50"].get<double>() / 6e4 + cvp_pa;
    EXPECT_NEAR(map_pa / kPaPerMmHg, estimates[i]["map_mmhg"]["p50"].get<double>(), 1e-9);
  }
  EXPECT_EQ(parameters["parameters"]["svr"]["unit"], "dyn.s/cm5");
}

TEST_F(DashboardApiTest, BadParametersAre400NamingTheParameter) {
  EXPECT_EQ(bad_parameter("GET", "/api/patients/p1/vitals?since=yesterday"), "since");
  EXPECT_EQ(bad_parameter("GET", "/api/patients/p1/vitals?until=12x"), "until");
  EXPECT_EQ(bad_parameter("GET", "/api/patients/p1/vitals?snice=1"), "snice");
  EXPECT_EQ(bad_parameter("GET", fmt::format("/api/patients/p1/parameters?since={}&until={}",
                                             ms(kStart + 2min), ms(kStart))),
            "since");
  EXPECT_EQ(bad_parameter("GET", "/api/patients?x=1"), "x");
  EXPECT_EQ(bad_parameter("GET", "/api/alerts?state=loud"), "state");
  EXPECT_EQ(bad_parameter("GET", "/api/patients/p1/vitals?since=%G1"), "request URL");
  const auto id = alerts_.alerts().at(0).id;
  EXPECT_EQ(bad_parameter("POST", fmt::format("/api/alerts/{}/snooze", id)), "minutes");
  EXPECT_EQ(bad_parameter("POST", fmt::format("/api/alerts/{}/snooze?minutes=0", id)), "minutes");
  EXPECT_EQ(bad_parameter("POST", fmt::format("/api/alerts/{}/snooze?minutes=1441", id)),
            "minutes");
  EXPECT_EQ(bad_parameter("POST", "/api/alerts/abc/acknowledge"), "alert id");
  EXPECT_EQ(alerts_.find(id)->state, ptwin::clinical::alerts::AlertState::Open);  // unchanged
}

// tests/data/bad_inputs/dashboard_api: each file is a query string for the route its scope names;
// the first line of its .expect is the parameter the 400 names, and every line is in the message.
TEST_F(DashboardApiTest, BadInputCorpusIsRefusedNamingTheParameter) {
  const auto dir = std::filesystem::path(PTWIN_SOURCE_DIR) / "tests/data/bad_inputs/dashboard_api";
  const std::vector<std::string> scopes{"vitals", "snooze", "alerts"};
  const auto id = alerts_.alerts().at(0).id;
  std::size_t cases = 0;
  for (const auto& scope : scopes) {
    for (const auto& bad : ptwin::testing::scoped_corpus(dir, ".txt", scopes, scope)) {
      const auto query = ptwin::testing::read_bytes(bad.input);
      const auto response =
          scope == "vitals"   ? request("GET", "/api/patients/p1/vitals?" + query)
          : scope == "alerts" ? request("GET", "/api/alerts?" + query)
                              : request("POST", fmt::format("/api/alerts/{}/snooze?{}", id, query));
      EXPECT_EQ(response.status, 400) << bad.input;
      const auto body = nlohmann::json::parse(response.body);
      ASSERT_FALSE(bad.fragments.empty()) << bad.input;
      EXPECT_EQ(body.value("parameter", ""), bad.fragments.front()) << bad.input;
      const auto message = body.value("error", "");
      EXPECT_NE(message.find("[" + bad.code_name + "]"), std::string::npos) << message;
      ptwin::testing::expect_fragments(message, bad);
      ++cases;
    }
  }
  EXPECT_GE(cases, 18U);
  EXPECT_EQ(alerts_.find(id)->state, ptwin::clinical::alerts::AlertState::Open);  // none snoozed it
}

TEST_F(DashboardApiTest, UnknownResourcesAre404AndWrongMethods405) {
  EXPECT_EQ(get("/api/patients/p9/vitals", 404)["parameter"], "patient");
  EXPECT_EQ(get("/api/patients/p9/forecast", 404)["parameter"], "patient");
  (void)get("/api/nothing", 404);
  (void)get("/api/patients/p1/nothing", 404);
  const auto post = request("POST", "/api/patients");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.headers.at("Allow"), "GET, HEAD");
  const auto get_action = request("GET", "/api/alerts/1/acknowledge");
  EXPECT_EQ(get_action.status, 405);
  EXPECT_EQ(get_action.headers.at("Allow"), "POST");
  HttpRequest other;
  other.method = "GET";
  other.target = "/status";
  EXPECT_FALSE(dashboard::answer_dashboard_api(sources_, other));
}

TEST_F(DashboardApiTest, AcknowledgeSnoozesTheOpenAlertOnceAndSnoozeTakesMinutes) {
  const auto alerts = get("/api/alerts?patient=p1&state=open")["alerts"];
  ASSERT_EQ(alerts.size(), 1U);
  const auto id = alerts[0]["id"].get<std::uint64_t>();
  const auto acknowledged = request("POST", fmt::format("/api/alerts/{}/acknowledge", id));
  ASSERT_EQ(acknowledged.status, 200) << acknowledged.body;
  const auto body = nlohmann::json::parse(acknowledged.body);
  EXPECT_EQ(body["state"], "snoozed");
  EXPECT_EQ(body["acknowledged_by"], "dashboard@127.0.0.1");
  EXPECT_EQ(body["acknowledged_at"], ms(clock_.now()));
  EXPECT_EQ(body["snoozed_until"], ms(risk_.find("p1")->updated_to + 30min));
  const auto again = request("POST", fmt::format("/api/alerts/{}/snooze?minutes=5&by=nurse-3", id));
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(nlohmann::json::parse(again.body)["alert"]["state"], "snoozed");
  EXPECT_EQ(request("POST", "/api/alerts/999/acknowledge").status, 404);
  EXPECT_EQ(get("/api/alerts?state=snoozed")["alerts"].size(), 1U);
  EXPECT_EQ(get("/api/alerts?state=open")["alerts"].size(), 0U);
  EXPECT_EQ(get("/api/patients")["patients"][0]["open_alerts"], 0);
}

TEST_F(DashboardApiTest, ActionsFromAnotherSitesPageAreRefused) {
  const auto id = alerts_.alerts().at(0).id;
  HttpRequest r;
  r.method = "POST";
  r.target = fmt::format("/api/alerts/{}/acknowledge", id);
  r.headers["Host"] = "127.0.0.1:8090";
  r.headers["Origin"] = "http://evil.example";
  const auto refused = dashboard::answer_dashboard_api(sources_, r);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(nlohmann::json::parse(refused->body)["parameter"], "Origin");
  EXPECT_EQ(alerts_.find(id)->state, ptwin::clinical::alerts::AlertState::Open);
  r.headers["Origin"] = "http://127.0.0.1:8090";  // the dashboard's own page
  EXPECT_EQ(dashboard::answer_dashboard_api(sources_, r)->status, 200);
}

TEST_F(DashboardApiTest, ModelSaysItsIdentityAsTheGateSeesItAndWhetherItWasVerified) {
  const auto model = get("/api/model");
  const auto identity = ptwin::vv::gate::hypotension_risk_model_identity(risk_.settings());
  EXPECT_EQ(model["name"], identity.name);
  EXPECT_EQ(model["version"], identity.version);
  EXPECT_EQ(model["settings_digest"], identity.settings_digest);
  EXPECT_EQ(model["verification"]["status"], "unverified");  // no gate in this process
  EXPECT_TRUE(model["recalibration"].is_null());  // the raw risk
  // A recalibrated risk names its maps and their digest.
  auto recalibrated = risk_.settings();
  ptwin::twin::risk::RiskRecalibration platt;
  platt.method = ptwin::twin::risk::RecalibrationMethod::Platt;
  platt.platt_intercept = -1.5;
  platt.platt_slope = 0.8;
  recalibrated.recalibrations = {{std::chrono::seconds(900), platt}};
  const auto with_maps = dashboard::hypotension_model_info(recalibrated, nullptr);
  EXPECT_EQ(with_maps.recalibration, "platt 900 s");
  EXPECT_EQ(with_maps.recalibration_digest,
            ptwin::vv::gate::recalibration_digest(recalibrated.recalibrations));
  EXPECT_NE(with_maps.settings_digest, model["settings_digest"]);
  auto changed = risk_.settings();
  changed.hypotension_threshold_pa = 60.0 * kPaPerMmHg;
  EXPECT_NE(dashboard::hypotension_model_info(changed, nullptr).settings_digest,
            model["settings_digest"]);
  // With a gate: its status, and why outputs are withheld when they are.
  const ptwin::vv::gate::ModelGate unverified(
      identity, ptwin::vv::gate::VerificationRecord{identity, ptwin::vv::gate::VerificationStatus::Unverified,
                                             ptwin::time::Instant{}, {}});
  const auto withheld = dashboard::hypotension_model_info(risk_.settings(), &unverified);
  EXPECT_EQ(withheld.verification.status, "unverified");
  EXPECT_NE(withheld.verification.detail.find(unverified.reason()), std::string::npos)
      << withheld.verification.detail;
}

}  // namespace
