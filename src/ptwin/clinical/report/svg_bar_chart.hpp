// SPDX-License-Identifier: Apache-2.0
#pragma once
// Horizontal bar chart with a zero line, for signed quantities per named item: the residual of
// each calibration target in %, (model - measured) / measured. Positive bars extend right in
// blue, negative bars left in vermillion (Okabe–Ito), each labelled with its value, so that sign
// is readable without colour. Tolerances are drawn as dashed reference lines.
//
// Example:
//   BarChart chart{.title = "Calibration residuals",
//                  .value_axis = {.label = "Residual", .unit = "%"},
//                  .bars = {{"Systolic pressure", 2.4}, {"Cardiac output", -4.1}}};
//   chart.references = {{"-5 %", -5.0}, {"+5 %", 5.0}};
//   const std::string svg = render_svg(chart);

#include <string>
#include <vector>

#include "ptwin/clinical/report/chart_axis.hpp"
#include "ptwin/clinical/report/nice_ticks.hpp"

namespace ptwin::clinical::report {

/// One bar: a category and its signed value in the value axis' unit.
struct Bar {
  std::string label{};  ///< category text, drawn left of the plot; must not be empty
  double value = 0.0;
};

/// A horizontal bar chart. The image height follows from the number of bars.
struct BarChart {
  std::string title{};  ///< optional, drawn above the plot
  Axis value_axis{};    ///< the horizontal axis, e.g. {"Residual", "%"}
  std::vector<Bar> bars{};
  std::vector<ReferenceLine> references{};  ///< vertical dashed lines on the value axis
  int value_decimals = 1;                   ///< digits after the point in the bar labels
  double width_px = 880.0;  ///< same default as ChartSize, so figures line up in a report
};

/// Layout of a bar chart: plot area, value ticks and scale, bar row height.
struct BarFrame {
  double left_px = 0.0;
  double top_px = 0.0;
  double width_px = 0.0;
  double height_px = 0.0;
  double row_height_px = 0.0;  ///< bar i is centred at top_px + (i + 0.5) * row_height_px
  double image_height_px = 0.0;
  TickSet value_ticks{};
  LinearScale value_scale{};  ///< value -> horizontal pixel coordinate; 0 is always inside
};

/// Validates `chart` and computes its layout. Throws ptwin::InputError (BadInput) naming the
/// chart and the bar index when: there are no bars; a label is empty; a value or reference is
/// NaN or infinite; the axis label or unit is empty; value_decimals is outside [0, 6]; the
/// width is below 300 px; or a fixed value range does not contain 0.
[[nodiscard]] BarFrame bar_frame(const BarChart& chart);

/// Renders `chart` as a standalone SVG element. All text is XML-escaped.
[[nodiscard]] std::string render_svg(const BarChart& chart);

}  // namespace ptwin::clinical::report
