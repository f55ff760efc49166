// SPDX-License-Identifier: Apache-2.0
// The hypotension risk twin run with the EnKF (twin.filter: enkf) against the same twin run with
// the UKF on the same synthetic patients. The trend model is linear in its state and the
// observations are linear in the log-state up to the exponential, where the UKF is close to the
// exact Kalman filter (twin.risk.ukf_equals_kalman); the stochastic EnKF converges to it as the
// ensemble grows, with a sampling error of the mean of about sd / sqrt(N) (Evensen 2009,
// evensen2009data, ch. 4) and of the spread of about sd / sqrt(2N). The test states how close
// the EnKF's posterior and forecasts are at N = 200 and that its forecast intervals cover the
// truth as the UKF's do.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/twin/cohort/hypotension_cohort.hpp"
#include "ptwin/twin/risk/hypotension_risk_twin.hpp"
#include "verification/verification_case.hpp"

namespace {

using namespace std::chrono_literals;
using ptwin::twin::risk::HypotensionRiskSettings;
using ptwin::twin::risk::HypotensionRiskTwin;

struct Posterior {
  double ln_pressure_mean = 0.0;  // ln(MAP - CVP)
  double ln_pressure_sd = 0.0;
  double risk_15_min = 0.0;
  double map_p05 = 0.0, map_p95 = 0.0;  // 15-min forecast, Pa
};

Posterior summarise(const HypotensionRiskTwin& twin) {
  const auto& e = twin.estimate();
  Posterior p;
  p.ln_pressure_mean = e.mean(0) + e.mean(2);
  p.ln_pressure_sd = std::sqrt(e.covariance(0, 0) + 2 * e.covariance(0, 2) + e.covariance(2, 2));
  const auto f = twin.forecast(15min);
  p.risk_15_min = f.probability;
  p.map_p05 = f.mean_arterial_pressure_pa.p05;
  p.map_p95 = f.mean_arterial_pressure_pa.p95;
  return p;
}

// The posterior after each MAP sample of a patient (once a minute), cardiac output before the MAP
// of the same instant, as the live stage feeds them.
std::vector<Posterior> track(const ptwin::twin::cohort::SyntheticPatient& patient,
                             const HypotensionRiskSettings& settings) {
  const auto& first = patient.samples.front();
  HypotensionRiskTwin twin(settings, first.time, first.mean_arterial_pressure_pa);
  std::vector<Posterior> out;
  std::size_t next_co = 0;
  for (std::size_t i = 1; i < patient.samples.size(); ++i) {
    const auto& s = patient.samples[i];
    while (next_co < patient.cardiac_output.size() && patient.cardiac_output[next_co].time <= s.time) {
      (void)twin.assimilate_cardiac_output(patient.cardiac_output[next_co].time,
                                           patient.cardiac_output[next_co].cardiac_output_m3_per_s);
      ++next_co;
    }
    (void)twin.assimilate_mean_arterial_pressure(s.time, s.mean_arterial_pressure_pa);
    if (i % 6 == 0) out.push_back(summarise(twin));
  }
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

const ptwin::testing::VerificationCase kEnkfAgainstUkf{
    .id = "twin.risk.enkf_tracks_as_ukf",
    .source = "the same twin under the UKF (close to the exact Kalman filter for this model: "
              "twin.risk.ukf_equals_kalman); EnKF sampling error ~ sd/sqrt(N), Evensen 2009",
    .quantity = "posterior of ln(MAP - CVP) once a minute over 6 synthetic patients x 4 h "
                "(cohort seed 20261124), N = 200, ensemble seed 20261125",
    .norm = "median |mean difference| in UKF posterior SDs",
    .tolerance = 0.15,
    .tolerance_reason = "1/sqrt(200) = 0.07 per step, doubled for the perturbed-observation "
                        "noise the stochastic EnKF adds; p95 held to 0.4, SD ratio to [0.8, 1.2] "
                        "at p05/p95 (sampling error of a spread ~ 1/sqrt(2N) = 5 %, 4 x)",
};

TEST(HypotensionRiskEnkf, TracksTheSamePatientsAsTheUkfWithComparableIntervals) {
  ptwin::twin::cohort::CohortSettings cohort_settings;
  cohort_settings.patients = 6;
  cohort_settings.duration = 4h;
  cohort_settings.seed = 20261124;
  const auto cohort = ptwin::twin::cohort::generate_hypotension_cohort(cohort_settings);
  HypotensionRiskSettings ukf;
  HypotensionRiskSettings enkf;
  enkf.filter = ptwin::StateFilter::Enkf;
  enkf.ensemble_size = 200;
  enkf.ensemble_seed = 20261125;
  std::printf("cohort seed %llu, ensemble seed %llu, %d members\n",
              static_cast<unsigned long long>(cohort_settings.seed),
              static_cast<unsigned long long>(enkf.ensemble_seed), enkf.ensemble_size);
  std::vector<double> mean_error, sd_ratio, risk_difference, band_ratio;
  int ukf_inside = 0, enkf_inside = 0, forecasts = 0;
  for (const auto& patient : cohort) {
    const auto a = track(patient, ukf);
    const auto b = track(patient, enkf);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) {
      mean_error.push_back(std::abs(b[k].ln_pressure_mean - a[k].ln_pressure_mean) / a[k].ln_pressure_sd);
      sd_ratio.push_back(b[k].ln_pressure_sd / a[k].ln_pressure_sd);
      risk_difference.push_back(std::abs(b[k].risk_15_min - a[k].risk_15_min));
      band_ratio.push_back((b[k].map_p95 - b[k].map_p05) / (a[k].map_p95 - a[k].map_p05));
      // The truth 15 minutes (90 samples of 10 s) after the k-th summary (sample 6 (k + 1)).
      const std::size_t target = 6 * (k + 1) + 90;
      if (target >= patient.samples.size()) continue;
      const double truth = patient.samples[target].true_mean_arterial_pressure_pa;
      ukf_inside += (truth >= a[k].map_p05 && truth <= a[k].map_p95) ? 1 : 0;
      enkf_inside += (truth >= b[k].map_p05 && truth <= b[k].map_p95) ? 1 : 0;
      ++forecasts;
    }
  }
  const double ukf_coverage = static_cast<double>(ukf_inside) / forecasts;
  const double enkf_coverage = static_cast<double>(enkf_inside) / forecasts;
  std::printf("posterior ln(MAP - CVP): |EnKF - UKF| mean in UKF SDs: median %.3f, p95 %.3f; "
              "SD ratio EnKF/UKF: p05 %.3f median %.3f p95 %.3f\n",
              median(mean_error), quantile(mean_error, 0.95), quantile(sd_ratio, 0.05),
              median(sd_ratio), quantile(sd_ratio, 0.95));
  std::printf("15-min risk |EnKF - UKF|: median %.4f p95 %.4f; 90 %% MAP band width ratio: "
              "median %.3f; coverage of the true MAP 15 min ahead: UKF %.3f EnKF %.3f (%d "
              "forecasts)\n",
              median(risk_difference), quantile(risk_difference, 0.95), median(band_ratio),
              ukf_coverage, enkf_coverage, forecasts);
  ptwin::testing::record_verification(kEnkfAgainstUkf, median(mean_error));
  EXPECT_LT(median(mean_error), kEnkfAgainstUkf.tolerance);
  EXPECT_LT(quantile(mean_error, 0.95), 0.4);
  EXPECT_NEAR(median(sd_ratio), 1.0, 0.05);
  EXPECT_GT(quantile(sd_ratio, 0.05), 0.8);
  EXPECT_LT(quantile(sd_ratio, 0.95), 1.2);
  // Risks within 0.05 at p95: far below the alert hysteresis (raise 0.5, clear 0.3).
  EXPECT_LT(quantile(risk_difference, 0.95), 0.05);
  EXPECT_NEAR(median(band_ratio), 1.0, 0.05);
  // Intervals comparable: the EnKF's forecast bands cover the truth as often as the UKF's, within
  // 0.02 (the binomial SD of a coverage near 0.85 over ~1300 correlated forecasts is >= 0.01).
  EXPECT_NEAR(enkf_coverage, ukf_coverage, 0.02);
}

}  // namespace
