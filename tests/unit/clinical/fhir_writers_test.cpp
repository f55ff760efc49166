// SPDX-License-Identifier: Apache-2.0
// FHIR R5 writers of the twin's outputs (src/ptwin/clinical/fhir): every resource they write is
// valid against the R5 core definitions (the project's validator with FHIRPath invariants), and
// carries what it says: the forecast, the estimate with its interval, the alert, and the model
// (Device, meta.tag, extension).
#include <chrono>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ptwin/clinical/fhir/detected_issue_writer.hpp"
#include "ptwin/clinical/fhir/estimate_observation_writer.hpp"
#include "ptwin/clinical/fhir/output_codes.hpp"
#include "ptwin/clinical/fhir/risk_assessment_writer.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/ingest/fhir/definitions/definitions.hpp"
#include "ptwin/ingest/fhir/validation/fhirpath_invariants.hpp"
#include "ptwin/ingest/fhir/validation/validator.hpp"
#include "ptwin/vv/gate/model_identity.hpp"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace cf = ptwin::clinical::fhir;
namespace validation = ptwin::ingest::fhir::validation;

const ptwin::time::Instant kStart = ptwin::time::from_epoch_ms(1'767'225'600'000);
constexpr double kMmHg = ptwin::units::kPaPerMmHg;

const validation::Validator& validator() {
  static const auto definitions = ptwin::ingest::fhir::definitions::Definitions::open(
      std::filesystem::path(PTWIN_FHIR_PACKAGE_DIR));
  static const validation::Validator instance = [] {
    validation::ValidatorOptions options;
    options.invariant_evaluator = validation::make_fhirpath_invariant_evaluator(*definitions);
    return validation::Validator(*definitions, std::move(options));
  }();
  return instance;
}

void expect_valid_r5(const json& resource) {
  const auto result = validator().validate(resource);
  EXPECT_TRUE(result.invariants_evaluated);
  EXPECT_TRUE(result.is_valid()) << validation::to_operation_outcome(result).dump(2) << "\n"
                                 << resource.dump(2);
}

cf::ModelProvenance verified() {
  return {ptwin::vv::gate::hypotension_risk_model_identity({}),
          ptwin::vv::gate::VerificationStatus::Passed, std::nullopt};
}

// A real twin's forecasts: started at 80 mmHg and falling 3 mmHg per minute for 2 min.
std::pair<ptwin::twin::risk::HypotensionForecast, ptwin::twin::risk::HypotensionForecast>
falling_forecasts(ptwin::twin::risk::HypotensionRiskTwin& twin) {
  for (int s = 10; s <= 120; s += 10) {
    (void)twin.assimilate_mean_arterial_pressure(kStart + std::chrono::seconds(s),
                                                 (80.0 - s / 20.0) * kMmHg);
  }
  return {twin.forecast(5min), twin.forecast(15min)};
}

