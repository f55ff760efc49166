// SPDX-License-Identifier: Apache-2.0
// Periodic steady states under sinusoidal inflow, run with simulate() to the periodic state:
// the RCR Windkessel against its analytic frequency response, and the observed temporal order
// of convergence of generalized-alpha (Jansen, Whiting & Hulbert 2000, second order) for a
// linear and a nonlinear (stenosis) network.
//
// simulate() starts from ydot = 0; that start-up error decays with the transient
// (exp(-t / (R_d C)) per cycle) and is gone once the cycle-to-cycle change is below 1e-11, so the
// last cycle carries only the periodic discretisation error.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <vector>

#include "ptwin/physics/zerod/simulation.hpp"
#include "verification/physics/zerod_verification_support.hpp"
#include "verification/verification_case.hpp"

namespace ptwin::physics::zerod::testing {
namespace {

using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;

constexpr double kPeriodS = 1.0;
constexpr double kMeanFlowMlPerS = 100.0;      // Q0
constexpr double kFlowAmplitudeMlPerS = 80.0;  // Q1; Q stays >= 20 mL/s (no flow reversal)

nlohmann::json sinusoidal_inflow() {
  return {{"name", "inflow"},
          {"type", "prescribed_flow"},
          {"parameters",
           {{"flow",
             {{"kind", "fourier"},
              {"unit", "mL/s"},
              {"period", quantity(kPeriodS, "s")},
              {"mean", kMeanFlowMlPerS},
              {"cosine", nlohmann::json::array({0.0})},
              {"sine", nlohmann::json::array({kFlowAmplitudeMlPerS})}}}}}};
}

nlohmann::json rcr_block(std::string_view name) {
  return {{"name", std::string(name)},
          {"type", "rcr_windkessel"},
          {"parameters",
           {{"proximal_resistance", "0.1 mm[Hg].s/mL"},
            {"capacitance", "1 mL/mm[Hg]"},
            {"distal_resistance", "1 mm[Hg].s/mL"}}}};
}

SimulationResult run_to_periodic_state(Model& model, int steps_per_cycle) {
  SimulationSettings settings;
  settings.period_s = kPeriodS;
  settings.steps_per_cycle = steps_per_cycle;
  settings.min_cycles = 2;
  settings.max_cycles = 100;
  settings.steady_state_tolerance = 1e-11;
  settings.integrator = tight_newton_settings();
  auto result = simulate(model, settings);
  EXPECT_EQ(result.status, SimulationStatus::Completed) << result.message;
  EXPECT_EQ(result.times_s.size(), static_cast<std::size_t>(steps_per_cycle) + 1);
  return result;
}

// ---------------------------------------------------------------------------------------------
// RCR under Q(t) = Q0 + Q1 sin(w t). With P = R_p Q + P_c and R_d C dP_c/dt = R_d Q - P_c, the
// capacitor is the low-pass P_c = [R_d / (1 + i w R_d C)] Q, so the input impedance is
//   Z(w) = R_p + R_d / (1 + i w R_d C),   Z(0) = R_p + R_d,
// and the periodic solution is
//   P(t) = Q0 (R_p + R_d) + |Z(w)| Q1 sin(w t + arg Z(w)).
// ---------------------------------------------------------------------------------------------
struct RcrAnalytic {
  double rp = 0.1 * kPaPerMmHg / kM3PerMl;
  double rd = 1.0 * kPaPerMmHg / kM3PerMl;
  double c = 1.0 * kM3PerMl / kPaPerMmHg;
  double w = 2.0 * std::numbers::pi / kPeriodS;
  double q0 = kMeanFlowMlPerS * kM3PerMl;
  double q1 = kFlowAmplitudeMlPerS * kM3PerMl;

