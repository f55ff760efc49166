// SPDX-License-Identifier: Apache-2.0
// The model gate (src/ptwin/vv/gate): identity digests, verification records as JSON, and the
// verdict for each way a model can fail to qualify; the bad-input corpus of records.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "ptwin/core/error.hpp"
#include "ptwin/vv/gate/model_gate.hpp"
#include "support/bad_input_corpus.hpp"

namespace {

namespace gate = ptwin::vv::gate;
using ptwin::twin::risk::HypotensionRiskSettings;

const ptwin::time::Instant kAt = ptwin::time::from_epoch_ms(1'767'225'600'000);

gate::CaseResult a_case(double observed) {
  return {.id = "twin.risk.example",
          .source = "closed form",
          .quantity = "q",
          .norm = "max error",
          .observed = observed,
          .lower = 0.0,
          .upper = 1e-8,
          .tolerance_reason = "rounding"};
}

gate::VerificationRecord record_for(const HypotensionRiskSettings& s, double observed) {
  gate::VerificationRecord r;
  r.model = gate::hypotension_risk_model_identity(s);
  r.verified_at = kAt;
  r.cases = {a_case(observed)};
  r.status = gate::status_of(r.cases);
  return r;
}

TEST(ModelIdentity, DigestIsStableAndChangesWithEverySetting) {
  const HypotensionRiskSettings base;
  const auto digest = gate::hypotension_risk_model_identity(base).settings_digest;
  EXPECT_EQ(digest.size(), 64u);
  EXPECT_EQ(gate::hypotension_risk_model_identity(base).settings_digest, digest);
  std::vector<HypotensionRiskSettings> changed(13, base);
  changed[0].model.central_venous_pressure_pa += 1.0;
  changed[1].model.level_noise_per_sqrt_s *= 1.01;
  changed[2].model.rate_stationary_sd_per_s *= 1.01;
  changed[3].model.rate_memory_s += 1.0;
  changed[4].model.map_noise_pa += 1.0;
  changed[5].model.cardiac_output_relative_noise += 0.01;
  changed[6].model.nominal_cardiac_output_m3_per_s *= 1.01;
  changed[7].prior_cardiac_output_m3_per_s *= 1.01;
  changed[8].prior_ln_cardiac_output_sd += 0.01;
  changed[9].forecast_step += std::chrono::seconds(1);
  changed[10].hypotension_threshold_pa += 1.0;
  changed[11].minimum_duration += std::chrono::seconds(1);
  changed[12].gate_probability = 0.99;
  changed.resize(19, base);
  changed[13].filter = ptwin::StateFilter::Enkf;
  ptwin::twin::risk::HorizonRecalibration platt{std::chrono::minutes(15), {}};
  platt.map.method = ptwin::twin::risk::RecalibrationMethod::Platt;
  changed[14].recalibrations = {platt};
  changed[15].recalibrations = {platt};
  changed[15].recalibrations[0].map.platt_slope = 0.9;
  changed[16].recalibrations = {platt};
  changed[16].recalibrations[0].horizon = std::chrono::minutes(5);
  ptwin::twin::risk::HorizonRecalibration isotonic{std::chrono::minutes(15), {}};
  isotonic.map.method = ptwin::twin::risk::RecalibrationMethod::Isotonic;
  isotonic.map.isotonic_knots = {{0.1, 0.05}, {0.5, 0.4}};
  changed[17].recalibrations = {isotonic};
  changed[18].recalibrations = {isotonic};
  changed[18].recalibrations[0].map.isotonic_knots[1].calibrated = 0.41;
  for (std::size_t i = 0; i < changed.size(); ++i) {
    EXPECT_NE(gate::hypotension_risk_model_identity(changed[i]).settings_digest, digest) << i;
  }
}

TEST(ModelIdentity, EnsembleSettingsCountOnlyUnderTheEnkf) {
  HypotensionRiskSettings ukf;
  HypotensionRiskSettings ukf_other_seed = ukf;
  ukf_other_seed.ensemble_seed += 1;
  EXPECT_EQ(gate::hypotension_risk_model_identity(ukf).settings_digest,
            gate::hypotension_risk_model_identity(ukf_other_seed).settings_digest);
  HypotensionRiskSettings enkf = ukf;
  enkf.filter = ptwin::StateFilter::Enkf;
  HypotensionRiskSettings enkf_other_seed = enkf;
  enkf_other_seed.ensemble_seed += 1;
  HypotensionRiskSettings enkf_other_size = enkf;
  enkf_other_size.ensemble_size += 1;
  const auto digest = gate::hypotension_risk_model_identity(enkf).settings_digest;
  EXPECT_NE(gate::hypotension_risk_model_identity(enkf_other_seed).settings_digest, digest);
  EXPECT_NE(gate::hypotension_risk_model_identity(enkf_other_size).settings_digest, digest);
  EXPECT_NE(gate::canonical_settings_text(enkf).find("filter=enkf\nensemble_size=200\n"),
            std::string::npos)
      << gate::canonical_settings_text(enkf);
}

TEST(ModelGate, PassedRecordForTheSameIdentityMayEmit) {
  gate::ModelGate g(gate::hypotension_risk_model_identity({}), record_for({}, 1e-12));
  EXPECT_TRUE(g.may_emit());
  EXPECT_EQ(g.status(), gate::VerificationStatus::Passed);
  EXPECT_TRUE(g.reason().empty());
  EXPECT_TRUE(g.admit(5));
  EXPECT_EQ(g.withheld(), 0u);
}

TEST(ModelGate, FailedRecordWithholdsAndNamesTheCase) {
  gate::ModelGate g(gate::hypotension_risk_model_identity({}), record_for({}, 1e-3));
  EXPECT_EQ(g.verdict(), gate::GateVerdict::FailedVerification);
  EXPECT_NE(g.reason().find("twin.risk.example"), std::string::npos) << g.reason();
  EXPECT_FALSE(g.admit(3));
  EXPECT_FALSE(g.admit(2));
  EXPECT_EQ(g.withheld(), 5u);
}

TEST(ModelGate, NoCasesIsUnverified) {
  gate::VerificationRecord r;
  r.model = gate::hypotension_risk_model_identity({});
  gate::ModelGate g(r.model, r);
  EXPECT_EQ(g.verdict(), gate::GateVerdict::Unverified);
  EXPECT_FALSE(g.may_emit());
}

TEST(ModelGate, ARecordForOtherSettingsIsADigestMismatch) {
  HypotensionRiskSettings running;
  running.hypotension_threshold_pa += 100.0;
  gate::ModelGate g(gate::hypotension_risk_model_identity(running), record_for({}, 1e-12));
  EXPECT_EQ(g.verdict(), gate::GateVerdict::DigestMismatch);
  EXPECT_EQ(g.status(), gate::VerificationStatus::Unverified);
  EXPECT_NE(g.reason().find("changed after verification"), std::string::npos);
  EXPECT_FALSE(g.admit());
}

TEST(VerificationRecord, RoundTripsThroughJson) {
  auto r = record_for({}, 2.5e-13);
  r.cases.push_back(a_case(std::numeric_limits<double>::quiet_NaN()));  // not computed
  r.status = gate::status_of(r.cases);
  ASSERT_EQ(r.status, gate::VerificationStatus::Failed);
  const auto back = gate::parse_verification_record(gate::to_json_text(r), "record.json");
  EXPECT_EQ(back.model, r.model);
  EXPECT_EQ(back.status, r.status);
  EXPECT_EQ(back.verified_at, r.verified_at);
  ASSERT_EQ(back.cases.size(), 2u);
  EXPECT_EQ(back.cases[0].observed, 2.5e-13);
  EXPECT_TRUE(std::isnan(back.cases[1].observed));
}

TEST(VerificationRecord, AStatusItsCasesContradictIsRefused) {
  auto r = record_for({}, 1.0);                 // fails
  r.status = gate::VerificationStatus::Passed;  // edited by hand
  try {
    (void)gate::parse_verification_record(gate::to_json_text(r), "record.json");
    FAIL() << "no error";
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.where(), "record.json.status");
    EXPECT_EQ(e.value(), "passed");
  }
}

