// SPDX-License-Identifier: Apache-2.0
#pragma once
// Keeps a clock model per source from the paired events a feed sees as it runs (for MQTT: a
// reading's device time stamp and the moment the broker delivered it), refitted over a sliding
// window, and optionally corrects the source's time stamps with it (docs/ingest.md#source-clocks).
//
// What arrival pairs measure: reference - device = clock error + transport delay. The median
// fit (Theil–Sen) therefore estimates the clock error plus the median delay (milliseconds on a
// LAN), and is untouched by a minority of late deliveries (a device flushing its buffer after a
// disconnection); if most readings of a window were buffered, the fit is wrong, which is why
// correction is opt-in and a fit whose residuals exceed a bound is not used.

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "ptwin/ingest/clock/clock_model.hpp"

namespace ptwin::ingest::clock {

struct ClockTrackingSettings {
  /// false: estimate and report only; true: time stamps of a source with a usable model are
  /// replaced by model.to_utc(stamp).
  bool is_correcting = false;
  std::size_t window_pairs = 128;  // the last this many pairs are fitted
  std::size_t min_pairs = 16;      // no model before this many
  std::size_t refit_every = 16;    // new pairs between fits
  /// A fit whose median |residual| exceeds this (seconds) is kept for reporting but not used to
  /// correct (delays too irregular to tell the clock's error from the network's). The median,
  /// not the RMS: a few buffered readings a minute late must not disqualify a good fit.
  double max_median_residual_s = 0.25;
};

/// Checks the settings; throws InputError naming `where`.<field>.
void validate(const ClockTrackingSettings& settings, std::string_view where);

struct SourceClock {
  std::size_t pairs_seen = 0;
  std::optional<ClockModel> model;  // the latest fit
  double median_residual_s = 0;     // median |residual| of the window about that fit
  bool is_usable = false;           // the fit exists and meets max_median_residual_s
  std::string last_fit_error;       // why the latest fit failed (InputError text), if it did
};

/// Thread-safe.
class SourceClockTracker {
 public:
  explicit SourceClockTracker(ClockTrackingSettings settings);

  /// Adds one paired event of `source` and refits when due.
  void observe(std::string_view source, time::Instant device, time::Instant reference);
  /// `device` corrected by the source's usable model when correcting; unchanged otherwise.
  [[nodiscard]] time::Instant to_utc(std::string_view source, time::Instant device) const;
  /// True when to_utc changes the time stamps of `source`.
  [[nodiscard]] bool is_correcting(std::string_view source) const;
  /// Every source seen, with its latest fit.
  [[nodiscard]] std::map<std::string, SourceClock, std::less<>> sources() const;
  [[nodiscard]] const ClockTrackingSettings& settings() const { return settings_; }

 private:
  struct Track {
    std::deque<PairedEvent> window;
    std::size_t since_fit = 0;
    SourceClock clock;
  };
  ClockTrackingSettings settings_;
  mutable std::mutex mutex_;
  std::map<std::string, Track, std::less<>> tracks_;
};

}  // namespace ptwin::ingest::clock