  [[nodiscard]] std::complex<double> impedance() const {
    return rp + rd / std::complex<double>(1.0, w * rd * c);
  }
  [[nodiscard]] double pressure_pa(double t_s) const {
    const auto z = impedance();
    return q0 * (rp + rd) + std::abs(z) * q1 * std::sin(w * t_s + std::arg(z));
  }
  [[nodiscard]] double pulse_amplitude_pa() const { return std::abs(impedance()) * q1; }
};

/// Max |P - P_exact| over the last cycle, relative to the pulse amplitude |Z| Q1.
double rcr_sinusoid_error(int steps_per_cycle) {
  auto model = build_inline_model({sinusoidal_inflow(), rcr_block("rcr")}, {{"inflow", "rcr"}});
  const auto result = run_to_periodic_state(*model, steps_per_cycle);
  const RcrAnalytic exact;
  const auto& pressure = result.series("rcr.pressure_in");
  double worst = 0.0;
  for (std::size_t k = 0; k < result.times_s.size(); ++k) {
    worst = std::max(worst, std::abs(pressure[k] - exact.pressure_pa(result.times_s[k])));
  }
  return worst / exact.pulse_amplitude_pa();
}

const VerificationCase kRcrSinusoid{
    .id = "zerod.rcr.sinusoidal_inflow",
    .source =
        "analytic periodic solution Q0 (Rp+Rd) + |Z| Q1 sin(wt + arg Z), "
        "Z = Rp + Rd/(1 + i w Rd C) (Westerhof et al. 2009, Med Biol Eng Comput 47:131, "
        "doi:10.1007/s11517-008-0359-2); "
        "docs/verification.md#zerod-rcr-sinusoid",
    .quantity =
        "RCR inlet pressure over the last cycle at periodic steady state, "
        "1000 steps per cycle, w Rd C = 2 pi",
    .norm = "max |P - P_exact| / (|Z| Q1)",
    .tolerance = 4.4e-6,
    .tolerance_reason =
        "second order: bounded by c3 (w dt)^2 = (1/9)(2 pi/1000)^2 = 4.4e-6 "
        "(scalar recurrence of the scheme predicts 1.7e-6); a first-order or "
        "phase-shifted response gives >= 6e-3",
};

TEST(RcrWindkessel, PeriodicPressureMatchesAnalyticImpedanceUnderSinusoidalInflow) {
  const double error = rcr_sinusoid_error(1000);
  record_verification(kRcrSinusoid, error);
  EXPECT_LT(error, kRcrSinusoid.tolerance) << kRcrSinusoid.id;
}

/// Checks log2(e_i / e_{i+1}) against 2 for successive halvings of dt; records the order
/// farthest from 2 and the errors themselves.
void check_observed_orders(const VerificationCase& verification_case,
                           const std::vector<double>& errors) {
  double farthest = 2.0;
  for (std::size_t i = 0; i + 1 < errors.size(); ++i) {
    const double order = std::log2(errors[i] / errors[i + 1]);
    if (std::abs(order - 2.0) >= std::abs(farthest - 2.0)) farthest = order;
    EXPECT_NEAR(order, 2.0, verification_case.tolerance)
        << verification_case.id << ": errors " << errors[i] << " -> " << errors[i + 1];
  }
  record_verification(verification_case, farthest);
  ::testing::Test::RecordProperty("errors_dt_dt2_dt4",
                                  fmt::format("{:.4g}", fmt::join(errors, " ")));
}

// ---------------------------------------------------------------------------------------------
// Observed order p = log2(e(dt) / e(dt/2)). Generalized-alpha is second order for first-order
// systems for any rho_inf (Jansen, Whiting & Hulbert 2000, Comput Methods Appl Mech Eng 190:305,
// doi:10.1016/S0045-7825(00)00203-6). dt = T/100 keeps w dt = 0.063 in the asymptotic
// range and the smallest error (T/400, ~1e-5 of the pulse) 1e6 x above the Newton tolerance.
// ---------------------------------------------------------------------------------------------
const VerificationCase kOrderLinear{
    .id = "zerod.generalized_alpha.order.rcr",
    .source =
        "Jansen, Whiting & Hulbert 2000, doi:10.1016/S0045-7825(00)00203-6 (second order); "
        "error vs the analytic RCR solution of zerod.rcr.sinusoidal_inflow",
    .quantity = "observed order log2(e(dt)/e(dt/2)) for dt = T/100, T/200, T/400, rho_inf = 0.5",
    .norm = "each observed order within 2 +/- tolerance",
    .tolerance = 0.2,
    .tolerance_reason =
        "asymptotic range: the O(dt^3) remainder at w dt <= 0.063 shifts the "
        "order by < 0.01; a first-order scheme gives 1.0",
};

TEST(GeneralizedAlpha, ObservedOrderIsTwoForRcrAgainstAnalyticSolution) {
  const std::vector<double> errors{rcr_sinusoid_error(100), rcr_sinusoid_error(200),
                                   rcr_sinusoid_error(400)};
  check_observed_orders(kOrderLinear, errors);
}

// Nonlinear network: a stenosed compliant vessel (R, C, L, S) feeding an RCR. No closed form;
// the reference is the same model at 16x the finest step (its own error is 256x smaller than
// that of dt/4, which biases the last order by < log2(1 + 1/256) ~ 0.006).
std::vector<double> stenosed_vessel_pressure(int steps_per_cycle) {
  auto model = build_inline_model({sinusoidal_inflow(),
                                   {{"name", "vessel"},
                                    {"type", "blood_vessel"},
                                    {"parameters",
                                     {{"resistance", "0.05 mm[Hg].s/mL"},
                                      {"capacitance", "0.5 mL/mm[Hg]"},
                                      {"inductance", "0.005 mm[Hg].s2/mL"},
                                      {"stenosis_coefficient", "0.002 mm[Hg].s2/mL2"}}}},
                                   rcr_block("rcr")},
                                  {{"inflow", "vessel"}, {"vessel", "rcr"}});
  return run_to_periodic_state(*model, steps_per_cycle).series("vessel.pressure_in");
}

const VerificationCase kOrderNonlinear{
    .id = "zerod.generalized_alpha.order.stenosis",
    .source =
        "Jansen, Whiting & Hulbert 2000, doi:10.1016/S0045-7825(00)00203-6 (second order); "
        "reference solution at 16x finer dt (6400 steps per cycle)",
    .quantity =
        "observed order of the stenosed-vessel inlet pressure for dt = T/100, T/200, "
        "T/400, rho_inf = 0.5",
    .norm = "each observed order within 2 +/- tolerance",
    .tolerance = 0.2,
    .tolerance_reason =
        "asymptotic range plus reference bias < 0.01; the stenosis term is smooth "
        "because Q >= 20 mL/s never reverses; first order gives 1.0",
};

TEST(GeneralizedAlpha, ObservedOrderIsTwoForStenosedVesselAgainstFineReference) {
  constexpr int kFineSteps = 6400;
  const auto reference = stenosed_vessel_pressure(kFineSteps);
  const auto [low, high] = std::minmax_element(reference.begin(), reference.end());
  const double range = *high - *low;
  std::vector<double> errors;
  for (const int steps : {100, 200, 400}) {
    const auto coarse = stenosed_vessel_pressure(steps);
    const auto stride = static_cast<std::size_t>(kFineSteps / steps);
    double worst = 0.0;
    for (std::size_t k = 0; k < coarse.size(); ++k) {
      worst = std::max(worst, std::abs(coarse[k] - reference[k * stride]));
    }
    errors.push_back(worst / range);
  }
  check_observed_orders(kOrderNonlinear, errors);
}

}  // namespace
}  // namespace ptwin::physics::zerod::testing