TEST(RiskAssessmentWriter, WritesValidR5WithProbabilityWindowIntervalAndModel) {
  ptwin::twin::risk::HypotensionRiskTwin twin({}, kStart, 80.0 * kMmHg);
  const auto [in5, in15] = falling_forecasts(twin);
  const auto at = kStart + 120s;
  const json ra = cf::write_risk_assessment({.patient_id = "p1",
                                             .occurrence = at,
                                             .forecasts = {in5, in15},
                                             .hypotension_threshold_pa = 65.0 * kMmHg,
                                             .minimum_duration = 60s,
                                             .basis = {"Observation/map-1"},
                                             .provenance = verified(),
                                             .filter = ptwin::StateFilter::Ukf});
  expect_valid_r5(ra);
  EXPECT_EQ(ra["status"], "final");
  EXPECT_EQ(ra["method"]["coding"][0]["code"], "ukf-gaussian-forecast");
  EXPECT_EQ(ra["subject"]["reference"], "Patient/p1");
  EXPECT_EQ(ra["occurrenceDateTime"], ptwin::time::format_iso8601(at));
  EXPECT_EQ(ra["basis"][0]["reference"], "Observation/map-1");
  const auto identity = verified().model;
  EXPECT_EQ(ra["performer"]["reference"], "Device/" + cf::model_device_id(identity));
  ASSERT_EQ(ra["prediction"].size(), 2u);
  const auto& p15 = ra["prediction"][1];
  EXPECT_NEAR(p15["probabilityDecimal"].get<double>(), in15.probability, 5e-5);
  EXPECT_GT(p15["probabilityDecimal"].get<double>(),
            ra["prediction"][0]["probabilityDecimal"].get<double>());
  EXPECT_EQ(p15["whenPeriod"]["end"], ptwin::time::format_iso8601(at + 15min));
  // The MAP forecast interval at the horizon, in mmHg, in the forecast-interval extension.
  const auto& map = p15["extension"][0];
  EXPECT_EQ(map["url"], cf::kForecastExtension);
  const auto& interval = map["extension"][2]["valueRange"];
  EXPECT_NEAR(interval["low"]["value"].get<double>(), in15.mean_arterial_pressure_pa.p05 / kMmHg,
              0.05);
  EXPECT_NEAR(interval["high"]["value"].get<double>(), in15.mean_arterial_pressure_pa.p95 / kMmHg,
              0.05);
  EXPECT_EQ(interval["low"]["code"], "mm[Hg]");
  // Model version and verification status travel with the resource.
  EXPECT_EQ(ra["meta"]["tag"][0]["system"], cf::kVerificationStatusSystem);
  EXPECT_EQ(ra["meta"]["tag"][0]["code"], "passed");
  const auto& model = ra["extension"][0];
  EXPECT_EQ(model["url"], cf::kModelExtension);
  EXPECT_EQ(model["extension"][1]["valueString"], ptwin::vv::gate::kHypotensionRiskModelVersion);
  EXPECT_EQ(model["extension"][2]["valueString"], identity.settings_digest);
}

TEST(RiskAssessmentWriter, ARecalibratedRiskCarriesTheRawProbabilityAndTheMapsDigest) {
  ptwin::twin::risk::HypotensionRiskSettings settings;
  ptwin::twin::risk::RiskRecalibration platt;
  platt.method = ptwin::twin::risk::RecalibrationMethod::Platt;
  platt.platt_intercept = -1.5;
  platt.platt_slope = 0.8;
  settings.recalibrations = {{std::chrono::seconds(900), platt}};  // 15 min only
  ptwin::twin::risk::HypotensionRiskTwin twin(settings, kStart, 80.0 * kMmHg);
  const auto [in5, in15] = falling_forecasts(twin);
  auto provenance = verified();
  provenance.model = ptwin::vv::gate::hypotension_risk_model_identity(settings);
  provenance.recalibration_digest = ptwin::vv::gate::recalibration_digest(settings.recalibrations);
  const json ra = cf::write_risk_assessment({.patient_id = "p1",
                                             .occurrence = kStart + 120s,
                                             .forecasts = {in5, in15},
                                             .hypotension_threshold_pa = 65.0 * kMmHg,
                                             .minimum_duration = 60s,
                                             .basis = {},
                                             .provenance = provenance,
                                             .filter = ptwin::StateFilter::Ukf});
  expect_valid_r5(ra);
  // 5 min: no map, the raw risk and no recalibration extension.
  EXPECT_EQ(ra["prediction"][0]["extension"].size(), 2U);
  const auto& p15 = ra["prediction"][1];
  ASSERT_EQ(p15["extension"].size(), 3U);
  const auto& r = p15["extension"][2];
  EXPECT_EQ(r["url"], cf::kRecalibrationExtension);
  EXPECT_EQ(r["extension"][0]["valueCode"], "platt");
  const double raw = r["extension"][1]["valueDecimal"].get<double>();
  EXPECT_EQ(raw, in15.raw_probability);
  EXPECT_NEAR(p15["probabilityDecimal"].get<double>(), platt.apply(raw), 0.5e-4);
  EXPECT_GT(std::abs(platt.apply(raw) - raw), 1e-3);  // the map changed it
  EXPECT_NE(p15["rationale"].get<std::string>().find("recalibrated (platt) from the raw"),
            std::string::npos);
  const auto& model = ra["extension"][0]["extension"];
  ASSERT_EQ(model.size(), 6U);
  EXPECT_EQ(model[5]["url"], "recalibrationDigest");
  EXPECT_EQ(model[5]["valueString"], *provenance.recalibration_digest);
  // And the model's Device names the maps.
  const json device = cf::model_device(provenance);
  expect_valid_r5(device);
  EXPECT_EQ(device["property"][2]["valueString"], *provenance.recalibration_digest);
}

