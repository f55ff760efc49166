// SPDX-License-Identifier: Apache-2.0
// Sigmoid Emax, effect-compartment hysteresis, and the parameter multipliers of scenarios.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <vector>

#include "ptwin/physics/pkpd/concentration_profile.hpp"
#include "ptwin/physics/pkpd/norepinephrine.hpp"
#include "ptwin/physics/pkpd/scenario.hpp"
#include "ptwin/physics/pkpd/sigmoid_emax.hpp"

namespace ptwin::physics::pkpd {
namespace {

TEST(SigmoidEmax, GivesHalfTheMaximalEffectAtEc50) {
  for (const double hill : {0.5, 1.0, 2.5}) {
    const SigmoidEmax model({.emax = 0.8, .ec50 = 5.0 * ug_per_L, .hill = hill});
    EXPECT_DOUBLE_EQ(model.effect(5.0 * ug_per_L), 0.4) << "hill " << hill;
    // E / Emax = 3/4 where (C/EC50)^gamma = 3.
    EXPECT_NEAR(model.effect(5.0 * std::pow(3.0, 1.0 / hill) * ug_per_L), 0.6, 1e-14);
    EXPECT_EQ(model.effect(MassConcentration::from_si(0.0)), 0.0);
    // Emax - E = Emax (EC50/C)^gamma / (1 + (EC50/C)^gamma) < Emax (EC50/C)^gamma.
    const double deficit = 0.8 - model.effect(5e3 * ug_per_L);
    EXPECT_GT(deficit, 0.0);
    EXPECT_LT(deficit, 0.8 * std::pow(1e-3, hill) * (1.0 + 1e-9));
  }
}

TEST(SigmoidEmax, SteeperHillSeparatesLowAndHighConcentrations) {
  const SigmoidEmax shallow({.emax = 1.0, .ec50 = 5.0 * ug_per_L, .hill = 1.0});
  const SigmoidEmax steep({.emax = 1.0, .ec50 = 5.0 * ug_per_L, .hill = 4.0});
  EXPECT_LT(steep.effect(2.5 * ug_per_L), shallow.effect(2.5 * ug_per_L));
  EXPECT_GT(steep.effect(10.0 * ug_per_L), shallow.effect(10.0 * ug_per_L));
}

// A 10 min norepinephrine infusion: in a one-compartment model Cp peaks when the infusion
// stops; the effect site lags, so its peak comes later and, at equal plasma concentrations,
// the effect is larger on the falling limb than on the rising one (anticlockwise hysteresis).
TEST(EffectCompartment, EffectLagsPlasmaConcentrationWithAnticlockwiseHysteresis) {
  const DrugEffectModel drug = norepinephrine_on_systemic_resistance();
  const auto schedule = DosingSchedule().add_infusion(
      units::Duration::from_si(0.0), 10.0 * units::min, 10.0 * ug_per_min);
  const auto times = uniform_times(40.0 * units::min, 2401);
  const auto profile = drug_concentrations(drug, schedule, times);
  const auto peak_of = [&](const std::vector<MassConcentration>& values) {
    return profile.times[static_cast<std::size_t>(
        std::distance(values.begin(), std::max_element(values.begin(), values.end())))];
  };
  const auto plasma_peak = peak_of(profile.plasma);
  const auto effect_peak = peak_of(profile.effect_site);
  EXPECT_NEAR(plasma_peak.in(units::min), 10.0, 1e-9);
  // Ce peaks where it meets the falling Cp, 0.37 min later with these constants.
  EXPECT_GT(effect_peak.in(units::min), plasma_peak.in(units::min) + 0.25)
      << "no effect-site delay";
  // Rising limb at 5 min; the falling-limb time with the same Cp (first below it after peak).
  const std::size_t rising = 300;  // 5 min at 1 s spacing
  const double cp_rising = profile.plasma[rising].si();
  std::size_t falling = 601;
  while (profile.plasma[falling].si() > cp_rising) ++falling;
  ASSERT_LT(falling, times.size());
  EXPECT_NEAR(profile.plasma[falling].si() / cp_rising, 1.0, 0.01);
  EXPECT_GT(profile.effect_site[falling].si(), 1.5 * profile.effect_site[rising].si());
  EXPECT_LT(profile.effect_site[rising].si(), profile.plasma[rising].si());
  EXPECT_GT(profile.effect_site[falling].si(), profile.plasma[falling].si());
}

TEST(DrugParameterMultipliers, NorepinephrineInfusionRaisesResistanceToItsSteadyStateValue) {
  const DrugEffectModel drug = norepinephrine_on_systemic_resistance();
  // 0.1 ug/kg/min for 70 kg = 7 ug/min; Css = R / CL = 7 ug/min / 2 L/min = 3.5 ug/L.
  const MassRate rate = weight_based_infusion_rate(0.1, "ug/kg/min", 70.0 * kg, "rate");
  EXPECT_NEAR(rate.in(ug_per_min), 7.0, 1e-12);
  const auto schedule = DosingSchedule().set_infusion_rate(units::Duration::from_si(0.0), rate);
  const std::vector<units::Duration> times{0.0 * units::min, 1.0 * units::min, 120.0 * units::min};
  const auto series = drug_parameter_multipliers(drug, schedule, times);
  EXPECT_EQ(series.parameter, "systemic_resistance");
  const double c_ratio = 3.5 / 5.0;  // Css / EC50
  const double expected = 1.0 + 1.0 / (1.0 + std::pow(1.0 / c_ratio, 1.5));
  EXPECT_EQ(series.multipliers[0], 1.0);
  EXPECT_GT(series.multipliers[1], 1.0);
  EXPECT_LT(series.multipliers[1], series.multipliers[2]);
  EXPECT_NEAR(series.multipliers[2], expected, 1e-9);
  EXPECT_NEAR(series.at(30.0 * units::s), (series.multipliers[0] + series.multipliers[1]) / 2.0,
              1e-15);
}

TEST(ScenarioMultipliers, FluidBolusScalesVolumeAndDrivesOnOneParameterMultiply) {
  Scenario scenario;
  scenario.fluids.push_back({.parameter = "stressed_volume",
                             .reference_volume = 1000.0 * units::mL,
                             .boluses = {fluid_bolus(500.0, "mL", 5.0 * units::min,
                                                     15.0 * units::min)}});
  const auto schedule = DosingSchedule().set_infusion_rate(0.0 * units::min, 7.0 * ug_per_min);
  scenario.drugs.push_back({norepinephrine_on_systemic_resistance(), schedule});
  scenario.drugs.push_back({norepinephrine_on_systemic_resistance(), schedule});
  const std::vector<units::Duration> times{0.0 * units::min, 12.5 * units::min,
                                           20.0 * units::min, 180.0 * units::min};
  const auto all = scenario_parameter_multipliers(scenario, times);
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].parameter, "stressed_volume");
  EXPECT_EQ(all[1].parameter, "systemic_resistance");
  EXPECT_DOUBLE_EQ(all[0].multipliers[0], 1.0);
  EXPECT_DOUBLE_EQ(all[0].multipliers[1], 1.25);  // half of 500 mL into 1000 mL
  EXPECT_DOUBLE_EQ(all[0].multipliers[2], 1.5);
  EXPECT_DOUBLE_EQ(all[0].multipliers[3], 1.5);
  const auto single = drug_parameter_multipliers(norepinephrine_on_systemic_resistance(),
                                                 schedule, times);
  for (std::size_t i = 0; i < times.size(); ++i) {
    EXPECT_NEAR(all[1].multipliers[i], single.multipliers[i] * single.multipliers[i], 1e-14);
  }
}

TEST(FluidBolus, InflowIsVolumeOverDurationWhileRunning) {
  const FluidBolus bolus = fluid_bolus(0.5, "L", 1.0 * units::min, 10.0 * units::min);
  EXPECT_DOUBLE_EQ(bolus.volume.in(units::mL), 500.0);
  EXPECT_EQ(fluid_inflow_at(bolus, 0.5 * units::min).si(), 0.0);
  EXPECT_NEAR(fluid_inflow_at(bolus, 1.0 * units::min).in(units::mL_per_s), 500.0 / 600.0,
              1e-12);
  EXPECT_EQ(fluid_inflow_at(bolus, 11.0 * units::min).si(), 0.0);
}

}  // namespace
}  // namespace ptwin::physics::pkpd
