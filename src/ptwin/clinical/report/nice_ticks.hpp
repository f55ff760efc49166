// SPDX-License-Identifier: Apache-2.0
#pragma once
// "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, so that tick labels are round
// numbers a reader can interpolate between (Heckbert, "Nice numbers for graph labels",
// Graphics Gems, 1990; restricted here to the 1-2-5 sequence).

#include <string>
#include <vector>

namespace ptwin::clinical::report {

/// Ticks of one axis. Values are in the axis' display unit (whatever unit the caller plots).
struct TickSet {
  double lower = 0.0;            ///< first tick; the axis starts here (<= data minimum)
  double upper = 0.0;            ///< last tick; the axis ends here (>= data maximum)
  double step = 0.0;             ///< distance between ticks: 1, 2 or 5 times 10^k
  int decimals = 0;              ///< digits after the decimal point that show `step` exactly
  std::vector<double> values{};  ///< lower, lower + step, ..., upper
  friend bool operator==(const TickSet&, const TickSet&) = default;
};

/// Ticks covering [minimum, maximum] with at most `max_intervals` + 1 intervals, using the
/// smallest 1-2-5 step >= (maximum - minimum) / max_intervals. The ends are rounded outwards to
/// multiples of the step. Each tick value is the double nearest to its decimal representation
/// (0.3, not 0.30000000000000004), so that labels and comparisons are exact.
///
/// A zero-width range (minimum == maximum) is widened to one step either side of the value, so
/// that a constant signal is drawn as a line in the middle of the axis.
///
/// Throws ptwin::InputError (BadInput) if either bound is NaN or infinite, minimum > maximum,
/// or max_intervals < 1.
[[nodiscard]] TickSet nice_ticks(double minimum, double maximum, int max_intervals = 5);

/// Ticks inside a fixed axis range [minimum, maximum]: the 1-2-5 step is chosen as in
/// nice_ticks(), but the ends stay at the given bounds and only ticks inside them are listed.
/// Same errors as nice_ticks(), and minimum == maximum is also rejected (a fixed range must
/// have a width).
[[nodiscard]] TickSet ticks_within(double minimum, double maximum, int max_intervals = 5);

/// Formats a tick value with `decimals` digits after the point, without a "-0" and with a
/// true minus sign (U+2212) as typographic convention for printed figures.
[[nodiscard]] std::string format_tick(double value, int decimals);

}  // namespace ptwin::clinical::report