TEST(RiskAssessmentWriter, SameAssessmentGetsTheSameIdAndAnotherTimeAnother) {
  ptwin::twin::risk::HypotensionRiskTwin twin({}, kStart, 80.0 * kMmHg);
  cf::RiskAssessmentInput input{.patient_id = "p1",
                                .occurrence = kStart,
                                .forecasts = {twin.forecast(5min)},
                                .hypotension_threshold_pa = 65.0 * kMmHg,
                                .minimum_duration = 60s,
                                .basis = {},
                                .provenance = verified(),
                                .filter = ptwin::StateFilter::Ukf};
  const auto id = cf::write_risk_assessment(input)["id"];
  EXPECT_EQ(cf::write_risk_assessment(input)["id"], id);
  input.occurrence += 10s;
  EXPECT_NE(cf::write_risk_assessment(input)["id"], id);
}

TEST(RiskAssessmentWriter, TheMethodNamesTheFilterThatMadeTheForecasts) {
  ptwin::twin::risk::HypotensionRiskTwin twin({}, kStart, 80.0 * kMmHg);
  cf::RiskAssessmentInput input{.patient_id = "p1",
                                .occurrence = kStart,
                                .forecasts = {twin.forecast(5min)},
                                .hypotension_threshold_pa = 65.0 * kMmHg,
                                .minimum_duration = 60s,
                                .basis = {},
                                .provenance = verified(),
                                .filter = ptwin::StateFilter::Enkf};
  const json ra = cf::write_risk_assessment(input);
  expect_valid_r5(ra);
  EXPECT_EQ(ra["method"]["coding"][0]["code"], "enkf-gaussian-forecast");
  input.filter = ptwin::StateFilter::Ukf;
  EXPECT_EQ(cf::write_risk_assessment(input)["method"]["coding"][0]["code"], "ukf-gaussian-forecast");
}

TEST(RiskAssessmentWriter, RefusesAProbabilityOutsideZeroOneNamingTheField) {
  ptwin::twin::risk::HypotensionRiskTwin twin({}, kStart, 80.0 * kMmHg);
  auto forecast = twin.forecast(5min);
  forecast.probability = 1.5;
  try {
    (void)cf::write_risk_assessment({.patient_id = "p1",
                                     .occurrence = kStart,
                                     .forecasts = {forecast},
                                     .hypotension_threshold_pa = 65.0 * kMmHg,
                                     .minimum_duration = 60s,
                                     .basis = {},
                                     .provenance = verified(),
                                     .filter = ptwin::StateFilter::Ukf});
    FAIL() << "no error";
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.where(), "risk assessment: forecasts.probability");
    EXPECT_EQ(e.value(), "1.5");
  }
}

TEST(EstimateObservationWriter, WritesValidR5SvrAndCoWithTheirNinetyPercentIntervals) {
  ptwin::twin::risk::HypotensionRiskTwin twin({}, kStart, 80.0 * kMmHg, 5.0e-3 / 60.0);
  const auto estimate = twin.estimate();
  const auto observations = cf::write_estimate_observations({"p1", kStart, estimate, verified()});
  ASSERT_EQ(observations.size(), 2u);
  for (const auto& o : observations) {
    expect_valid_r5(o);
    EXPECT_EQ(o["status"], "final");
    EXPECT_EQ(o["device"]["reference"], "Device/" + cf::model_device_id(verified().model));
    const double median = o["valueQuantity"]["value"].get<double>();
    const auto& range = o["component"][0]["valueRange"];
    EXPECT_LT(range["low"]["value"].get<double>(), median);
    EXPECT_GT(range["high"]["value"].get<double>(), median);
  }
  // CO: the posterior median exp(mean ln CO), in L/min.
  EXPECT_EQ(observations[1]["code"]["coding"][0]["code"], "8741-1");
  EXPECT_NEAR(observations[1]["valueQuantity"]["value"].get<double>(),
              std::exp(estimate.mean[2]) * 6.0e4, 0.005);
  // SVR = (MAP - CVP) / CO = (80 - 6) mmHg / 5 L/min = 1184 dyn s cm^-5.
  EXPECT_EQ(observations[0]["valueQuantity"]["code"], "dyn.s.cm-5");
  EXPECT_NEAR(observations[0]["valueQuantity"]["value"].get<double>(), 74.0 * 80.0 / 5.0, 2.0);
}

