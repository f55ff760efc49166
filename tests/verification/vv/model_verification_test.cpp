// SPDX-License-Identifier: Apache-2.0
// The hypotension risk model's own verification cases (src/ptwin/vv/gate): the shipped settings
// pass every case within a few seconds, and a model whose forecast is overconfident fails the
// coverage cases, so the gate cannot pass a bad model by construction.
#include <gtest/gtest.h>

#include <chrono>

#include "ptwin/vv/gate/hypotension_model_verification.hpp"

namespace {

namespace gate = ptwin::vv::gate;
const ptwin::time::Instant kAt = ptwin::time::from_epoch_ms(1'767'225'600'000);

TEST(HypotensionModelVerification, ShippedSettingsPassEveryCaseInSeconds) {
  const auto started = std::chrono::steady_clock::now();
  const auto record = gate::verify_hypotension_risk_model({}, kAt);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  RecordProperty("seconds", std::to_string(seconds));
  ASSERT_EQ(record.cases.size(), 3u);
  for (const auto& c : record.cases) {
    RecordProperty(c.id, std::to_string(c.observed));
    EXPECT_TRUE(c.is_passed()) << c.id << ": " << c.observed << " outside [" << c.lower << ", "
                               << c.upper << "]";
  }
  EXPECT_EQ(record.status, gate::VerificationStatus::Passed);
  EXPECT_EQ(record.model, gate::hypotension_risk_model_identity({}));
  EXPECT_LT(seconds, 10.0);  // start-up budget of ptwin serve (docs/vv.md#model-gate)
}

TEST(HypotensionModelVerification, TheEnkfTwinIsVerifiedWithItsOwnCase) {
  ptwin::twin::risk::HypotensionRiskSettings enkf;
  enkf.filter = ptwin::StateFilter::Enkf;
  const auto record = gate::verify_hypotension_risk_model(enkf, kAt);
  ASSERT_EQ(record.cases.size(), 4u);
  EXPECT_EQ(record.cases[1].id, "twin.risk.enkf_near_kalman");
  for (const auto& c : record.cases) {
    RecordProperty("enkf." + c.id, std::to_string(c.observed));
    EXPECT_TRUE(c.is_passed()) << c.id << ": " << c.observed << " outside [" << c.lower << ", "
                               << c.upper << "]";
  }
  EXPECT_EQ(record.model, gate::hypotension_risk_model_identity(enkf));
  EXPECT_NE(record.model.settings_digest, gate::hypotension_risk_model_identity({}).settings_digest);
  // The case can fail: an ensemble of 10 is further from the exact filter than 200 members'
  // bound allows (its own bound, 4/sqrt(10) = 1.26, is wide, so compare with 200's).
  ptwin::twin::risk::HypotensionRiskSettings small = enkf;
  small.ensemble_size = 10;
  const auto small_case = gate::enkf_near_kalman_case(small);
  EXPECT_GT(small_case.observed, record.cases[1].upper) << small_case.observed;
}

TEST(HypotensionModelVerification, AnOverconfidentForecastFailsCoverage) {
  ptwin::twin::risk::HypotensionRiskSettings overconfident;
  overconfident.model.level_noise_per_sqrt_s *= 0.05;  // drift 20 times too small
  overconfident.model.rate_stationary_sd_per_s *= 0.05;
  const auto cases = gate::forecast_coverage_cases(overconfident);
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_FALSE(cases[0].is_passed()) << "MAP coverage " << cases[0].observed;
  EXPECT_LT(cases[0].observed, cases[0].lower);
  // The UKF is still exact on the linear case: the failure is the model's, not the filter's.
  EXPECT_TRUE(gate::ukf_equals_kalman_case(overconfident).is_passed());
  EXPECT_EQ(gate::verify_hypotension_risk_model(overconfident, kAt).status,
            gate::VerificationStatus::Failed);
}

}  // namespace
