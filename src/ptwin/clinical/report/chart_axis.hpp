// SPDX-License-Identifier: Apache-2.0
#pragma once
// What every chart axis has in common: a labelled quantity with its display unit, an optional
// fixed range, reference lines drawn at given values, and the linear map from axis values to
// pixels. Values on an axis are plain doubles in that axis' display unit (`unit`), since charts
// are drawn at the clinical edge where SI values have already been converted for display.

#include <optional>
#include <string>

namespace ptwin::clinical::report {

/// One axis of a chart. The axis title is drawn as "label (unit)", e.g. "Pressure (mmHg)".
struct Axis {
  std::string label{};  ///< the quantity, e.g. "Left-ventricular volume"; must not be empty
  std::string unit{};   ///< display unit, e.g. "mL", "%", "s"; "1" for dimensionless; not empty
  /// Fixed range in `unit`; give both or neither. Without them the range is the data range
  /// rounded outwards to nice ticks (see nice_ticks()).
  std::optional<double> minimum{};
  std::optional<double> maximum{};
  bool includes_zero = false;  ///< widen an automatic range so that it contains 0
};

/// A dashed line across the plot at `value` (in the axis' unit), e.g. a measured target
/// ("Measured MAP", 92 mmHg) that a simulated curve is compared with. XY charts list the label
/// in the legend (each reference line gets its own dash pattern); bar charts print it above
/// the line.
struct ReferenceLine {
  std::string label{};  ///< must not be empty
  double value = 0.0;   ///< in the unit of the axis it belongs to
};

/// Affine map from an axis interval [domain_lower, domain_upper] (axis unit) to a pixel interval
/// [range_lower_px, range_upper_px]. The pixel interval may run backwards (SVG's y grows
/// downwards, so a y axis maps its lower value to the larger pixel coordinate).
struct LinearScale {
  double domain_lower = 0.0;
  double domain_upper = 1.0;
  double range_lower_px = 0.0;
  double range_upper_px = 1.0;

  /// Pixel coordinate of `value`; values outside the domain extrapolate linearly.
  [[nodiscard]] double to_px(double value) const {
    const double fraction = (value - domain_lower) / (domain_upper - domain_lower);
    return range_lower_px + fraction * (range_upper_px - range_lower_px);
  }
};

/// "label (unit)", the text of an axis title.
[[nodiscard]] inline std::string axis_title(const Axis& axis) {
  return axis.label + " (" + axis.unit + ")";
}

}  // namespace ptwin::clinical::report