TEST(DetectedIssueWriter, WritesValidR5ForRaisedAndClearedAlertsOfOneEpisode) {
  ptwin::clinical::alerts::AlertNotification raised{
      ptwin::clinical::alerts::NotificationKind::Raised,
      kStart,
      "p1",
      "hypotension-risk",
      1,
      0.7,
      3};
  const auto issue = cf::write_detected_issue(
      {raised, "15-min hypotension risk >= 0.5", "RiskAssessment/risk-1", verified(), {}});
  expect_valid_r5(issue);
  EXPECT_EQ(issue["status"], "final");
  EXPECT_EQ(issue["severity"], "moderate");
  EXPECT_EQ(issue["evidence"][0]["detail"][0]["reference"], "RiskAssessment/risk-1");
  EXPECT_EQ(issue["author"]["reference"], "Device/" + cf::model_device_id(verified().model));
  auto cleared = raised;
  cleared.kind = ptwin::clinical::alerts::NotificationKind::Cleared;
  cleared.time += 5min;
  const auto clear_issue =
      cf::write_detected_issue({cleared, "risk", std::nullopt, verified(), {}});
  expect_valid_r5(clear_issue);
  EXPECT_EQ(clear_issue["status"], "mitigated");
  EXPECT_EQ(clear_issue["id"], issue["id"]);  // one resource per alert episode
  auto escalated = raised;
  escalated.kind = ptwin::clinical::alerts::NotificationKind::Escalated;
  escalated.level = 2;
  EXPECT_EQ(cf::write_detected_issue({escalated, "risk", std::nullopt, verified(), {}})["severity"],
            "high");
}

TEST(DetectedIssueWriter, EachAcknowledgementIsAMitigationWithActionDateAndAuthor) {
  const ptwin::clinical::alerts::AlertNotification raised{
      ptwin::clinical::alerts::NotificationKind::Raised, kStart, "p1", "hypotension-risk", 1, 0.7,
      3};
  const std::vector<ptwin::clinical::alerts::AlertAcknowledgement> acknowledgements{
      {.alert_id = 3,
       .patient = "p1",
       .rule = "hypotension-risk",
       .by = "dr.lee",
       .at = kStart + 90s,
       .snoozed_until = kStart + 60s + 30min,
       .snooze = 30min}};
  const auto issue = cf::write_detected_issue(
      {raised, "15-min hypotension risk >= 0.5", "RiskAssessment/risk-1", verified(),
       acknowledgements});
  expect_valid_r5(issue);
  EXPECT_EQ(issue["status"], "final");  // acknowledged is not cleared
  ASSERT_EQ(issue["mitigation"].size(), 1U);
  const auto& m = issue["mitigation"][0];
  EXPECT_EQ(m["action"]["coding"][0]["code"], "alert-acknowledged");
  EXPECT_EQ(m["action"]["text"], "Alert acknowledged; snoozed for 30 min");
  EXPECT_EQ(m["date"], ptwin::time::format_iso8601(kStart + 90s));
  EXPECT_EQ(m["author"]["display"], "dr.lee");
  EXPECT_NE(m["note"][0]["text"].get<std::string>().find(
                ptwin::time::format_iso8601(kStart + 60s + 30min)),
            std::string::npos);
  // Without acknowledgements there is no mitigation element.
  EXPECT_FALSE(cf::write_detected_issue({raised, "r", std::nullopt, verified(), {}})
                   .contains("mitigation"));
}

TEST(ModelDevice, IsValidR5WithVersionDigestAndVerificationStatus) {
  const auto device = cf::model_device(verified());
  expect_valid_r5(device);
  EXPECT_EQ(device["id"], cf::model_device_id(verified().model));
  EXPECT_EQ(device["version"][0]["value"], ptwin::vv::gate::kHypotensionRiskModelVersion);
  EXPECT_EQ(device["property"][0]["valueString"], verified().model.settings_digest);
  EXPECT_EQ(device["property"][1]["valueCodeableConcept"]["coding"][0]["code"], "passed");
}

}  // namespace
