// SPDX-License-Identifier: Apache-2.0
// Effect compartment (Sheiner et al. 1979, Clin Pharmacol Ther 25:358-371) against its closed
// form after a bolus into a one-compartment model:
//   Ce(t) = D/V ke0 / (ke0 - k) (exp(-k t) - exp(-ke0 t)),  k = CL / V,
// the solution of dCe/dt = ke0 (Cp - Ce), Ce(0) = 0, with Cp = D/V exp(-k t).
// The integrator is exact for Cp linear over a step, so its error is bounded by the linear
// interpolation error of Cp: |Ce - Ce_exact| <= h^2/8 max|Cp''| = (k h)^2 / 8 D/V
// (docs/pkpd.md#effect-site-error). The second test checks the order: halving h divides the
// error by 4.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "ptwin/physics/pkpd/concentration_profile.hpp"
#include "ptwin/physics/pkpd/one_compartment_model.hpp"
#include "verification/verification_case.hpp"

namespace ptwin::physics::pkpd {
namespace {

using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;

const OneCompartmentParameters kDrug{.volume = 8.8 * units::L,
                                     .clearance = 2.0 * units::L_per_min};
const units::Frequency kKe0 = 0.5 * per_min;
const Mass kDose = 20.0 * ug;

// max over t in [0, 30 min] of |Ce - Ce_exact| / (D/V), for effect-site step h.
double effect_site_error(double step_s) {
  const OneCompartmentModel model(kDrug);
  const auto schedule = DosingSchedule().add_bolus(units::Duration::from_si(0.0), kDose);
  const auto times = uniform_times(30.0 * units::min, 181);
  const auto profile = simulate_profile(
      model, schedule, times, {.ke0 = kKe0, .max_step = units::Duration::from_si(step_s)});
  const double c0 = kDose.si() / kDrug.volume.si();
  const double k = model.elimination_rate().si();
  const double ke0 = kKe0.si();
  double worst = 0.0;
  for (std::size_t i = 0; i < times.size(); ++i) {
    const double t = times[i].si();
    const double exact = c0 * ke0 / (ke0 - k) * (std::exp(-k * t) - std::exp(-ke0 * t));
    worst = std::max(worst, std::abs(profile.effect_site[i].si() - exact) / c0);
  }
  return worst;
}

const VerificationCase kEffectSite{
    .id = "pkpd.effect_site.bolus",
    .source = "closed form Ce = D/V ke0/(ke0 - k)(exp(-k t) - exp(-ke0 t)) (Sheiner et al. "
              "1979, sheiner1979simultaneous)",
    .quantity = "effect-site concentration for t in [0, 30 min], step h = 1 s",
    .norm = "max |Ce - Ce_exact| / (D/V)",
    .tolerance = 1.9e-6,
    .tolerance_reason = "rigorous bound (k h)^2 / 8 = 1.85e-6 for k = ln2/3 min, h = 1 s "
                        "(linear interpolation error of Cp, see header)",
};

TEST(EffectCompartment, BolusEffectSiteMatchesClosedFormWithinInterpolationBound) {
  const double error = effect_site_error(1.0);
  record_verification(kEffectSite, error);
  EXPECT_LT(error, kEffectSite.tolerance) << kEffectSite.id;
}

const VerificationCase kEffectSiteOrder{
    .id = "pkpd.effect_site.order",
    .source = "second-order convergence of the exponential integrator with linear Cp",
    .quantity = "error(h = 10 s) / error(h = 5 s) (outputs every 10 s) for the bolus case above",
    .norm = "|ratio - 4|",
    .tolerance = 0.4,
    .tolerance_reason = "asymptotic ratio 4 for an O(h^2) method; higher-order terms at "
                        "k h = 0.03 change it by a few per cent",
};

TEST(EffectCompartment, ErrorFallsWithTheSquareOfTheStep) {
  const double ratio = effect_site_error(10.0) / effect_site_error(5.0);
  record_verification(kEffectSiteOrder, std::abs(ratio - 4.0));
  EXPECT_LT(std::abs(ratio - 4.0), kEffectSiteOrder.tolerance) << "ratio " << ratio;
}

}  // namespace
}  // namespace ptwin::physics::pkpd
