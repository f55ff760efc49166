// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/report/svg_plot.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <limits>

#include <fmt/format.h>

#include "ptwin/clinical/report/detail/chart_checks.hpp"
#include "ptwin/clinical/report/detail/svg_canvas.hpp"
#include "ptwin/clinical/report/detail/xy_chart_checks.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::clinical::report {
namespace {

using detail::Anchor;
using detail::LegendEntry;

constexpr double kPadding_px = 12.0;
constexpr double kTitleBlock_px = 30.0;
constexpr double kMinimumPlot_px = 60.0;
constexpr double kMinXTickSpacing_px = 90.0;
constexpr double kMinYTickSpacing_px = 36.0;
constexpr double kClipMargin_px = 5.0;  // markers on the frame stay whole
constexpr double kBandOpacity = 0.22;

std::string_view dash_array(LineDash dash) {
  switch (dash) {
    case LineDash::Solid:
      return "";
    case LineDash::Dashed:
      return "8 5";
    case LineDash::Dotted:
      return "2 3";
  }
  return "";
}

/// Reference lines share one grey and differ by dash pattern, so that the legend tells them
/// apart; inline labels were dropped because they collide with data near the plot edge.
std::string_view reference_dash(std::size_t index) {
  constexpr std::array<std::string_view, 4> kDashes{"6 4", "2 3", "10 3 2 3", "14 5"};
  return kDashes.at(index % kDashes.size());
}

bool has_line(const Series& series) { return series.style != SeriesStyle::Markers; }
bool has_markers(const Series& series) { return series.style != SeriesStyle::Line; }

struct Extent {
  double minimum = std::numeric_limits<double>::infinity();
  double maximum = -std::numeric_limits<double>::infinity();
  void add(double value) {
    minimum = std::min(minimum, value);
    maximum = std::max(maximum, value);
  }
  void add(const std::vector<double>& values) {
    for (const double value : values) add(value);
  }
};

Extent x_extent(const XyChart& chart) {
  Extent extent;
  for (const auto& series : chart.series) extent.add(series.x);
  for (const auto& band : chart.bands) extent.add(band.x);
  for (const auto& reference : chart.x_references) extent.add(reference.value);
  return extent;
}

Extent y_extent(const XyChart& chart) {
  Extent extent;
  for (const auto& series : chart.series) extent.add(series.y);
  for (const auto& band : chart.bands) {
    extent.add(band.lower);
    extent.add(band.upper);
  }
  for (const auto& reference : chart.y_references) extent.add(reference.value);
  return extent;
}

TickSet axis_ticks(const Axis& axis, Extent extent, int max_intervals) {
  if (axis.minimum) return ticks_within(*axis.minimum, *axis.maximum, max_intervals);
  if (axis.includes_zero) extent.add(0.0);
  return nice_ticks(extent.minimum, extent.maximum, max_intervals);
}

int intervals_for(double length_px, double spacing_px, int most) {
  return std::clamp(static_cast<int>(length_px / spacing_px), 2, most);
}

/// x ticks whose labels fit between neighbouring ticks without touching.
TickSet fitting_x_ticks(const XyChart& chart, const Extent& extent, double plot_width_px) {
  int intervals = intervals_for(plot_width_px, kMinXTickSpacing_px, 10);
  TickSet ticks = axis_ticks(chart.x_axis, extent, intervals);
  while (intervals > 1 && ticks.values.size() > 1) {
    const double spacing_px = plot_width_px * ticks.step / (ticks.upper - ticks.lower);
    if (detail::widest_tick_label_px(ticks) + 12.0 <= spacing_px) break;
    ticks = axis_ticks(chart.x_axis, extent, --intervals);
  }
  return ticks;
}

std::vector<LegendEntry> legend_entries(const XyChart& chart) {
  std::vector<LegendEntry> entries;
  for (std::size_t i = 0; i < chart.bands.size(); ++i) {
    const Band& band = chart.bands[i];
    entries.push_back({.label = band.name,
                       .kind = LegendEntry::Kind::Band,
                       .colour = std::string(hex(band.colour.value_or(palette_colour(i)))),
                       .dasharray = {},
                       .shape = detail::MarkerShape::Circle});
  }
  std::size_t marker_index = 0;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const Series& series = chart.series[i];
    LegendEntry entry{.label = series.name,
                      .kind = LegendEntry::Kind::Line,
                      .colour = std::string(hex(series.colour.value_or(palette_colour(i)))),
                      .dasharray = std::string(dash_array(series.dash)),
                      .shape = detail::MarkerShape::Circle};
    if (has_markers(series)) {
      entry.shape = detail::marker_shape(marker_index++);
      entry.kind = has_line(series) ? LegendEntry::Kind::LineAndMarker : LegendEntry::Kind::Marker;
    }
    entries.push_back(std::move(entry));
  }
  std::size_t reference_index = 0;
  for (const auto* references : {&chart.y_references, &chart.x_references}) {
    for (const auto& reference : *references) {
      entries.push_back({.label = reference.label,
                         .kind = LegendEntry::Kind::Reference,
                         .colour = std::string(detail::kReferenceColour),
                         .dasharray = std::string(reference_dash(reference_index++)),
                         .shape = detail::MarkerShape::Circle});
    }
  }
  return entries;
}

