// SPDX-License-Identifier: Apache-2.0
#pragma once
// Finds the stretches of an arterial line signal that are not the patient's pressure: a line
// flush (the transducer sees the pressure bag: sustained high, near-flat pressure) and zeroing
// (the transducer is opened to air: near 0 mmHg, flat). The signal is cut into consecutive
// windows of `window_s` counted from sample 0; a window is flat when its range (max - min) is at
// most `flat_range`; `min_duration_s` of consecutive flat windows whose mean lies at or above
// `flush_min_level` (or within +-`zeroing_max_level` of 0) make a segment. Windows are counted
// by sample index, so chunked input gives the same segments as one call.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "ptwin/core/units.hpp"

namespace ptwin::ingest::waveform {

enum class FlatSegmentKind { LineFlush, Zeroing };

struct FlatSegment {
  FlatSegmentKind kind = FlatSegmentKind::LineFlush;
  std::int64_t first = 0;  // first sample index
  std::int64_t end = 0;    // one past the last sample index
  friend bool operator==(const FlatSegment&, const FlatSegment&) = default;
};

struct FlatSegmentSettings {
  double window_s = 0.25;
  double min_duration_s = 1.0;
  units::Pressure flat_range = 5.0 * units::mmHg;
  units::Pressure flush_min_level = 150.0 * units::mmHg;
  units::Pressure zeroing_max_level = 10.0 * units::mmHg;
};

/// Throws InputError(BadInput) naming the setting when one is not finite and positive, or
/// when min_duration_s is shorter than window_s.
void validate(const FlatSegmentSettings& settings);

class FlatSegmentDetector {
 public:
  FlatSegmentDetector(double sample_rate_hz, const FlatSegmentSettings& settings);

  /// Feeds consecutive samples (Pa).
  void push(std::span<const double> pressures_pa);

  /// Every segment confirmed so far; the last may still be growing (its `end` is where the
  /// classified windows stop).
  [[nodiscard]] std::vector<FlatSegment> segments() const;

  /// Samples before this index have been classified: a segment that starts before
  /// `classified_until() - min_duration` is already known.
  [[nodiscard]] std::int64_t classified_until() const { return windows_done_ * window_n_; }

  /// Samples needed after a point before every segment touching it is known.
  [[nodiscard]] std::int64_t confirmation_lag() const { return window_n_ + min_windows_ * window_n_; }

  /// The kind of the first segment overlapping [first - guard, end + guard), if any.
  [[nodiscard]] std::optional<FlatSegmentKind> overlapping(std::int64_t first, std::int64_t end,
                                                           std::int64_t guard) const;

  /// Drops closed segments that end before `index` (they can no longer overlap a beat).
  void forget_before(std::int64_t index);

 private:
  void close_window();

  std::int64_t window_n_;
  std::int64_t min_windows_;
  FlatSegmentSettings settings_;
  // The window being filled.
  std::int64_t in_window_ = 0;
  double window_min_pa_ = 0.0;
  double window_max_pa_ = 0.0;
  double window_sum_pa_ = 0.0;
  std::int64_t windows_done_ = 0;
  // The current run of flat windows of one kind.
  std::optional<FlatSegmentKind> run_kind_;
  std::int64_t run_first_window_ = 0;
  std::int64_t run_windows_ = 0;
  std::vector<FlatSegment> closed_;
};

}  // namespace ptwin::ingest::waveform
