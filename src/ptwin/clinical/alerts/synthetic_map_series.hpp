// SPDX-License-Identifier: Apache-2.0
#pragma once
// Synthetic, labelled mean-arterial-pressure series for evaluating alert policies: noisy
// baselines with transducer artefacts, harmless dips, and hypotension events with a drift
// before their onset. Not physiology: a test bed whose generation rules are stated so that a
// figure measured on it can be reproduced.
//
// Rules, per patient (all pressures in mmHg here, returned in Pa):
//   - one sample every sample_interval over `duration`, from 2024-01-01T00:00:00Z;
//   - true mean = baseline, except during excursions; the day is cut into
//     (events + dips) equal slots and each excursion starts at a uniformly drawn offset in
//     the first half of its slot (slots in random order of kind);
//   - event: the mean falls linearly from baseline to event_level over drift, stays there for
//     event_length (the ground-truth interval starts at the end of the drift), then returns
//     linearly over recovery;
//   - dip: the mean falls linearly to dip_level over dip_length / 2 and returns likewise
//     (no event: it stays above the usual 65 mmHg alarm level);
//   - value = mean + AR(1) noise (coefficient ar_coefficient, stationary standard deviation
//     noise_sd) + white measurement noise (measurement_sd);
//   - with probability artifact_probability per sample, one sample is dropped by
//     artifact_drop (a flush or a kinked line).
// Random numbers: std::mt19937_64 seeded with `seed` (the sequence is fixed by the C++
// standard), uniform doubles from its top 53 bits, normals by Box-Muller, so the series are
// the same on every platform.

#include <chrono>
#include <cstdint>
#include <vector>

#include "ptwin/clinical/alerts/alert_evaluation.hpp"

namespace ptwin::clinical::alerts {

struct SyntheticMapSettings {
  std::size_t patients = 20;
  std::chrono::nanoseconds duration = std::chrono::hours(24);
  std::chrono::nanoseconds sample_interval = std::chrono::minutes(1);
  double baseline_mmhg = 78.0;
  double ar_coefficient = 0.8;
  double noise_sd_mmhg = 3.0;
  double measurement_sd_mmhg = 1.5;
  double artifact_probability = 0.003;
  double artifact_drop_mmhg = 30.0;
  std::size_t events_per_patient = 1;
  double event_level_mmhg = 55.0;
  std::chrono::nanoseconds drift = std::chrono::minutes(40);
  std::chrono::nanoseconds event_length = std::chrono::minutes(30);
  std::chrono::nanoseconds recovery = std::chrono::minutes(20);
  std::size_t dips_per_patient = 2;
  double dip_level_mmhg = 68.0;
  std::chrono::nanoseconds dip_length = std::chrono::minutes(20);
  std::uint64_t seed = 20261124;
};

/// Records named "synthetic-<i>" with signal "map". Throws InputError(BadInput) naming the
/// setting when a slot is too short for its excursion or a value is out of range.
[[nodiscard]] std::vector<PatientRecord> synthetic_map_records(
    const SyntheticMapSettings& settings);

}  // namespace ptwin::clinical::alerts