/// Vertical space below the plot: ticks, tick labels, axis title, legend.
double space_below_plot_px(const XyChart& chart) {
  const double axis_block_px =
      detail::kTickLength_px + detail::kTickFont_px + 10.0 + detail::kAxisTitleFont_px + 6.0;
  const double legend_px =
      detail::legend_height_px(legend_entries(chart), chart.size.width_px - 2.0 * kPadding_px);
  return axis_block_px + (legend_px > 0.0 ? legend_px + 10.0 : 0.0) + kPadding_px;
}

}  // namespace

Band band_between(std::string name, const Series& lower, const Series& upper) {
  const std::string where = fmt::format("band '{}'", name);
  if (lower.x.size() != upper.x.size() || lower.y.size() != lower.x.size() ||
      upper.y.size() != upper.x.size()) {
    throw InputError(ErrorCode::BadInput, where,
                     fmt::format("series '{}' has {} points, series '{}' has {}", lower.name,
                                 lower.x.size(), upper.name, upper.x.size()),
                     "both series need equally many x and y values");
  }
  for (std::size_t i = 0; i < lower.x.size(); ++i) {
    if (lower.x[i] != upper.x[i]) {
      throw InputError(
          ErrorCode::BadInput, fmt::format("{} x[{}]", where, i),
          fmt::format("{} in '{}' vs {} in '{}'", lower.x[i], lower.name, upper.x[i], upper.name),
          "the two series must share their x values");
    }
  }
  Band band{.name = std::move(name),
            .x = lower.x,
            .lower = lower.y,
            .upper = upper.y,
            .colour = lower.colour};
  detail::check_band(band, 0, "band_between()");
  return band;
}

