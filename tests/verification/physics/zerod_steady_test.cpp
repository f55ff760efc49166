// SPDX-License-Identifier: Apache-2.0
// Steady flow through single vessels: Poiseuille resistance written in CGS units (checks the
// model format's unit conversion end to end) and the quadratic stenosis loss.
//
// Both are algebraic at steady state, so the only errors are round-off, Newton's tolerance and
// the start-up of the algebraic unknowns: generalized-alpha enforces algebraic rows at
// t_{n+alpha_f}, so a value that starts wrong (all unknowns start at 0) is corrected by the
// factor -(1 - 1/alpha_f) = -rho_inf = -0.5 per step; after the 2 x 100 steps we run that is
// 0.5^200 ~ 1e-60, i.e. nothing.

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "ptwin/physics/zerod/simulation.hpp"
#include "verification/physics/zerod_verification_support.hpp"
#include "verification/verification_case.hpp"

namespace ptwin::physics::zerod::testing {
namespace {

using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;

/// Runs a model driven by constant boundary values for two 1 s "cycles" of 100 steps.
SimulationResult run_steady(Model& model) {
  SimulationSettings settings;
  settings.period_s = 1.0;
  settings.steps_per_cycle = 100;
  settings.min_cycles = 2;
  settings.max_cycles = 2;
  settings.steady_state_tolerance = 0.0;  // exactly max_cycles
  settings.integrator = tight_newton_settings();
  auto result = simulate(model, settings);
  EXPECT_EQ(result.status, SimulationStatus::Completed) << result.message;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Poiseuille. Fully developed laminar flow in a rigid tube of radius r and length L:
//   dP = R Q,  R = 8 mu L / (pi r^4)
// (Hagen-Poiseuille; e.g. Zamir 2000, The Physics of Pulsatile Flow, Springer, ch. 3). Blood
// viscosity mu = 0.004 Pa s = 0.04 poise. The test computes R in CGS (poise, cm -> dyn s/cm^5),
// writes it into the model in that unit, and compares the simulated drop in Pa with R computed
// independently in SI; the outlet is held at 80 mmHg so the mmHg conversion is exercised too.
// ---------------------------------------------------------------------------------------------
const VerificationCase kPoiseuille{
    .id = "zerod.poiseuille.unit_conversion",
    .source =
        "Hagen-Poiseuille R = 8 mu L/(pi r^4) (Zamir 2000, The Physics of Pulsatile Flow, "
        "Springer); "
        "docs/verification.md#zerod-poiseuille",
    .quantity =
        "steady inlet pressure P_in (Pa) of a 10 cm, r = 2 mm vessel at Q = 5 mL/s, "
        "R given in dyn.s/cm5, outlet 80 mm[Hg]",
    .norm = "|P_in - (P_out + R_SI Q)| / (R_SI Q)",
    .tolerance = 1e-10,
    .tolerance_reason =
        "exact algebraic relation; round-off of the unit factors and of the "
        "80 mmHg offset (~1e-16 x 10665 Pa / 318 Pa ~ 4e-15) and Newton "
        "tolerance 1e-12 relative; a wrong CGS factor is off by >= 1e-1",
};

TEST(Poiseuille, PressureDropMatchesHagenPoiseuilleWithCgsResistance) {
  // CGS: mu [poise = dyn s/cm^2], lengths in cm -> R in dyn s/cm^5.
  constexpr double kViscosityPoise = 0.04;
  constexpr double kLengthCm = 10.0;
  constexpr double kRadiusCm = 0.2;
  const double resistance_cgs =
      8.0 * kViscosityPoise * kLengthCm / (std::numbers::pi * std::pow(kRadiusCm, 4));
  // SI, computed independently: mu [Pa s], lengths in m -> R in Pa s/m^3.
  constexpr double kViscosityPaS = 0.004;
  const double resistance_si = 8.0 * kViscosityPaS * 0.10 / (std::numbers::pi * std::pow(0.002, 4));
  const double flow_si = 5.0 * kM3PerMl;
  const double outlet_pa = 80.0 * kPaPerMmHg;

  auto model = build_inline_model(
      {{{"name", "inflow"}, {"type", "prescribed_flow"}, {"parameters", {{"flow", "5 mL/s"}}}},
       {{"name", "tube"},
        {"type", "blood_vessel"},
        {"parameters", {{"resistance", quantity(resistance_cgs, "dyn.s/cm5")}}}},
       {{"name", "outlet"},
        {"type", "prescribed_pressure"},
        {"parameters", {{"pressure", "80 mm[Hg]"}}}}},
      {{"inflow", "tube"}, {"tube", "outlet"}});
  const auto result = run_steady(*model);
  const double p_in = result.series("tube.pressure_in").back();
  const double expected_drop = resistance_si * flow_si;  // ~318 Pa (2.4 mmHg)
  const double error = std::abs(p_in - (outlet_pa + expected_drop)) / expected_drop;
  record_verification(kPoiseuille, error);
  EXPECT_LT(error, kPoiseuille.tolerance)
      << kPoiseuille.id << ": P_in " << p_in << " Pa, expected " << outlet_pa + expected_drop;
  EXPECT_NEAR(result.series("tube.flow_in").back(), flow_si, 1e-12 * flow_si);
}

// ---------------------------------------------------------------------------------------------
// Stenosis. A blood_vessel's loss is (R + S |Q|) Q (Young & Tsai 1973), so at steady flow
//   dP = R Q + S Q |Q|       (= R Q + S Q^2 forward, R Q - S Q^2 for reversed flow),
// independent of L (dQ/dt = 0). The vessel has no capacitance: with C > 0 between R and L and a
// prescribed pressure downstream, C and L form an undamped LC loop (w = 1/sqrt(LC)) that the
// start-up would set ringing, and the drop would include L dQ/dt.
// The quadratic term dominates (S Q^2 = 2 x R Q at 100 mL/s), so Newton must converge on a
// genuinely nonlinear equation.
// ---------------------------------------------------------------------------------------------
const VerificationCase kStenosis{
    .id = "zerod.stenosis.steady_drop",
    .source =
        "exact steady form dP = R Q + S Q|Q| of the stenosis loss (Young & Tsai 1973, "
        "J Biomech 6:395); docs/verification.md#zerod-stenosis",
    .quantity =
        "steady pressure drop P_in - P_out of a stenosed vessel (R, L, S) at "
        "Q = +100 and -100 mL/s",
    .norm = "|dP - (R Q + S Q|Q|)| / |R Q + S Q|Q||",
    .tolerance = 1e-10,
    .tolerance_reason =
        "exact algebraic relation at steady state; Newton tolerance 1e-12 "
        "relative and round-off; dropping the S term errs by 2/3, using "
        "S Q^2 for reversed flow by 3",
};

double stenosis_drop_error(double flow_ml_per_s) {
  const double r = 0.05 * kPaPerMmHg / kM3PerMl;
  const double s = 0.001 * kPaPerMmHg / (kM3PerMl * kM3PerMl);
  const double q = flow_ml_per_s * kM3PerMl;
  auto model = build_inline_model({{{"name", "inflow"},
                                    {"type", "prescribed_flow"},
                                    {"parameters", {{"flow", quantity(flow_ml_per_s, "mL/s")}}}},
                                   {{"name", "stenosis"},
                                    {"type", "blood_vessel"},
                                    {"parameters",
                                     {{"resistance", "0.05 mm[Hg].s/mL"},
                                      {"inductance", "0.002 mm[Hg].s2/mL"},
                                      {"stenosis_coefficient", "0.001 mm[Hg].s2/mL2"}}}},
                                   {{"name", "outlet"},
                                    {"type", "prescribed_pressure"},
                                    {"parameters", {{"pressure", "60 mm[Hg]"}}}}},
                                  {{"inflow", "stenosis"}, {"stenosis", "outlet"}});
  const auto result = run_steady(*model);
  const double drop =
      result.series("stenosis.pressure_in").back() - result.series("stenosis.pressure_out").back();
  const double expected = r * q + s * q * std::abs(q);
  return std::abs(drop - expected) / std::abs(expected);
}

TEST(Stenosis, SteadyForwardDropIsLinearPlusQuadraticLoss) {
  const double error = stenosis_drop_error(100.0);
  record_verification(kStenosis, error);
  EXPECT_LT(error, kStenosis.tolerance) << kStenosis.id;
}

TEST(Stenosis, SteadyReversedDropKeepsTheSignOfTheFlow) {
  const double error = stenosis_drop_error(-100.0);
  record_verification(kStenosis, error);
  EXPECT_LT(error, kStenosis.tolerance) << kStenosis.id;
}

}  // namespace
}  // namespace ptwin::physics::zerod::testing
