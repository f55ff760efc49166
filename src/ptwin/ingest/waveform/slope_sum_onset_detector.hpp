// SPDX-License-Identifier: Apache-2.0
#pragma once
// Streaming detection of arterial pressure pulse onsets with a slope sum function (SSF),
// after Zong W, Heldt T, Moody GB, Mark RG. An open-source algorithm to detect onset of
// arterial blood pressure pulses. Computers in Cardiology 2003;30:259-262
// (doi:10.1109/CIC.2003.1291140), implemented from the paper's description:
//   1. low-pass filter: two cascaded moving averages of `lowpass_window_s` (the paper's
//      recursive filter at 125 Hz is two cascaded 5-sample sums, i.e. 40 ms; here the window is
//      kept in seconds so that any rate behaves alike), unit gain, so y is in Pa;
//   2. SSF(n) = sum_{k=n-w+1..n} max(y(k) - y(k-1), 0) over w = `ssf_window_s` (128 ms);
//   3. the threshold base starts at `initial_threshold_factor` x the mean SSF over the first
//      `learning_period_s` (10 s); a pulse is a rising crossing of `threshold_fraction` (60 %)
//      x base, confirmed when the SSF rises by more than `min_pulse_amplitude` between its
//      minimum in the `search_window_s` (150 ms) before the crossing and its maximum in the
//      150 ms after; the base then becomes that maximum;
//   4. the onset is found by searching backward from the crossing for the last sample whose SSF
//      lies below `onset_fraction` of the way from that minimum to that maximum (the point
//      where the SSF starts to rise).
// Choices of ours where the paper leaves room, stated in docs/waveform.md: a refractory time
// after each pulse; an exponential decay of the base after `decay_after_s` without a pulse, so
// that one tall artefact (a line flush) cannot blind the detector for good; and a last local
// search, because the causal filter makes the SSF rise tens of ms after the pressure foot: the
// onset is moved to the foot by the intersecting-tangent rule (the tangent at the steepest
// point of the upstroke meets the horizontal through the lowest pressure before it; Chiu YC et
// al., Am Heart J 1991;121:1460-1470), applied to the filtered pressure re-centred by the
// filter's group delay (zero phase), looking back at most `foot_search_s` before the SSF onset.
// Streaming: samples may be pushed in chunks of any size; every decision depends on sample
// indices only, so chunked input yields the same onsets as one call.

#include <cstdint>
#include <span>
#include <vector>

#include "ptwin/core/units.hpp"

namespace ptwin::ingest::waveform {

struct SlopeSumSettings {
  double lowpass_window_s = 0.040;
  double ssf_window_s = 0.128;
  double learning_period_s = 10.0;
  double initial_threshold_factor = 3.0;
  double threshold_fraction = 0.6;
  double search_window_s = 0.150;
  units::Pressure min_pulse_amplitude = 3.0 * units::mmHg;  // SSF rise that makes a pulse
  double onset_fraction = 0.02;
  double onset_search_s = 0.300;  // how far back from the crossing the SSF onset may lie
  double foot_search_s = 0.100;   // how far back from the SSF onset the pressure foot may lie
  double refractory_s = 0.250;    // no second pulse within this time of a crossing (HR <= 240)
  double decay_after_s = 2.0;
  double decay_time_constant_s = 1.0;
};

/// Throws InputError(BadInput) naming the setting when one is not finite or not positive, or
/// a fraction is not in (0, 1).
void validate(const SlopeSumSettings& settings);

class SlopeSumOnsetDetector {
 public:
  /// `sample_rate_hz` must already be validated (validate(SignalDescription)).
  SlopeSumOnsetDetector(double sample_rate_hz, const SlopeSumSettings& settings);

  /// Feeds consecutive samples (Pa, finite) and appends the global indices of onsets decided
  /// so far to `onsets`, in increasing order. Decisions lag the input by `search_window_s`, and
  /// by the learning period at the start.
  void push(std::span<const double> pressures_pa, std::vector<std::int64_t>& onsets);

  /// Decides the remaining samples (end of record) and appends their onsets. Later pushes are
  /// a programmer error.
  void finish(std::vector<std::int64_t>& onsets);

  /// Number of samples pushed so far.
  [[nodiscard]] std::int64_t sample_count() const { return sample_count_; }

  /// No onset reported from now on can lie before this index.
  [[nodiscard]] std::int64_t earliest_future_onset() const {
    return is_learned_ ? cursor_ - onset_search_n_ - foot_search_n_ : 0;
  }

 private:
  void filter_sample(double pressure_pa);
  void learn_if_ready(bool is_final);
  void decide(bool is_final, std::vector<std::int64_t>& onsets);
  void examine(std::int64_t index, std::int64_t end, std::vector<std::int64_t>& onsets);
  [[nodiscard]] double ssf_at(std::int64_t index) const {
    return ssf_[static_cast<std::size_t>(index - ssf_first_)];
  }
  [[nodiscard]] double filtered_at(std::int64_t index) const {
    return filtered_[static_cast<std::size_t>(index - ssf_first_)];
  }
  [[nodiscard]] std::int64_t pressure_foot(std::int64_t ssf_onset, std::int64_t crossing,
                                           std::int64_t end) const;
  void trim();

  // Window lengths in samples.
  std::int64_t lowpass_n_;
  std::int64_t ssf_n_;
  std::int64_t learning_n_;
  std::int64_t search_n_;
  std::int64_t onset_search_n_;
  std::int64_t foot_search_n_;
  std::int64_t group_delay_n_;  // of the two cascaded moving averages
  std::int64_t refractory_n_;
  std::int64_t decay_after_n_;
  double decay_per_sample_;
  SlopeSumSettings settings_;

  // Filter and SSF state: three running sums over ring buffers, recomputed exactly each time
  // a ring wraps so that rounding cannot accumulate over hours of signal.
  struct RunningSum {
    std::vector<double> ring;
    std::size_t position = 0;
    double sum = 0.0;
    bool is_primed = false;
    explicit RunningSum(std::int64_t length) : ring(static_cast<std::size_t>(length), 0.0) {}
    double push(double value);  // returns the window mean
    double push_sum(double value);  // returns the window sum
  };
  RunningSum stage1_;
  RunningSum stage2_;
  RunningSum slope_sum_;
  double previous_filtered_pa_ = 0.0;
  std::int64_t sample_count_ = 0;

  // SSF and filtered pressure history [ssf_first_, sample_count_) for look-back and look-ahead.
  std::vector<double> ssf_;
  std::vector<double> filtered_;
  std::int64_t ssf_first_ = 0;

  // Decision state.
  bool is_learned_ = false;
  bool is_finished_ = false;
  double threshold_base_pa_ = 0.0;
  std::int64_t cursor_ = 0;  // next index to examine
  bool was_above_ = false;
  std::int64_t refractory_until_ = 0;
  std::int64_t last_pulse_ = 0;
  std::int64_t last_onset_ = -1;
};

}  // namespace ptwin::ingest::waveform