PlotFrame plot_frame(const XyChart& chart) {
  detail::check_xy_chart(chart);
  PlotFrame frame;
  frame.top_px = kPadding_px + (chart.title.empty() ? 6.0 : kTitleBlock_px);
  frame.height_px = chart.size.height_px - frame.top_px - space_below_plot_px(chart);
  if (frame.height_px < kMinimumPlot_px) {
    throw InputError(ErrorCode::BadInput, detail::chart_where(chart.title) + ": size",
                     fmt::format("{} x {} px", chart.size.width_px, chart.size.height_px),
                     "leaves less than 60 px of plot height beside title, axis and legend");
  }
  frame.y_ticks = axis_ticks(chart.y_axis, y_extent(chart),
                             intervals_for(frame.height_px, kMinYTickSpacing_px, 8));
  frame.left_px = kPadding_px + detail::kAxisTitleFont_px + 10.0 +
                  detail::widest_tick_label_px(frame.y_ticks) + detail::kTickLength_px + 4.0;

  const Extent x_values = x_extent(chart);
  double right_margin_px = kPadding_px + 12.0;
  frame.width_px = chart.size.width_px - frame.left_px - right_margin_px;
  frame.x_ticks = fitting_x_ticks(chart, x_values, frame.width_px);
  // The last tick label is centred on the right end of the axis: keep half of it inside.
  const double last_label_px = detail::text_width_px(
      format_tick(frame.x_ticks.values.back(), frame.x_ticks.decimals), detail::kTickFont_px);
  right_margin_px = std::max(right_margin_px, kPadding_px + last_label_px / 2.0);
  frame.width_px = chart.size.width_px - frame.left_px - right_margin_px;
  if (frame.width_px < kMinimumPlot_px) {
    throw InputError(ErrorCode::BadInput, detail::chart_where(chart.title) + ": size",
                     fmt::format("{} x {} px", chart.size.width_px, chart.size.height_px),
                     "leaves less than 60 px of plot width beside the axis labels");
  }

  frame.x_scale = {.domain_lower = frame.x_ticks.lower,
                   .domain_upper = frame.x_ticks.upper,
                   .range_lower_px = frame.left_px,
                   .range_upper_px = frame.left_px + frame.width_px};
  frame.y_scale = {.domain_lower = frame.y_ticks.lower,
                   .domain_upper = frame.y_ticks.upper,
                   .range_lower_px = frame.top_px + frame.height_px,
                   .range_upper_px = frame.top_px};
  return frame;
}

namespace {

std::string polyline_path(const std::vector<double>& x, const std::vector<double>& y,
                          const PlotFrame& frame) {
  std::string path;
  path.reserve(x.size() * 16);
  for (std::size_t i = 0; i < x.size(); ++i) {
    fmt::format_to(std::back_inserter(path), "{}{} {}", i == 0 ? "M" : "L",
                   detail::px(frame.x_scale.to_px(x[i])), detail::px(frame.y_scale.to_px(y[i])));
  }
  return path;
}

void draw_band(detail::SvgWriter& svg, const Band& band, std::size_t index,
               const PlotFrame& frame) {
  std::string path = polyline_path(band.x, band.upper, frame);
  for (std::size_t i = band.x.size(); i-- > 0;) {
    fmt::format_to(std::back_inserter(path), "L{} {}", detail::px(frame.x_scale.to_px(band.x[i])),
                   detail::px(frame.y_scale.to_px(band.lower[i])));
  }
  path += 'Z';
  svg.begin_group(band.name);
  svg.raw(fmt::format("<path d=\"{}\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"none\"/>\n", path,
                      hex(band.colour.value_or(palette_colour(index))), kBandOpacity));
  svg.end_group();
}

void draw_series(detail::SvgWriter& svg, const Series& series, std::size_t index,
                 std::size_t& marker_index, const PlotFrame& frame) {
  const std::string_view colour = hex(series.colour.value_or(palette_colour(index)));
  svg.begin_group(series.name);
  if (has_line(series)) {
    std::string path = polyline_path(series.x, series.y, frame);
    if (series.is_closed) path += 'Z';
    const std::string_view dash = dash_array(series.dash);
    svg.raw(fmt::format(
        "<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" "
        "stroke-linejoin=\"round\" stroke-linecap=\"round\"{}{}{}/>\n",
        path, colour, dash.empty() ? "" : " stroke-dasharray=\"", dash, dash.empty() ? "" : "\""));
  }
  if (has_markers(series)) {
    const detail::MarkerShape shape = detail::marker_shape(marker_index++);
    for (std::size_t i = 0; i < series.x.size(); ++i) {
      svg.marker(shape, frame.x_scale.to_px(series.x[i]), frame.y_scale.to_px(series.y[i]), colour);
    }
  }
  svg.end_group();
}

void draw_references(detail::SvgWriter& svg, const XyChart& chart, const PlotFrame& frame) {
  const double right_px = frame.left_px + frame.width_px;
  const double bottom_px = frame.top_px + frame.height_px;
  std::size_t reference_index = 0;
  for (const auto& reference : chart.y_references) {
    const double y_px = frame.y_scale.to_px(reference.value);
    svg.begin_group(reference.label);
    svg.line(frame.left_px, y_px, right_px, y_px, detail::kReferenceColour, 1.5,
             reference_dash(reference_index++));
    svg.end_group();
  }
  for (const auto& reference : chart.x_references) {
    const double x_px = frame.x_scale.to_px(reference.value);
    svg.begin_group(reference.label);
    svg.line(x_px, frame.top_px, x_px, bottom_px, detail::kReferenceColour, 1.5,
             reference_dash(reference_index++));
    svg.end_group();
  }
}

std::string clip_id(const PlotFrame& frame) {
  // Derived from the clip rectangle itself: two charts inlined in one HTML page share an id
  // only if their rectangles are equal, in which case either definition is correct.
  const auto tenth = [](double value_px) { return std::llround(value_px * 10.0); };
  return fmt::format("ptwin-plot-{}-{}-{}-{}", tenth(frame.left_px), tenth(frame.top_px),
                     tenth(frame.width_px), tenth(frame.height_px));
}

}  // namespace