TEST(VerificationRecord, MissingFieldAndBadJsonAreNamed) {
  try {
    (void)gate::parse_verification_record(
        R"({"format":"ptwin-verification-record/1","status":"passed"})", "r.json");
    FAIL() << "no error";
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.where(), "r.json.model");
    EXPECT_EQ(e.code(), ptwin::ErrorCode::MissingField);
  }
  EXPECT_THROW((void)gate::parse_verification_record("{not json", "r.json"), ptwin::InputError);
  EXPECT_THROW((void)gate::read_verification_record("/nonexistent/record.json"), ptwin::InputError);
}

TEST(VerificationRecord, EveryBadInputIsRefusedNamingTheField) {
  const std::filesystem::path folder =
      std::filesystem::path(PTWIN_SOURCE_DIR) / "tests/data/bad_inputs/verification_record";
  const auto cases = ptwin::testing::scoped_corpus(folder, ".json", {"document"}, "document");
  ASSERT_GE(cases.size(), 15U);
  for (const auto& bad : cases) {
    SCOPED_TRACE(bad.input.filename().string());
    try {
      (void)gate::read_verification_record(bad.input);
      ADD_FAILURE() << "accepted";
    } catch (const ptwin::InputError& error) {
      EXPECT_EQ(ptwin::error_code_info(error.code()).name, bad.code_name) << error.what();
      ptwin::testing::expect_fragments(error.what(), bad);
    }
  }
}

}  // namespace
