// SPDX-License-Identifier: Apache-2.0
// The intervention effects and the what-if forecast's behaviour and errors
// (src/ptwin/twin/risk/haemodynamic_intervention.hpp, what_if_forecast.hpp).

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cmath>
#include <memory>

#include "ptwin/core/error.hpp"
#include "ptwin/physics/pkpd/norepinephrine.hpp"
#include "ptwin/twin/risk/what_if_forecast.hpp"

namespace ptwin::twin::risk {
namespace {

using namespace std::chrono_literals;
namespace pkpd = physics::pkpd;
const time::Instant kStart = time::from_epoch_ms(1'767'225'600'000);

units::Duration seconds(double s) { return units::Duration::from_si(s); }

TEST(FluidResponse, RetainedVolumeMatchesAFineNumericalIntegration) {
  // dV/dt = R 1[60, 660) - V / tau, integrated with RK4 at 0.01 s (error ~1e-12 relative).
  const std::array<pkpd::FluidBolus, 1> bolus{pkpd::fluid_bolus(500, "mL", seconds(60), 10.0 * units::min)};
  const FluidResponse response;
  std::vector<units::Duration> times;
  for (int t = 0; t <= 1500; t += 30) times.push_back(seconds(t));
  const auto series = fluid_cardiac_output_multipliers(bolus, response, times);
  const double tau = response.dissipation_time_constant.si();
  const double rate = 500e-6 / 600.0;
  const auto inflow = [&](double t) { return t >= 60.0 && t < 660.0 ? rate : 0.0; };
  // The inflow is held at its value mid-step, so that a step ending on a switch time does not
  // see the next interval's rate in its last stage (steps never straddle 60 s or 660 s).
  const auto dv = [&](double rate_now, double v) { return rate_now - v / tau; };
  double v = 0.0;
  const double h = 0.01;
  long step = 0;  // t = step h, counted in integers so that no step overshoots an output time
  for (std::size_t i = 0; i < times.size(); ++i) {
    for (; step < std::lround(times[i].si() / h); ++step) {
      const double t = static_cast<double>(step) * h;
      const double r = inflow(t + h / 2);
      const double k1 = dv(r, v), k2 = dv(r, v + h / 2 * k1), k3 = dv(r, v + h / 2 * k2),
                   k4 = dv(r, v + h * k3);
      v += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    // RK4 error at h / tau = 6e-5 is ~1e-18; 1e-9 covers the accumulated round-off of 1.5e5
    // steps.
    EXPECT_NEAR(series.multipliers[i], 1.0 + response.cardiac_output_gain_per_m3 * v, 1e-9)
        << "t = " << times[i].si();
  }
  EXPECT_DOUBLE_EQ(series.multipliers.front(), 1.0);
}

// The twin is not copyable: handed out by pointer.
std::unique_ptr<HypotensionRiskTwin> steady_twin() {
  auto twin = std::make_unique<HypotensionRiskTwin>(HypotensionRiskSettings{}, kStart,
                                                    70.0 * units::kPaPerMmHg, 5.0e-3 / 60.0);
  for (int k = 1; k <= 60; ++k) {
    (void)twin->assimilate_mean_arterial_pressure(kStart + 10s * k, 70.0 * units::kPaPerMmHg);
  }
  return twin;
}

TEST(WhatIfForecast, FluidRaisesCardiacOutputAndMapAndWidensTheirIntervals) {
  const auto twin_pointer = steady_twin();
  const HypotensionRiskTwin& twin = *twin_pointer;
  HaemodynamicIntervention fluid;
  fluid.fluids.push_back(pkpd::fluid_bolus(500, "mL", seconds(0), 10.0 * units::min));
  const std::array<std::chrono::seconds, 1> leads{10min};
  const auto f = forecast_what_if(twin, fluid, 15min, leads);
  const auto& with = f.with_intervention.points[0];
  const auto& without = f.without_intervention.points[0];
  EXPECT_GT(with.cardiac_output_multiplier, 1.05);
  EXPECT_DOUBLE_EQ(with.resistance_multiplier, 1.0);
  EXPECT_NEAR(with.cardiac_output_m3_per_s.p50 / without.cardiac_output_m3_per_s.p50,
              with.cardiac_output_multiplier, 1e-12);
  EXPECT_GT(with.mean_arterial_pressure_pa.p50, without.mean_arterial_pressure_pa.p50);
  EXPECT_GT(std::log(with.cardiac_output_m3_per_s.p95 / with.cardiac_output_m3_per_s.p05),
            std::log(without.cardiac_output_m3_per_s.p95 / without.cardiac_output_m3_per_s.p05))
      << "the uncertain response widens the interval";
  EXPECT_LT(f.with_intervention.probability, f.without_intervention.probability);
}

TEST(WhatIfForecast, RefusesADrugOnAParameterTheModelDoesNotHave) {
  HaemodynamicIntervention intervention;
  pkpd::DosingSchedule schedule;
  schedule.set_infusion_rate(seconds(0), 5.0 * pkpd::ug_per_min);
  intervention.drugs.push_back({pkpd::norepinephrine_on_systemic_resistance("heart_rate"), schedule});
  const std::array<std::chrono::seconds, 1> leads{5min};
  try {
    (void)forecast_what_if(*steady_twin(), intervention, 15min, leads);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "drugs[0].parameter");
    EXPECT_EQ(error.value(), "heart_rate");
  }
}

TEST(WhatIfForecast, RefusesLeadsOffTheForecastGridOrBeyondTheHorizon) {
  const auto twin_pointer = steady_twin();
  const HypotensionRiskTwin& twin = *twin_pointer;
  for (const auto lead : {std::chrono::seconds(15), std::chrono::seconds(1200), std::chrono::seconds(0)}) {
    const std::array<std::chrono::seconds, 1> leads{lead};
    try {
      (void)forecast_what_if(twin, {}, 15min, leads);
      FAIL() << "expected InputError for lead " << lead.count();
    } catch (const InputError& error) {
      EXPECT_EQ(error.where(), "leads[0]");
    }
  }
  const std::array<std::chrono::seconds, 1> leads{5min};
  EXPECT_THROW((void)forecast_what_if(twin, {}, 95s, leads), InputError);
}

}  // namespace
}  // namespace ptwin::twin::risk
