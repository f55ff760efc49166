// SPDX-License-Identifier: Apache-2.0
// Verification of the what-if forecast (src/ptwin/twin/risk/what_if_forecast.hpp):
// - a zero dose gives the twin's own forecast (HypotensionRiskTwin::forecast, a separate code
//   path) to round-off;
// - a norepinephrine infusion raises the forecast median of ln(MAP - CVP) by ln(1 + E(Ce(t))),
//   with Ce(t) from the closed-form solution of the one-compartment + effect-compartment model
//   under a constant infusion, written here independently of the PK/PD code;
// - in a perfect-model twin experiment whose truth follows the twin's model and receives the
//   same intervention (with response factors drawn from the stated distributions), the 90 %
//   intervals of MAP and CO at 5 and 15 min contain the truth about 90 % of the time
//   (calibration as Gneiting & Raftery 2007, doi:10.1198/016214506000001437).

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>

#include "ptwin/physics/pkpd/norepinephrine.hpp"
#include "ptwin/twin/risk/what_if_forecast.hpp"
#include "verification/verification_case.hpp"

namespace ptwin::twin::risk {
namespace {

using namespace std::chrono_literals;
using ptwin::testing::VerificationCase;
namespace pkpd = physics::pkpd;

const time::Instant kStart = time::from_epoch_ms(1'767'225'600'000);
constexpr double kMmHg = units::kPaPerMmHg;

// A twin that has seen 20 min of MAP falling from 80 to 70 mmHg and one CO of 5 L/min.
// (The twin is not copyable: handed out by pointer.)
std::unique_ptr<HypotensionRiskTwin> falling_twin() {
  auto twin = std::make_unique<HypotensionRiskTwin>(HypotensionRiskSettings{}, kStart,
                                                    80.0 * kMmHg, 5.0e-3 / 60.0);
  for (int k = 1; k <= 120; ++k) {
    (void)twin->assimilate_mean_arterial_pressure(kStart + 10s * k, (80.0 - k / 12.0) * kMmHg);
  }
  return twin;
}

pkpd::DrugAdministration norepinephrine(double ug_per_min) {
  pkpd::DosingSchedule schedule;
  schedule.set_infusion_rate(units::Duration::from_si(0.0), ug_per_min * pkpd::ug_per_min);
  return {pkpd::norepinephrine_on_systemic_resistance(), schedule};
}

double relative_difference(double a, double b) { return std::abs(a - b) / std::abs(b); }

const VerificationCase kZeroDoseCase{
    .id = "twin.risk.what_if_zero_dose",
    .source = "identity: a zero infusion rate gives multipliers of exactly 1; compared with "
              "HypotensionRiskTwin::forecast, which propagates the same posterior separately",
    .quantity = "MAP and CO 5/50/95 % quantiles at 15 min and the 15 min risk",
    .norm = "max relative difference",
    .tolerance = 1e-12,
    .tolerance_reason = "the same Kalman prediction evaluated in the same order; only "
                        "round-off of a few operations can differ",
};

TEST(WhatIfForecast, ZeroDoseEqualsThePlainForecast) {
  const auto twin_pointer = falling_twin();
  const HypotensionRiskTwin& twin = *twin_pointer;
  HaemodynamicIntervention nothing;
  nothing.drugs.push_back(norepinephrine(0.0));
  const std::array<std::chrono::seconds, 2> leads{5min, 15min};
  const WhatIfForecast what_if = forecast_what_if(twin, nothing, 15min, leads);
  const HypotensionForecast plain = twin.forecast(15min);
  double worst = 0.0;
  for (const auto* scenario : {&what_if.with_intervention, &what_if.without_intervention}) {
    const auto& at_horizon = scenario->points.back();
    ASSERT_EQ(at_horizon.lead, 15min);
    for (const auto& [q, reference] :
         {std::pair{at_horizon.mean_arterial_pressure_pa, plain.mean_arterial_pressure_pa},
          std::pair{at_horizon.cardiac_output_m3_per_s, plain.cardiac_output_m3_per_s}}) {
      worst = std::max({worst, relative_difference(q.p05, reference.p05),
                        relative_difference(q.p50, reference.p50),
                        relative_difference(q.p95, reference.p95)});
    }
    worst = std::max(worst, relative_difference(scenario->probability, plain.probability));
  }
  ptwin::testing::record_verification(kZeroDoseCase, worst);
  EXPECT_LE(worst, kZeroDoseCase.tolerance);
  EXPECT_GT(plain.probability, 0.05) << "the case must have a risk to compare";
}

const VerificationCase kEmaxCase{
    .id = "twin.risk.what_if_vasopressor_emax",
    .source = "closed form: constant infusion R into one compartment (V, CL, k = CL/V), effect "
              "site dCe/dt = ke0 (Cp - Ce): Ce(t) = Css [1 - (ke0 e^{-k t} - k e^{-ke0 t}) / "
              "(ke0 - k)], Css = R/CL; sigmoid Emax (Holford & Sheiner 1981)",
    .quantity = "rise of the forecast median ln(MAP - CVP) against ln(1 + E(Ce(t))), "
                "t = 1..15 min, norepinephrine 7 ug/min",
    .norm = "max absolute error (ln units)",
    .tolerance = 1e-6,
    .tolerance_reason = "the effect site is integrated with 1 s steps, error <= (k h)^2/8 of "
                        "Css = 1.8e-6 relative (docs/pkpd.md#effect-site-error); through "
                        "dE/dC < 0.2 /(ug/L) this is below 1e-6 in ln(1 + E)",
};

TEST(WhatIfForecast, VasopressorRaisesMapByTheEmaxEffectInLogSpace) {
  const auto twin_pointer = falling_twin();
  const HypotensionRiskTwin& twin = *twin_pointer;
  HaemodynamicIntervention intervention;
  intervention.drugs.push_back(norepinephrine(7.0));
  std::vector<std::chrono::seconds> leads;
  for (int minute = 1; minute <= 15; ++minute) leads.emplace_back(std::chrono::minutes(minute));
  const WhatIfForecast f = forecast_what_if(twin, intervention, 15min, leads);
  // Parameters of norepinephrine_on_systemic_resistance() (physics/pkpd/norepinephrine.hpp).
  const double clearance_l_min = 2.0, volume_l = 8.8, ke0 = 0.5, emax = 1.0, ec50 = 5.0, hill = 1.5;
  const double k = clearance_l_min / volume_l;
  const double css = 7.0 / clearance_l_min;  // ug/L
  const double cvp = twin.settings().model.central_venous_pressure_pa;
  double worst = 0.0;
  for (std::size_t i = 0; i < leads.size(); ++i) {
    const double t = static_cast<double>(leads[i].count()) / 60.0;  // min
    const double ce = css * (1.0 - (ke0 * std::exp(-k * t) - k * std::exp(-ke0 * t)) / (ke0 - k));
    const double effect = emax * std::pow(ce, hill) / (std::pow(ec50, hill) + std::pow(ce, hill));
    const double rise = std::log(f.with_intervention.points[i].mean_arterial_pressure_pa.p50 - cvp) -
                        std::log(f.without_intervention.points[i].mean_arterial_pressure_pa.p50 - cvp);
    worst = std::max(worst, std::abs(rise - std::log1p(effect)));
  }
  ptwin::testing::record_verification(kEmaxCase, worst);
  EXPECT_LE(worst, kEmaxCase.tolerance);
  EXPECT_LT(f.with_intervention.probability, f.without_intervention.probability);
  // Cardiac output is not touched by a drug on resistance.
  EXPECT_DOUBLE_EQ(f.with_intervention.points.back().cardiac_output_m3_per_s.p50,
                   f.without_intervention.points.back().cardiac_output_m3_per_s.p50);
}

const VerificationCase kCoverageCase{
    .id = "twin.risk.what_if_interval_coverage",
    .source = "perfect-model twin experiment: truth from the trend model's own dynamics and "
              "noise, MAP observed every 10 s (3 mmHg), CO once (10 %), 30 min assimilated; "
              "then norepinephrine 0.1 ug/kg/min (70 kg) and 500 mL over 10 min applied to the "
              "truth with response factors c_d ~ N(1, 0.3^2), c_f ~ N(1, 1)",
    .quantity = "share of 400 replicates whose true MAP and CO at 5 and 15 min lie inside the "
                "forecast's 90 % interval",
    .norm = "coverage",
    .tolerance = 0.05,
    .tolerance_reason = "binomial SD at n = 400, p = 0.9 is 0.015: [0.85, 0.95] is +-3.3 SD, "
                        "leaving room for the UKF's Gaussian approximation of the posterior",
};

TEST(WhatIfForecast, NinetyPercentIntervalsCoverTheTruthUnderTheSameIntervention) {
  constexpr std::uint64_t kSeed = 20261125;
  constexpr int kReplicates = 400;
  std::printf("seed %llu, %d replicates\n", static_cast<unsigned long long>(kSeed), kReplicates);
  std::mt19937_64 generator(kSeed);
  std::normal_distribution<double> normal(0.0, 1.0);
  const HypotensionRiskSettings settings;
  const HaemodynamicTrendModel model(settings.model);
  const auto& m = settings.model;
  const double dt = 10.0;
  const Eigen::Matrix4d noise_sd = model.process_noise(dt).cwiseSqrt();
  HaemodynamicIntervention intervention;
  intervention.drugs.push_back(norepinephrine(0.1 * 70.0));
  intervention.fluids.push_back(pkpd::fluid_bolus(500.0, "mL", units::Duration::from_si(0.0),
                                                  10.0 * units::min));
  std::vector<units::Duration> grid;
  for (int k = 0; k <= 90; ++k) grid.push_back(units::Duration::from_si(dt * k));
  const InterventionEffects effects = intervention_effects(intervention, grid);
  const std::array<std::chrono::seconds, 2> leads{5min, 15min};
  std::array<int, 2> map_inside{0, 0}, co_inside{0, 0};
  const auto step = [&](Eigen::Vector4d x) {
    x = model.propagate_fixed(x, dt);
    for (int i = 0; i < 4; ++i) x[i] += noise_sd(i, i) * normal(generator);
    return x;
  };
  for (int r = 0; r < kReplicates; ++r) {
    Eigen::Vector4d x;
    const double co0 = 5.0e-3 / 60.0 * std::exp(0.2 * normal(generator));
    const double map0 = (80.0 + 8.0 * normal(generator)) * kMmHg;
    x << std::log(map0 - m.central_venous_pressure_pa) - std::log(co0),
        m.rate_stationary_sd_per_s * normal(generator), std::log(co0),
        m.rate_stationary_sd_per_s * normal(generator);
    const auto measured_map = [&](const Eigen::Vector4d& s) {
      return model.mean_arterial_pressure_pa(s) + m.map_noise_pa * normal(generator);
    };
    const double co_measured = co0 + m.cardiac_output_relative_noise *
                                          m.nominal_cardiac_output_m3_per_s * normal(generator);
    HypotensionRiskTwin twin(settings, kStart, measured_map(x), co_measured);
    for (int k = 1; k <= 180; ++k) {
      x = step(x);
      (void)twin.assimilate_mean_arterial_pressure(kStart + 10s * k, measured_map(x));
    }
    const WhatIfForecast f = forecast_what_if(twin, intervention, 15min, leads);
    const double c_drug = 1.0 + intervention.drug_effect_relative_sd * normal(generator);
    const double c_fluid =
        1.0 + intervention.fluid_response.gain_relative_sd * normal(generator);
    for (int k = 1; k <= 90; ++k) {
      x = step(x);
      for (std::size_t l = 0; l < leads.size(); ++l) {
        if (leads[l] != 10s * k) continue;
        const auto ks = static_cast<std::size_t>(k);
        const double ln_co = x[2] + c_drug * effects.drug_ln_cardiac_output[ks] +
                             c_fluid * effects.fluid_ln_cardiac_output[ks];
        const double ln_svr = x[0] + c_drug * effects.drug_ln_resistance[ks];
        const double map = std::exp(ln_svr + ln_co) + m.central_venous_pressure_pa;
        const double co = std::exp(ln_co);
        const auto& q = f.with_intervention.points[l];
        map_inside[l] += map >= q.mean_arterial_pressure_pa.p05 && map <= q.mean_arterial_pressure_pa.p95;
        co_inside[l] += co >= q.cardiac_output_m3_per_s.p05 && co <= q.cardiac_output_m3_per_s.p95;
      }
    }
  }
  for (std::size_t l = 0; l < leads.size(); ++l) {
    const double map_coverage = map_inside[l] / static_cast<double>(kReplicates);
    const double co_coverage = co_inside[l] / static_cast<double>(kReplicates);
    std::printf("lead %lld s: MAP coverage %.3f, CO coverage %.3f\n",
                static_cast<long long>(leads[l].count()), map_coverage, co_coverage);
    ptwin::testing::record_verification(kCoverageCase, map_coverage);
    EXPECT_NEAR(map_coverage, 0.90, kCoverageCase.tolerance) << "MAP at lead " << leads[l].count();
    EXPECT_NEAR(co_coverage, 0.90, kCoverageCase.tolerance) << "CO at lead " << leads[l].count();
  }
}

}  // namespace
}  // namespace ptwin::twin::risk
