// SPDX-License-Identifier: Apache-2.0
#pragma once
// Synthetic arterial pressure waveforms with known beats, for the waveform tests and fuzz
// seeds. Each beat of period T starting at its onset t0 (the foot):
//   p(tau) = D + (S - D) * shape(tau),  tau = t - t0 in [0, T)
//   shape  = sin(pi tau / (2 t_r))                           for tau < t_r (upstroke, which
//            starts at its steepest, with a corner at the foot as in a measured ABP)
//          = (e^{-(tau-t_r)/tau_d} - e^{-(T-t_r)/tau_d}) / (1 - e^{-(T-t_r)/tau_d})
//            + a_n * exp(-((tau - t_n)/w_n)^2 / 2) * window   for tau >= t_r (runoff with a
//              dicrotic wave that vanishes at both ends of the diastole)
// so p(t0) = D, max p = S at t0 + t_r, p(t0 + T) = D: the onset, systolic and diastolic are
// known exactly. Gaussian noise of a fixed seed may be added.

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

#include "ptwin/core/units.hpp"

namespace ptwin::testing::waveform {

struct SyntheticBeat {
  double period_s;
  double systolic_mmhg;
  double diastolic_mmhg;
};

inline constexpr double kRiseTimeS = 0.10;
inline constexpr double kRunoffTimeConstantS = 0.35;

/// The pulse shape (0 at the foot, 1 at the systolic peak, 0 at the end).
inline double pulse_shape(double tau_s, double period_s) {
  if (tau_s < kRiseTimeS) {
    return std::sin(std::numbers::pi * tau_s / (2.0 * kRiseTimeS));
  }
  const double runoff = period_s - kRiseTimeS;
  const double end = std::exp(-runoff / kRunoffTimeConstantS);
  const double decay = (std::exp(-(tau_s - kRiseTimeS) / kRunoffTimeConstantS) - end) / (1 - end);
  // Dicrotic wave: at 0.30 s (or 55 % of the period if shorter), 8 % of the pulse, tapered by
  // sin(pi x) over the runoff so that it adds no corner at the peak or the next foot.
  const double x = (tau_s - kRiseTimeS) / runoff;
  const double centre_s = std::min(0.30, 0.55 * period_s);
  const double wave = 0.08 * std::exp(-0.5 * std::pow((tau_s - centre_s) / 0.03, 2)) *
                      std::sin(std::numbers::pi * x);
  return decay + wave;
}

struct SyntheticRecord {
  std::vector<double> pressure_mmhg;
  std::vector<std::int64_t> onsets;  // sample index of each beat's foot
  std::vector<SyntheticBeat> beats;  // beat k starts at onsets[k]
};

/// Appends `count` beats; each starts exactly on a sample (the period is rounded to samples).
inline void append_beats(SyntheticRecord& record, double rate_hz, SyntheticBeat beat, int count) {
  const auto samples = static_cast<std::int64_t>(std::llround(beat.period_s * rate_hz));
  beat.period_s = static_cast<double>(samples) / rate_hz;
  for (int k = 0; k < count; ++k) {
    record.onsets.push_back(static_cast<std::int64_t>(record.pressure_mmhg.size()));
    record.beats.push_back(beat);
    for (std::int64_t i = 0; i < samples; ++i) {
      const double tau = static_cast<double>(i) / rate_hz;
      record.pressure_mmhg.push_back(beat.diastolic_mmhg + (beat.systolic_mmhg - beat.diastolic_mmhg) *
                                                               pulse_shape(tau, beat.period_s));
    }
  }
}

/// Appends a constant stretch (a flush at ~300 mmHg, zeroing at 0 mmHg).
inline void append_level(SyntheticRecord& record, double rate_hz, double level_mmhg,
                         double duration_s) {
  const auto samples = std::llround(duration_s * rate_hz);
  record.pressure_mmhg.insert(record.pressure_mmhg.end(), static_cast<std::size_t>(samples),
                              level_mmhg);
}

inline void add_noise(SyntheticRecord& record, double sigma_mmhg, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<double> noise(0.0, sigma_mmhg);
  for (auto& value : record.pressure_mmhg) value += noise(random);
}

/// The exact beat mean (area / duration), by the midpoint rule at 100 kHz.
inline double exact_mean_mmhg(const SyntheticBeat& beat) {
  constexpr int kSteps = 100000;
  double sum = 0.0;
  for (int i = 0; i < kSteps; ++i) {
    sum += pulse_shape((i + 0.5) * beat.period_s / kSteps, beat.period_s);
  }
  return beat.diastolic_mmhg + (beat.systolic_mmhg - beat.diastolic_mmhg) * sum / kSteps;
}

inline std::vector<units::Pressure> to_pressures(const std::vector<double>& mmhg) {
  std::vector<units::Pressure> out;
  out.reserve(mmhg.size());
  for (const double value : mmhg) out.push_back(value * units::mmHg);
  return out;
}

}  // namespace ptwin::testing::waveform