std::string render_svg(const XyChart& chart) {
  const PlotFrame frame = plot_frame(chart);
  const double right_px = frame.left_px + frame.width_px;
  const double bottom_px = frame.top_px + frame.height_px;
  detail::SvgWriter svg(chart.size.width_px, chart.size.height_px,
                        chart.title.empty()
                            ? axis_title(chart.y_axis) + " vs " + axis_title(chart.x_axis)
                            : chart.title);
  if (!chart.title.empty()) {
    svg.text(frame.left_px + frame.width_px / 2.0, kPadding_px + detail::kTitleFont_px, chart.title,
             Anchor::Middle, detail::kTitleFont_px, "bold");
  }
  detail::draw_vertical_axis(svg, frame.y_scale, frame.y_ticks, frame.left_px, right_px);
  detail::draw_horizontal_axis(svg, frame.x_scale, frame.x_ticks, bottom_px, frame.top_px);

  const std::string id = clip_id(frame);
  svg.raw(fmt::format(
      "<defs><clipPath id=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" "
      "height=\"{}\"/></clipPath></defs>\n<g clip-path=\"url(#{})\">\n",
      id, detail::px(frame.left_px - kClipMargin_px), detail::px(frame.top_px - kClipMargin_px),
      detail::px(frame.width_px + 2.0 * kClipMargin_px),
      detail::px(frame.height_px + 2.0 * kClipMargin_px), id));
  for (std::size_t i = 0; i < chart.bands.size(); ++i) draw_band(svg, chart.bands[i], i, frame);
  draw_references(svg, chart, frame);
  std::size_t marker_index = 0;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    draw_series(svg, chart.series[i], i, marker_index, frame);
  }
  svg.raw("</g>\n");

  const double x_title_y_px =
      bottom_px + detail::kTickLength_px + detail::kTickFont_px + 10.0 + detail::kAxisTitleFont_px;
  svg.text(frame.left_px + frame.width_px / 2.0, x_title_y_px, axis_title(chart.x_axis),
           Anchor::Middle, detail::kAxisTitleFont_px);
  svg.vertical_text(kPadding_px + detail::kAxisTitleFont_px, frame.top_px + frame.height_px / 2.0,
                    axis_title(chart.y_axis), detail::kAxisTitleFont_px);
  detail::draw_legend(svg, legend_entries(chart), kPadding_px, x_title_y_px + 14.0,
                      chart.size.width_px - 2.0 * kPadding_px,
                      frame.left_px + frame.width_px / 2.0);
  return std::move(svg).finish();
}

}  // namespace ptwin::clinical::report
