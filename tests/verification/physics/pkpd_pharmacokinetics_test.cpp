// SPDX-License-Identifier: Apache-2.0
// Compartment pharmacokinetics against the closed-form solutions of the linear ODEs
// (Gibaldi & Perrier, Pharmacokinetics, 2nd ed., Marcel Dekker 1982, ch. 1-2 and appendix C;
// docs/pkpd.md#verification). The analytic curves below are written out independently of the
// implementation: superposition of impulse and step responses rather than the state
// propagation that the models use.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "ptwin/physics/pkpd/concentration_profile.hpp"
#include "ptwin/physics/pkpd/one_compartment_model.hpp"
#include "ptwin/physics/pkpd/two_compartment_model.hpp"
#include "verification/verification_case.hpp"

namespace ptwin::physics::pkpd {
namespace {

using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;

// A drug with t1/2 = 3 min (norepinephrine-like): V = 8.8 L, CL = 2 L/min.
const OneCompartmentParameters kOne{.volume = 8.8 * units::L, .clearance = 2.0 * units::L_per_min};
// A two-compartment drug with distinct alpha and beta: V1 = 10 L, CL = 1 L/min, Q = 2 L/min,
// V2 = 30 L (alpha ~ 0.31 /min, beta ~ 0.022 /min).
const TwoCompartmentParameters kTwo{.central_volume = 10.0 * units::L,
                                    .clearance = 1.0 * units::L_per_min,
                                    .intercompartmental_clearance = 2.0 * units::L_per_min,
                                    .peripheral_volume = 30.0 * units::L};

struct MicroConstants {
  double k10, k12, k21, alpha, beta, v1;
};

// Hybrid constants from the quadratic, written out here rather than taken from the model.
MicroConstants micro_constants() {
  MicroConstants m{};
  m.v1 = kTwo.central_volume.si();
  m.k10 = kTwo.clearance.si() / m.v1;
  m.k12 = kTwo.intercompartmental_clearance.si() / m.v1;
  m.k21 = kTwo.intercompartmental_clearance.si() / kTwo.peripheral_volume.si();
  const double b = m.k10 + m.k12 + m.k21;
  const double disc = std::sqrt(b * b - 4.0 * m.k10 * m.k21);
  m.alpha = (b + disc) / 2.0;
  m.beta = (b - disc) / 2.0;
  return m;
}

// Plasma concentration of a unit bolus at t = 0 (the unit impulse response).
double two_compartment_bolus(const MicroConstants& m, double dose_kg, double t_s) {
  if (t_s < 0.0) return 0.0;
  const double a = dose_kg / m.v1 * (m.alpha - m.k21) / (m.alpha - m.beta);
  const double b = dose_kg / m.v1 * (m.k21 - m.beta) / (m.alpha - m.beta);
  return a * std::exp(-m.alpha * t_s) + b * std::exp(-m.beta * t_s);
}

// Plasma concentration of a constant infusion started at t = 0 (integral of the impulse
// response).
double two_compartment_infusion(const MicroConstants& m, double rate_kg_per_s, double t_s) {
  if (t_s < 0.0) return 0.0;
  const double a = (m.alpha - m.k21) / (m.alpha * (m.alpha - m.beta));
  const double b = (m.k21 - m.beta) / (m.beta * (m.alpha - m.beta));
  return rate_kg_per_s / m.v1 *
         (a * -std::expm1(-m.alpha * t_s) + b * -std::expm1(-m.beta * t_s));
}

double max_relative_error(const ConcentrationProfile& profile, double scale,
                          const auto& exact_of_time) {
  double worst = 0.0;
  for (std::size_t i = 0; i < profile.times.size(); ++i) {
    const double exact = exact_of_time(profile.times[i].si());
    worst = std::max(worst, std::abs(profile.plasma[i].si() - exact) / scale);
  }
  return worst;
}

const VerificationCase kOneBolus{
    .id = "pkpd.one_compartment.bolus",
    .source = "closed form C = D/V exp(-CL t / V); Gibaldi & Perrier 1982 ch. 1",
    .quantity = "plasma concentration for t in [0, 10 t1/2], 401 times",
    .norm = "max |C - C_exact| / C(0)",
    .tolerance = 1e-13,
    .tolerance_reason = "exact propagation: only round-off of exp over <= 402 event-free "
                        "intervals (~1e-16 each)",
};

TEST(OneCompartmentModel, BolusDecaysMonoexponentiallyWithRateClOverV) {
  const OneCompartmentModel model(kOne);
  const double dose_kg = (50.0 * ug).si();
  const DosingSchedule schedule = DosingSchedule().add_bolus(units::Duration::from_si(0.0),
                                                             Mass::from_si(dose_kg));
  const auto times = uniform_times(model.half_life() * 10.0, 401);
  const auto profile = simulate_profile(model, schedule, times);
  const double c0 = dose_kg / kOne.volume.si();
  const double k = kOne.clearance.si() / kOne.volume.si();
  const double error =
      max_relative_error(profile, c0, [&](double t) { return c0 * std::exp(-k * t); });
  record_verification(kOneBolus, error);
  EXPECT_LT(error, kOneBolus.tolerance) << kOneBolus.id;
  EXPECT_NEAR(model.half_life().si(), std::numbers::ln2 / k, 1e-12 * model.half_life().si());
}

const VerificationCase kOneInfusion{
    .id = "pkpd.one_compartment.infusion_rate_changes",
    .source = "superposition of infusion steps dR_j/CL (1 - exp(-k (t - t_j))); Gibaldi & "
              "Perrier 1982 ch. 2",
    .quantity = "plasma concentration for t in [0, 60 min]; rates 10, 4, 0 ug/min from 0, "
                "15, 30 min",
    .norm = "max |C - C_exact| / (R_max / CL)",
    .tolerance = 1e-13,
    .tolerance_reason = "exact propagation: round-off only",
};

TEST(OneCompartmentModel, InfusionWithRateChangesMatchesSuperposedSteps) {
  const OneCompartmentModel model(kOne);
  DosingSchedule schedule;
  schedule.set_infusion_rate(0.0 * units::min, 10.0 * ug_per_min)
      .set_infusion_rate(15.0 * units::min, 4.0 * ug_per_min)
      .set_infusion_rate(30.0 * units::min, MassRate::from_si(0.0));
  const auto times = uniform_times(60.0 * units::min, 601);
  const auto profile = simulate_profile(model, schedule, times);
  const double cl = kOne.clearance.si();
  const double k = cl / kOne.volume.si();
  const struct { double t_s, delta_rate; } steps[] = {
      {0.0, (10.0 * ug_per_min).si()},
      {(15.0 * units::min).si(), (-6.0 * ug_per_min).si()},
      {(30.0 * units::min).si(), (-4.0 * ug_per_min).si()}};
  const auto exact = [&](double t) {
    double c = 0.0;
    for (const auto& step : steps) {
      if (t >= step.t_s) c += step.delta_rate / cl * -std::expm1(-k * (t - step.t_s));
    }
    return c;
  };
  const double error = max_relative_error(profile, (10.0 * ug_per_min).si() / cl, exact);
  record_verification(kOneInfusion, error);
  EXPECT_LT(error, kOneInfusion.tolerance) << kOneInfusion.id;
}

const VerificationCase kTwoBolus{
    .id = "pkpd.two_compartment.bolus_biexponential",
    .source = "C = A exp(-alpha t) + B exp(-beta t), A = D/V1 (alpha - k21)/(alpha - beta), "
              "B = D/V1 (k21 - beta)/(alpha - beta); Gibaldi & Perrier 1982 ch. 2",
    .quantity = "plasma concentration for t in [0, 5 / beta], 501 times",
    .norm = "max |C - C_exact| / C(0)",
    .tolerance = 1e-12,
    .tolerance_reason = "exact propagation; Sylvester's formula divides by alpha - beta "
                        "(~0.29 /min), round-off ~1e-15 per step over 500 steps",
};

TEST(TwoCompartmentModel, BolusGivesBiexponentialDecay) {
  const TwoCompartmentModel model(kTwo);
  const MicroConstants m = micro_constants();
  EXPECT_NEAR(model.alpha().si(), m.alpha, 1e-12 * m.alpha);
  EXPECT_NEAR(model.beta().si(), m.beta, 1e-12 * m.beta);
  const double dose_kg = (1.0 * mg).si();
  const auto schedule =
      DosingSchedule().add_bolus(units::Duration::from_si(0.0), Mass::from_si(dose_kg));
  const auto times = uniform_times(units::Duration::from_si(5.0 / m.beta), 501);
  const auto profile = simulate_profile(model, schedule, times);
  const double error = max_relative_error(profile, dose_kg / m.v1, [&](double t) {
    return two_compartment_bolus(m, dose_kg, t);
  });
  record_verification(kTwoBolus, error);
  EXPECT_LT(error, kTwoBolus.tolerance) << kTwoBolus.id;
}

const VerificationCase kSuperposition{
    .id = "pkpd.two_compartment.superposition",
    .source = "linearity: sum of the closed-form bolus and infusion responses, each shifted to "
              "its start (Gibaldi & Perrier 1982 ch. 2, appendix C)",
    .quantity = "plasma concentration for t in [0, 4 h]; boluses 1 mg at 0 and 0.5 mg at "
                "40 min, infusion 20 ug/min over [20 min, 100 min)",
    .norm = "max |C - C_exact| / (1 mg / V1)",
    .tolerance = 1e-12,
    .tolerance_reason = "exact propagation; round-off only",
};

TEST(TwoCompartmentModel, DosesSuperpose) {
  const TwoCompartmentModel model(kTwo);
  const MicroConstants m = micro_constants();
  DosingSchedule schedule;
  schedule.add_bolus(0.0 * units::min, 1.0 * mg)
      .add_bolus(40.0 * units::min, 0.5 * mg)
      .add_infusion(20.0 * units::min, 80.0 * units::min, 20.0 * ug_per_min);
  const auto times = uniform_times(240.0 * units::min, 961);
  const auto profile = simulate_profile(model, schedule, times);
  const double rate = (20.0 * ug_per_min).si();
  const double t20 = (20.0 * units::min).si();
  const double t40 = (40.0 * units::min).si();
  const double t100 = (100.0 * units::min).si();
  const auto exact = [&](double t) {
    return two_compartment_bolus(m, (1.0 * mg).si(), t) +
           two_compartment_bolus(m, (0.5 * mg).si(), t - t40) +
           two_compartment_infusion(m, rate, t - t20) -
           two_compartment_infusion(m, rate, t - t100);
  };
  const double error = max_relative_error(profile, (1.0 * mg).si() / m.v1, exact);
  record_verification(kSuperposition, error);
  EXPECT_LT(error, kSuperposition.tolerance) << kSuperposition.id;
}

const VerificationCase kSteadyState{
    .id = "pkpd.infusion.steady_state",
    .source = "C_ss = R / CL for any linear model eliminating from the central compartment "
              "(Gibaldi & Perrier 1982 ch. 2)",
    .quantity = "plasma concentration after 40 terminal half-lives of a constant infusion",
    .norm = "|C / (R/CL) - 1|",
    .tolerance = 1e-10,
    .tolerance_reason = "the distance from steady state decays as exp(-beta t): "
                        "2^-40 = 9e-13 at 40 half-lives, plus round-off",
};

TEST(CompartmentModels, ConstantInfusionReachesRateOverClearance) {
  const OneCompartmentModel one(kOne);
  const TwoCompartmentModel two(kTwo);
  const MassRate rate = 7.0 * ug_per_min;
  const auto schedule = DosingSchedule().set_infusion_rate(units::Duration::from_si(0.0), rate);
  for (const CompartmentModel* model : {static_cast<const CompartmentModel*>(&one),
                                        static_cast<const CompartmentModel*>(&two)}) {
    const double terminal_rate_per_s = model == &one ? one.elimination_rate().si()
                                                     : two.beta().si();
    const double end_s = 40.0 * std::numbers::ln2 / terminal_rate_per_s;
    const std::vector<units::Duration> times{units::Duration::from_si(end_s)};
    const auto profile = simulate_profile(*model, schedule, times);
    const double expected = rate.si() / model->clearance().si();
    EXPECT_DOUBLE_EQ(model->steady_state_concentration(rate).si(), expected);
    const double error = std::abs(profile.plasma.back().si() / expected - 1.0);
    record_verification(kSteadyState, error);
    EXPECT_LT(error, kSteadyState.tolerance) << kSteadyState.id;
  }
}

}  // namespace
}  // namespace ptwin::physics::pkpd
