// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/cohort/hypotension_cohort.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"

namespace ptwin::twin::cohort {
namespace {

using std::chrono::duration_cast;
using std::chrono::seconds;

constexpr double kLitresPerMinute = 1e-3 / 60.0;  // m3/s
constexpr double kBeatsPerMinute = 1.0 / 60.0;    // Hz
const double kMmHg = units::kPaPerMmHg;

// Population rules (docs/twin.md#synthetic-hypotension-cohort).
struct PopulationRules {
  double baseline_map_mean_mmhg = 82.0, baseline_map_sd_mmhg = 7.0;
  double baseline_map_min_mmhg = 70.0, baseline_map_max_mmhg = 100.0;
  double baseline_co_median_l_min = 5.0, baseline_co_log_sd = 0.2;
  double cvp_mean_mmhg = 6.0, cvp_sd_mmhg = 2.0, cvp_min_mmhg = 1.0;
  double heart_rate_mean_bpm = 75.0, heart_rate_sd_bpm = 10.0;
  double ou_time_constant_s = 20.0 * 60.0, ou_log_sd = 0.05;
  double map_noise_mmhg = 2.0, heart_rate_noise_bpm = 2.0, co_relative_noise = 0.10;
  double depth_min = 0.10, depth_max = 0.55;
  double ramp_min_s = 5 * 60.0, ramp_max_s = 20 * 60.0;
  double plateau_min_s = 2 * 60.0, plateau_max_s = 15 * 60.0;
  double recovery_min_s = 3 * 60.0, recovery_max_s = 10 * 60.0;
  double hypovolaemia_share = 0.4;
  double tachycardia_bpm_per_log_co = 40.0;  // reflex rise of heart rate as CO falls
};

void check(const CohortSettings& s) {
  const auto bad = [](const char* field, std::string value, const char* rule) {
    throw InputError(ErrorCode::BadInput, fmt::format("cohort settings: {}", field), std::move(value),
                     rule);
  };
  if (s.patients < 1 || s.patients > 100000) bad("patients", std::to_string(s.patients), "must be 1..100000");
  if (s.sample_interval.count() < 1) bad("sample_interval", std::to_string(s.sample_interval.count()), "must be >= 1 s");
  if (s.duration < s.sample_interval * 2) bad("duration", std::to_string(s.duration.count()), "must cover at least two samples");
  if (s.cardiac_output_interval.count() < 1) bad("cardiac_output_interval", std::to_string(s.cardiac_output_interval.count()), "must be >= 1 s");
  if (!(s.episodes_per_hour >= 0.0 && s.episodes_per_hour <= 10.0)) bad("episodes_per_hour", fmt::format("{}", s.episodes_per_hour), "must be in [0, 10]");
}

// 0 before the episode, ramps to 1, holds, returns to 0.
double episode_profile(const EpisodeTruth& e, time::Instant t) {
  const double since = std::chrono::duration<double>(t - e.start).count();
  const double ramp = static_cast<double>(e.ramp.count());
  const double plateau = static_cast<double>(e.plateau.count());
  const double recovery = static_cast<double>(e.recovery.count());
  if (since <= 0.0) return 0.0;
  if (since < ramp) return since / ramp;
  if (since < ramp + plateau) return 1.0;
  if (since < ramp + plateau + recovery) return 1.0 - (since - ramp - plateau) / recovery;
  return 0.0;
}

std::vector<EpisodeTruth> draw_episodes(std::mt19937_64& rng, const CohortSettings& s,
                                        const PopulationRules& r, time::Instant start) {
  const double hours = std::chrono::duration<double>(s.duration).count() / 3600.0;
  std::poisson_distribution<int> count(s.episodes_per_hour * hours);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int n = count(rng);
  std::vector<EpisodeTruth> episodes;
  for (int k = 0; k < n; ++k) {
    EpisodeTruth e;
    e.kind = unit(rng) < r.hypovolaemia_share ? EpisodeKind::Hypovolaemia : EpisodeKind::Vasodilation;
    e.log_depth = r.depth_min + (r.depth_max - r.depth_min) * unit(rng);
    e.ramp = seconds(static_cast<long>(r.ramp_min_s + (r.ramp_max_s - r.ramp_min_s) * unit(rng)));
    e.plateau = seconds(static_cast<long>(r.plateau_min_s + (r.plateau_max_s - r.plateau_min_s) * unit(rng)));
    e.recovery = seconds(static_cast<long>(r.recovery_min_s + (r.recovery_max_s - r.recovery_min_s) * unit(rng)));
    const double latest_start = std::chrono::duration<double>(s.duration).count();
    e.start = start + seconds(static_cast<long>(latest_start * unit(rng)));
    episodes.push_back(e);
  }
  std::sort(episodes.begin(), episodes.end(),
            [](const EpisodeTruth& a, const EpisodeTruth& b) { return a.start < b.start; });
  return episodes;
}

SyntheticPatient generate_patient(const CohortSettings& s, int index) {
  const PopulationRules r;
  // One stream per patient: patient k is the same whatever the cohort size.
  std::seed_seq seq{static_cast<std::uint64_t>(s.seed), static_cast<std::uint64_t>(index)};
  std::mt19937_64 rng(seq);
  std::normal_distribution<double> normal(0.0, 1.0);

  SyntheticPatient patient;
  patient.id = fmt::format("synthetic-{:04d}", index);
  // Patients are monitored on consecutive days, from 2026-01-01T00:00Z.
  const time::Instant start = time::from_epoch_ms(1'767'225'600'000) + std::chrono::days(index);

  const double map0 = std::clamp(r.baseline_map_mean_mmhg + r.baseline_map_sd_mmhg * normal(rng),
                                 r.baseline_map_min_mmhg, r.baseline_map_max_mmhg);
  const double co0 = r.baseline_co_median_l_min * std::exp(r.baseline_co_log_sd * normal(rng));
  const double cvp = std::max(r.cvp_min_mmhg, r.cvp_mean_mmhg + r.cvp_sd_mmhg * normal(rng));
  const double svr0 = (map0 - cvp) / co0;  // mmHg min / L
  const double hr0 = r.heart_rate_mean_bpm + r.heart_rate_sd_bpm * normal(rng);
  patient.episodes = draw_episodes(rng, s, r, start);

  const double dt = static_cast<double>(s.sample_interval.count());
  const double decay = std::exp(-dt / r.ou_time_constant_s);
  const double innovation = r.ou_log_sd * std::sqrt(1.0 - decay * decay);
  double ou_svr = r.ou_log_sd * normal(rng);
  double ou_co = r.ou_log_sd * normal(rng);
  const auto steps = s.duration / s.sample_interval;
  auto next_co_measurement = start;
  for (std::int64_t k = 0; k < steps; ++k) {
    const time::Instant t = start + s.sample_interval * k;
    double log_svr_drop = 0.0, log_co_drop = 0.0;
    for (const auto& e : patient.episodes) {
      const double f = episode_profile(e, t) * e.log_depth;
      (e.kind == EpisodeKind::Vasodilation ? log_svr_drop : log_co_drop) += f;
    }
    const double svr = svr0 * std::exp(ou_svr - log_svr_drop);
    const double co = co0 * std::exp(ou_co - log_co_drop);
    const double map = svr * co + cvp;
    const double hr = hr0 + r.tachycardia_bpm_per_log_co * log_co_drop;
    CohortSample sample;
    sample.time = t;
    sample.true_mean_arterial_pressure_pa = map * kMmHg;
    sample.mean_arterial_pressure_pa = (map + r.map_noise_mmhg * normal(rng)) * kMmHg;
    sample.heart_rate_hz = (hr + r.heart_rate_noise_bpm * normal(rng)) * kBeatsPerMinute;
    sample.true_systemic_resistance_pa_s_per_m3 = svr * kMmHg / kLitresPerMinute;
    sample.true_cardiac_output_m3_per_s = co * kLitresPerMinute;
    sample.central_venous_pressure_pa = cvp * kMmHg;
    patient.samples.push_back(sample);
    if (t >= next_co_measurement) {
      patient.cardiac_output.push_back(
          {t, co * (1.0 + r.co_relative_noise * normal(rng)) * kLitresPerMinute});
      next_co_measurement = t + s.cardiac_output_interval;
    }
    ou_svr = ou_svr * decay + innovation * normal(rng);
    ou_co = ou_co * decay + innovation * normal(rng);
  }
  return patient;
}

}  // namespace

std::vector<SyntheticPatient> generate_hypotension_cohort(const CohortSettings& settings) {
  check(settings);
  std::vector<SyntheticPatient> cohort;
  cohort.reserve(static_cast<std::size_t>(settings.patients));
  for (int k = 0; k < settings.patients; ++k) cohort.push_back(generate_patient(settings, k));
  return cohort;
}

}  // namespace ptwin::twin::cohort
