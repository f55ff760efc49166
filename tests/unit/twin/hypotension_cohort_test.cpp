// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <chrono>
#include <cmath>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/twin/cohort/hypotension_cohort.hpp"

namespace {

using namespace std::chrono_literals;
using ptwin::twin::cohort::CohortSettings;
using ptwin::twin::cohort::generate_hypotension_cohort;

CohortSettings small(int patients) {
  CohortSettings s;
  s.patients = patients;
  s.duration = 2h;
  return s;
}

TEST(HypotensionCohort, PatientsAreReproducibleAndIndependentOfCohortSize) {
  const auto a = generate_hypotension_cohort(small(3));
  const auto b = generate_hypotension_cohort(small(5));
  ASSERT_EQ(a.size(), 3u);
  for (std::size_t p = 0; p < a.size(); ++p) {
    ASSERT_EQ(a[p].samples.size(), b[p].samples.size());
    EXPECT_EQ(a[p].id, b[p].id);
    for (std::size_t k = 0; k < a[p].samples.size(); ++k) {
      EXPECT_EQ(a[p].samples[k].mean_arterial_pressure_pa, b[p].samples[k].mean_arterial_pressure_pa);
    }
  }
  auto other_seed = small(3);
  other_seed.seed += 1;
  EXPECT_NE(generate_hypotension_cohort(other_seed)[0].samples[5].mean_arterial_pressure_pa,
            a[0].samples[5].mean_arterial_pressure_pa);
}

TEST(HypotensionCohort, FollowsItsStatedRules) {
  const auto cohort = generate_hypotension_cohort(small(40));
  std::size_t episodes = 0;
  for (const auto& patient : cohort) {
    ASSERT_EQ(patient.samples.size(), 720u);  // 2 h every 10 s
    EXPECT_EQ(patient.cardiac_output.size(), 4u);  // every 30 min
    EXPECT_EQ(patient.samples[1].time - patient.samples[0].time, 10s);
    episodes += patient.episodes.size();
    // Baseline MAP is clamped to 70-100 mmHg; the first sample is close to it (OU + noise).
    const double first_mmhg = patient.samples[0].true_mean_arterial_pressure_pa / ptwin::units::kPaPerMmHg;
    EXPECT_GT(first_mmhg, 50.0);
    EXPECT_LT(first_mmhg, 130.0);
    for (const auto& s : patient.samples) {
      // Truth obeys MAP = SVR x CO + CVP exactly.
      const double map = s.true_systemic_resistance_pa_s_per_m3 * s.true_cardiac_output_m3_per_s +
                         s.central_venous_pressure_pa;
      ASSERT_NEAR(map, s.true_mean_arterial_pressure_pa, 1e-9 * map);
    }
  }
  // Poisson(0.3/h x 2 h) per patient: mean 24 episodes over 40 patients, SD ~4.9.
  EXPECT_GT(episodes, 9u);
  EXPECT_LT(episodes, 40u);
}

TEST(HypotensionCohort, SettingsOutOfRangeAreNamed) {
  auto s = small(1);
  s.patients = 0;
  try {
    (void)generate_hypotension_cohort(s);
    FAIL() << "0 patients accepted";
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.where(), "cohort settings: patients");
  }
  s = small(1);
  s.episodes_per_hour = -1;
  EXPECT_THROW((void)generate_hypotension_cohort(s), ptwin::InputError);
}

}  // namespace
