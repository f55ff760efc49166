// SPDX-License-Identifier: Apache-2.0
#pragma once
// Dependency-free SVG line/scatter charts for the clinical report: several named series, a
// shaded band between two curves (prediction intervals), closed curves (pressure–volume loops),
// dashed reference lines (measured targets), axis titles with units, 1-2-5 ticks, and a legend
// below the plot that names every series, band and reference line, so that no label ever
// covers data. The output is one <svg> element with a viewBox; it
// scales with its container and can be inlined in HTML or saved as an .svg file.
//
// Example (a pressure–volume loop with a measured end-systolic pressure):
//   XyChart chart{.title = "Left ventricle",
//                 .x_axis = {.label = "Volume", .unit = "mL"},
//                 .y_axis = {.label = "Pressure", .unit = "mmHg"}};
//   chart.series.push_back({.name = "Model", .x = volume_ml, .y = pressure_mmhg,
//                           .is_closed = true});
//   chart.y_references.push_back({.label = "Measured ESP", .value = 118.0});
//   const std::string svg = render_svg(chart);

#include <optional>
#include <string>
#include <vector>

#include "ptwin/clinical/report/chart_axis.hpp"
#include "ptwin/clinical/report/nice_ticks.hpp"
#include "ptwin/clinical/report/palette.hpp"

namespace ptwin::clinical::report {

/// How a series is drawn.
enum class SeriesStyle {
  Line,            ///< a polyline through the points, in order
  Markers,         ///< one marker per point, no line (scatter, measured samples)
  LineAndMarkers,  ///< both
};

/// Dash pattern of a series' line; vary it with colour so that print in greyscale still works.
enum class LineDash { Solid, Dashed, Dotted };

/// One named curve. x and y are in the units of the chart's x and y axes.
struct Series {
  std::string name{};  ///< legend text; must not be empty
  std::vector<double> x{};
  std::vector<double> y{};
  SeriesStyle style = SeriesStyle::Line;
  LineDash dash = LineDash::Solid;
  /// Joins the last point to the first: a closed curve such as a pressure–volume loop.
  bool is_closed = false;
  /// Default: the palette colour of the series' position in XyChart::series.
  std::optional<PaletteColour> colour{};
};

/// A shaded region between `lower` and `upper` over `x`, e.g. a 95 % prediction interval.
/// Drawn beneath all series.
struct Band {
  std::string name{};  ///< legend text; must not be empty
  std::vector<double> x{};
  std::vector<double> lower{};
  std::vector<double> upper{};
  /// Default: the palette colour of the band's position in XyChart::bands, so that band i
  /// matches series i (the interval around the i-th curve).
  std::optional<PaletteColour> colour{};
};

/// Size of the whole image in CSS pixels; the viewBox has the same size. The default fills the
/// text column of the HTML report; a report never enlarges a figure, it only shrinks it to fit.
struct ChartSize {
  double width_px = 880.0;
  double height_px = 440.0;
};

/// A line/scatter chart.
struct XyChart {
  std::string title{};  ///< optional, drawn above the plot
  Axis x_axis{};
  Axis y_axis{};
  std::vector<Series> series{};
  std::vector<Band> bands{};
  std::vector<ReferenceLine> y_references{};  ///< horizontal lines at y values
  std::vector<ReferenceLine> x_references{};  ///< vertical lines at x values (e.g. event times)
  ChartSize size{};
};

/// Where the plot area of a chart lies in its image, and the axis ticks and scales used.
struct PlotFrame {
  double left_px = 0.0;
  double top_px = 0.0;
  double width_px = 0.0;
  double height_px = 0.0;
  TickSet x_ticks{};
  TickSet y_ticks{};
  LinearScale x_scale{};  ///< x value -> horizontal pixel coordinate
  LinearScale y_scale{};  ///< y value -> vertical pixel coordinate (grows downwards)
};

/// A band between two series that share their x values, e.g. the 2.5 % and 97.5 % quantile
/// curves of an ensemble. Throws ptwin::InputError if the series' x values differ (naming
/// the index) or if `lower` lies above `upper` anywhere.
[[nodiscard]] Band band_between(std::string name, const Series& lower, const Series& upper);

/// Validates `chart` and computes its layout (render_svg() draws with this very frame).
/// Throws ptwin::InputError (BadInput) naming the chart, the series or band, and the index
/// when: x and y lengths differ; a value is NaN or infinite; a series has too few points for its
/// style (1 for markers, 2 for a line, 3 for a closed curve); a name, axis label or unit is
/// empty; band lower > upper; only one of an axis' fixed bounds is given or minimum >= maximum;
/// the chart has nothing to plot; or the size is below 200 x 150 px.
[[nodiscard]] PlotFrame plot_frame(const XyChart& chart);

/// Renders `chart` as a standalone SVG 1.1 element (no scripts, no external references).
/// All text is XML-escaped. Same errors as plot_frame(), and escape_xml() errors for text.
[[nodiscard]] std::string render_svg(const XyChart& chart);

}  // namespace ptwin::clinical::report
