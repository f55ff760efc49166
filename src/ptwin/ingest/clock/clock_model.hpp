// SPDX-License-Identifier: Apache-2.0
#pragma once
// A source's clock against UTC, estimated from paired events: moments whose time is known both
// on the source's clock and on a reference clock (a device's heartbeat stamped by the gateway on
// arrival, an ECG R-peak matched with the bedside monitor). The model is linear:
//   utc = device + offset + drift * (device - anchor)
// with `anchor` the middle of the pairs' span, so that offset and drift are estimated
// independently. The fit is Theil–Sen (the median of pairwise slopes, then the median of the
// intercepts): a few pairs delayed by a network hiccup move it far less than least squares.

#include <cstddef>
#include <span>
#include <string_view>

#include "ptwin/core/time.hpp"

namespace ptwin::ingest::clock {

/// One moment seen on both clocks.
struct PairedEvent {
  time::Instant device;     // as the source stamped it (read as if it were UTC)
  time::Instant reference;  // the reference clock's UTC
};

struct ClockModel {
  time::Instant anchor;  // device time at which `offset_s` holds
  double offset_s = 0;   // reference - device at the anchor, seconds
  double drift = 0;      // seconds gained per second of device time (50e-6 = 50 ppm fast)
  std::size_t pair_count = 0;
  double residual_rms_s = 0;  // of the pairs about the fitted line
  double residual_max_s = 0;  // largest |residual|

  /// The UTC instant of a time stamped by the source.
  [[nodiscard]] time::Instant to_utc(time::Instant device) const;
};

/// Fits the model. Throws InputError naming `source` when fewer than 2 pairs are given or the
/// pairs span no device time (drift cannot be told apart from offset), and when a fitted
/// |drift| exceeds `max_abs_drift` (default 1e-3, 1000 ppm: far beyond any working quartz clock,
/// so the pairing itself is wrong).
[[nodiscard]] ClockModel estimate_clock_model(std::span<const PairedEvent> pairs,
                                              std::string_view source,
                                              double max_abs_drift = 1e-3);

}  // namespace ptwin::ingest::clock
