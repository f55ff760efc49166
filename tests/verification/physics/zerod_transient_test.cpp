// SPDX-License-Identifier: Apache-2.0
// Transients with closed-form solutions: RC discharge and RL step response, integrated with
// GeneralizedAlpha from a consistent initial state (y and ydot both on the exact solution).
//
// Expected error (derivation for the tolerances below). For y' = lambda y the generalized-alpha
// amplification factor with rho_inf = 0.5 is A(z) = e^z + c3 z^3 + O(z^4), z = lambda dt, with
// c3 = 1/9 (z^3 coefficient of the principal root of the 2x2 step matrix; reproduced in
// docs/verification.md#zerod-error-constant). After n steps the relative error of y is
// n c3 z^3 = c3 (dt/tau)^2 (t/tau), tau = -1/lambda.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "verification/physics/zerod_verification_support.hpp"
#include "verification/verification_case.hpp"

namespace ptwin::physics::zerod::testing {
namespace {

using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;

constexpr double kErrorConstant = 1.0 / 9.0;  // c3 for rho_inf = 0.5 (see header comment)

// ---------------------------------------------------------------------------------------------
// RC discharge. A capacitor C charged to P0 empties through a resistance R with no inflow:
//   C dP/dt = -P / R   =>   P(t) = P0 exp(-t / (R C)).
// Every unknown of such a network is proportional to the same mode exp(-t/tau), so the
// consistent initial derivative is ydot(0) = -y(0) / tau for every unknown.
// ---------------------------------------------------------------------------------------------
const VerificationCase kRcDischarge{
    .id = "zerod.rc.discharge",
    .source = "closed form P0 exp(-t/(R C)) of the RC ODE; docs/verification.md#zerod-rc-discharge",
    .quantity = "capacitor pressure for t in [0, 5 tau], dt = tau/1000, consistent start",
    .norm = "max over time steps of |P/P_exact - 1|",
    .tolerance = 1e-6,
    .tolerance_reason =
        "second order: c3 (dt/tau)^2 (t/tau) = (1/9)(1e-3)^2 5 = 5.6e-7 at t = 5 tau; "
        "x1.8 margin. Starting from ydot = 0 instead (first order at the start) "
        "gives 2.0e-4",
};

double rc_discharge_error(Model& model, std::string_view capacitor_pressure, double tau_s,
                          double p0_pa) {
  IntegratorState state{0.0, model.initial_state(), {}};
  state.ydot.resize(state.y.size());
  for (std::size_t i = 0; i < state.y.size(); ++i) state.ydot[i] = -state.y[i] / tau_s;
  const std::size_t p = variable(model, capacitor_pressure);
  EXPECT_DOUBLE_EQ(state.y[p], p0_pa) << "initial condition not applied";
  double worst = 0.0;
  integrate(model, state, tau_s / 1000.0, 5000, [&](const IntegratorState& s) {
    worst = std::max(worst, std::abs(s.y[p] / (p0_pa * std::exp(-s.t_s / tau_s)) - 1.0));
  });
  return worst;
}

TEST(RcDischarge, WindkesselCapacitorPressureDecaysWithTimeConstantRdC) {
  // No inflow into an RCR: R_d C dP_c/dt = -P_c, and the port pressure equals P_c.
  const double rd = 1.2 * kPaPerMmHg / kM3PerMl;
  const double c = 1.5 * kM3PerMl / kPaPerMmHg;
  const double p0 = 100.0 * kPaPerMmHg;
  auto model = build_inline_model(
      {{{"name", "source"}, {"type", "prescribed_flow"}, {"parameters", {{"flow", "0 mL/s"}}}},
       {{"name", "rcr"},
        {"type", "rcr_windkessel"},
        {"parameters",
         {{"proximal_resistance", "0.05 mm[Hg].s/mL"},
          {"capacitance", "1.5 mL/mm[Hg]"},
          {"distal_resistance", "1.2 mm[Hg].s/mL"}}}}},
      {{"source", "rcr"}},
      {{"pressure_c:rcr", "100 mm[Hg]"}, {"pressure:source:rcr", "100 mm[Hg]"}});
  const double error = rc_discharge_error(*model, "pressure_c:rcr", rd * c, p0);
  record_verification(kRcDischarge, error);
  EXPECT_LT(error, kRcDischarge.tolerance) << kRcDischarge.id;
}

TEST(RcDischarge, VesselWithInletCapacitorDrainsThroughSeriesResistances) {
  // capacitor_position "inlet": C at the inlet empties through the vessel's R_v and the
  // boundary's R_b in series: tau = (R_v + R_b) C.
  const double rv = 0.3 * kPaPerMmHg / kM3PerMl;
  const double rb = 0.9 * kPaPerMmHg / kM3PerMl;
  const double c = 2.0 * kM3PerMl / kPaPerMmHg;
  const double p0 = 90.0 * kPaPerMmHg;
  auto model = build_inline_model(
      {{{"name", "source"}, {"type", "prescribed_flow"}, {"parameters", {{"flow", "0 mL/s"}}}},
       {{"name", "vessel"},
        {"type", "blood_vessel"},
        {"parameters",
         {{"resistance", "0.3 mm[Hg].s/mL"},
          {"capacitance", "2 mL/mm[Hg]"},
          {"capacitor_position", "inlet"}}}},
       {{"name", "outlet"},
        {"type", "resistance_boundary"},
        {"parameters", {{"resistance", "0.9 mm[Hg].s/mL"}}}}},
      {{"source", "vessel"}, {"vessel", "outlet"}},
      {{"pressure:source:vessel", quantity(p0, "Pa")},
       {"pressure:vessel:outlet", quantity(p0 * rb / (rv + rb), "Pa")},
       {"flow:vessel:outlet", quantity(p0 / (rv + rb), "m3/s")}});
  const double error = rc_discharge_error(*model, "pressure:source:vessel", (rv + rb) * c, p0);
  record_verification(kRcDischarge, error);
  EXPECT_LT(error, kRcDischarge.tolerance) << kRcDischarge.id;
}

TEST(RcDischarge, VesselWithCapacitorAfterResistanceDrainsThroughBoundaryResistance) {
  // capacitor_position "after_resistance" with no inflow: the vessel's R carries no flow, the
  // capacitor sees P_in and empties through the boundary's R_b: tau = R_b C.
  const double rb = 0.7 * kPaPerMmHg / kM3PerMl;
  const double c = 1.0 * kM3PerMl / kPaPerMmHg;
  const double p0 = 80.0 * kPaPerMmHg;
  auto model = build_inline_model(
      {{{"name", "source"}, {"type", "prescribed_flow"}, {"parameters", {{"flow", "0 mL/s"}}}},
       {{"name", "vessel"},
        {"type", "blood_vessel"},
        {"parameters", {{"resistance", "0.3 mm[Hg].s/mL"}, {"capacitance", "1 mL/mm[Hg]"}}}},
       {{"name", "outlet"},
        {"type", "resistance_boundary"},
        {"parameters", {{"resistance", "0.7 mm[Hg].s/mL"}}}}},
      {{"source", "vessel"}, {"vessel", "outlet"}},
      {{"pressure:source:vessel", quantity(p0, "Pa")},
       {"pressure:vessel:outlet", quantity(p0, "Pa")},
       {"flow:vessel:outlet", quantity(p0 / rb, "m3/s")}});
  const double error = rc_discharge_error(*model, "pressure:source:vessel", rb * c, p0);
  record_verification(kRcDischarge, error);
  EXPECT_LT(error, kRcDischarge.tolerance) << kRcDischarge.id;
}

TEST(RcDischarge, InitialisedDerivativesGiveTheConsistentStart) {
  // GeneralizedAlpha::initialise_derivatives from ydot = 0 must find ydot(0) = -y(0)/tau for
  // the differential unknowns and the algebraic unknowns' values, so that a run started from a
  // model's initial condition keeps second order from the first step (2.0e-4 with ydot = 0).
  const double rv = 0.3 * kPaPerMmHg / kM3PerMl;
  const double rb = 0.9 * kPaPerMmHg / kM3PerMl;
  const double c = 2.0 * kM3PerMl / kPaPerMmHg;
  const double p0 = 90.0 * kPaPerMmHg;
  const double tau = (rv + rb) * c;
  auto model = build_inline_model(
      {{{"name", "source"}, {"type", "prescribed_flow"}, {"parameters", {{"flow", "0 mL/s"}}}},
       {{"name", "vessel"},
        {"type", "blood_vessel"},
        {"parameters",
         {{"resistance", "0.3 mm[Hg].s/mL"},
          {"capacitance", "2 mL/mm[Hg]"},
          {"capacitor_position", "inlet"}}}},
       {{"name", "outlet"},
        {"type", "resistance_boundary"},
        {"parameters", {{"resistance", "0.9 mm[Hg].s/mL"}}}}},
      {{"source", "vessel"}, {"vessel", "outlet"}},
      {{"pressure:source:vessel", quantity(p0, "Pa")}});  // algebraic unknowns left at 0
  IntegratorState state{0.0, model->initial_state(), {}};
  state.ydot.assign(state.y.size(), 0.0);
  GeneralizedAlpha integrator(*model, LinearSolverKind::Klu, tight_newton_settings());
  ASSERT_TRUE(integrator.initialise_derivatives(state));
  const std::size_t p = variable(*model, "pressure:source:vessel");
  EXPECT_NEAR(state.y[p] / p0, 1.0, 1e-15) << "a differential unknown must be kept";
  EXPECT_NEAR(state.ydot[p] * tau / -p0, 1.0, 1e-9);
  EXPECT_NEAR(state.y[variable(*model, "pressure:vessel:outlet")] / (p0 * rb / (rv + rb)), 1.0,
              1e-9);
  EXPECT_NEAR(state.y[variable(*model, "flow:vessel:outlet")] / (p0 / (rv + rb)), 1.0, 1e-9);
  double worst = 0.0;
  integrate(*model, state, tau / 1000.0, 5000, [&](const IntegratorState& s) {
    worst = std::max(worst, std::abs(s.y[p] / (p0 * std::exp(-s.t_s / tau)) - 1.0));
  });
  record_verification(kRcDischarge, worst);
  EXPECT_LT(worst, kRcDischarge.tolerance) << kRcDischarge.id;
}

// ---------------------------------------------------------------------------------------------
// RL step. A constant pressure P switched on at t = 0 across a vessel with resistance R and
// inertance L (C = 0) into a 0 Pa outlet, starting from rest:
//   L dQ/dt + R Q = P,  Q(0) = 0   =>   Q(t) = (P/R) (1 - exp(-t R / L)),  Qdot(0) = P / L.
// The error in Q is the error of the decaying part, (P/R) e^{-x} c3 (dt/tau)^2 x with
// x = t/tau, whose maximum over x is at x = 1: (P/R) c3 (dt/tau)^2 / e.
// ---------------------------------------------------------------------------------------------
const VerificationCase kRlStep{
    .id = "zerod.rl.step",
    .source =
        "closed form (P/R)(1 - exp(-R t/L)) of the RL ODE; docs/verification.md#zerod-rl-step",
    .quantity = "vessel flow Q(t) for t in [0, 5 L/R], dt = (L/R)/1000, consistent start",
    .norm = "max over time steps of |Q - Q_exact| / (P/R)",
    .tolerance = 1e-7,
    .tolerance_reason =
        "second order: c3 (dt/tau)^2 max(x e^-x) = (1/9)(1e-3)^2/e = 4.1e-8; "
        "x2.4 margin",
};

TEST(RlStep, VesselFlowRisesToPOverRWithTimeConstantLOverR) {
  const double r = 0.8 * kPaPerMmHg / kM3PerMl;
  const double l = 0.01 * kPaPerMmHg / kM3PerMl;
  const double p = 20.0 * kPaPerMmHg;
  auto model = build_inline_model(
      {{{"name", "source"},
        {"type", "prescribed_pressure"},
        {"parameters", {{"pressure", "20 mm[Hg]"}}}},
       {{"name", "vessel"},
        {"type", "blood_vessel"},
        {"parameters", {{"resistance", "0.8 mm[Hg].s/mL"}, {"inductance", "0.01 mm[Hg].s2/mL"}}}},
       {{"name", "outlet"},
        {"type", "prescribed_pressure"},
        {"parameters", {{"pressure", "0 mm[Hg]"}}}}},
      {{"source", "vessel"}, {"vessel", "outlet"}}, {{"pressure:source:vessel", "20 mm[Hg]"}});
  IntegratorState state{0.0, model->initial_state(), {}};
  state.ydot.assign(state.y.size(), 0.0);
  const std::size_t q_in = variable(*model, "flow:source:vessel");
  const std::size_t q_out = variable(*model, "flow:vessel:outlet");
  state.ydot[q_in] = p / l;
  state.ydot[q_out] = p / l;
  const double tau = l / r;
  double worst = 0.0;
  integrate(*model, state, tau / 1000.0, 5000, [&](const IntegratorState& s) {
    const double exact = (p / r) * (1.0 - std::exp(-s.t_s / tau));
    worst = std::max(
        {worst, std::abs(s.y[q_out] - exact) / (p / r), std::abs(s.y[q_in] - exact) / (p / r)});
  });
  record_verification(kRlStep, worst);
  EXPECT_LT(worst, kRlStep.tolerance) << kRlStep.id;
}

}  // namespace
}  // namespace ptwin::physics::zerod::testing
