// SPDX-License-Identifier: Apache-2.0
// Recalibration maps of the hypotension risk (src/ptwin/twin/risk/risk_recalibration.hpp) with
// known answers: platt recovering a miscalibration it was given, isotonic on a hand-worked set.
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/twin/risk/risk_recalibration.hpp"

namespace {

using ptwin::twin::risk::RecalibrationMethod;
using ptwin::twin::risk::RiskRecalibration;
using ptwin::uq::LabelledValue;

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Raw risks whose true probability is sigmoid(a + b logit(raw)): a miscalibration of known form.
std::vector<LabelledValue> miscalibrated(std::uint64_t seed, double a, double b, int n) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> raw_logit(-2.0, 1.5);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<LabelledValue> cases;
  for (int i = 0; i < n; ++i) {
    const double z = raw_logit(rng);
    cases.push_back({sigmoid(z), unit(rng) < sigmoid(a + b * z)});
  }
  return cases;
}

TEST(PlattRecalibration, RecoversAKnownMiscalibration) {
  const std::uint64_t seed = 11;
  std::printf("seed %llu\n", static_cast<unsigned long long>(seed));
  // The raw risk is too extreme (b = 0.6) and too high (a = -0.8).
  const auto cases = miscalibrated(seed, -0.8, 0.6, 20000);
  const auto r = ptwin::twin::risk::fit_platt_recalibration(cases);
  EXPECT_EQ(r.method, RecalibrationMethod::Platt);
  // Maximum-likelihood SEs at n = 20000 with this spread of logits are about 0.03 (a) and
  // 0.02 (b); 0.1 is more than 3 SE and far below the miscalibration itself.
  EXPECT_NEAR(r.platt_intercept, -0.8, 0.1);
  EXPECT_NEAR(r.platt_slope, 0.6, 0.1);
  // Applied to a raw risk, it gives the true probability of that risk.
  EXPECT_NEAR(r.apply(sigmoid(-1.0)), sigmoid(-0.8 + 0.6 * -1.0), 0.02);
}

TEST(PlattRecalibration, ACalibratedRiskIsLeftNearlyAlone) {
  const auto cases = miscalibrated(12, 0.0, 1.0, 20000);
  const auto r = ptwin::twin::risk::fit_platt_recalibration(cases);
  EXPECT_NEAR(r.platt_intercept, 0.0, 0.1);
  EXPECT_NEAR(r.platt_slope, 1.0, 0.1);
}

TEST(IsotonicRecalibration, HandWorkedKnotsAndInterpolation) {
  // Rates by raw risk: 0.1 -> 0/1, 0.2 -> 1/1, 0.3 -> 0/1, 0.4 -> 2/2. (1, 0) violates the
  // order and pools to 0.5: knots (0.1, 0), (0.2, 0.5), (0.3, 0.5), (0.4, 1).
  const std::vector<LabelledValue> cases{{0.4, true}, {0.1, false}, {0.3, false}, {0.2, true}, {0.4, true}};
  const auto r = ptwin::twin::risk::fit_isotonic_recalibration(cases);
  ASSERT_EQ(r.isotonic_knots.size(), 4u);
  const std::vector<ptwin::twin::risk::CalibrationKnot> expected{{0.1, 0.0}, {0.2, 0.5}, {0.3, 0.5}, {0.4, 1.0}};
  EXPECT_EQ(r.isotonic_knots, expected);
  EXPECT_DOUBLE_EQ(r.apply(0.05), 0.0);   // below the first knot: held
  EXPECT_DOUBLE_EQ(r.apply(0.15), 0.25);  // between blocks: linear
  EXPECT_DOUBLE_EQ(r.apply(0.25), 0.5);   // inside a block
  EXPECT_DOUBLE_EQ(r.apply(0.35), 0.75);
  EXPECT_DOUBLE_EQ(r.apply(0.9), 1.0);    // above the last knot: held
}

TEST(IsotonicRecalibration, RecoversAMonotoneMiscalibration) {
  const auto cases = miscalibrated(13, -0.8, 0.6, 20000);
  const auto r = ptwin::twin::risk::fit_isotonic_recalibration(cases);
  for (const double z : {-3.0, -2.0, -1.0}) {
    // Blocks hold hundreds of cases in this range: their rates are within about 0.03.
    EXPECT_NEAR(r.apply(sigmoid(z)), sigmoid(-0.8 + 0.6 * z), 0.04) << z;
  }
}

TEST(RiskRecalibration, NoneIsTheIdentity) {
  const RiskRecalibration none;
  for (const double p : {0.0, 0.2, 1.0}) EXPECT_EQ(none.apply(p), p);
}

TEST(RiskRecalibration, ValidateNamesTheFieldAndValue) {
  RiskRecalibration r;
  r.method = RecalibrationMethod::Platt;
  r.platt_slope = -1.0;
  try {
    r.validate("risk.recalibration[0]");
    FAIL() << "no error";
  } catch (const ptwin::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("risk.recalibration[0].platt_slope"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("-1"), std::string::npos) << e.what();
  }
  RiskRecalibration iso;
  iso.method = RecalibrationMethod::Isotonic;
  iso.isotonic_knots = {{0.1, 0.2}, {0.3, 0.1}};
  try {
    iso.validate("m");
    FAIL() << "no error";
  } catch (const ptwin::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("m.isotonic_knots[1].calibrated"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)ptwin::twin::risk::fit_platt_recalibration(
                   std::vector<LabelledValue>{{1.5, true}, {0.2, false}}),
               ptwin::InputError);
}

}  // namespace
