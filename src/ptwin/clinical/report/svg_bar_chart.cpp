// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/report/svg_bar_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

#include "ptwin/clinical/report/detail/chart_checks.hpp"
#include "ptwin/clinical/report/detail/svg_canvas.hpp"
#include "ptwin/clinical/report/palette.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::clinical::report {
namespace {

using detail::Anchor;

constexpr double kPadding_px = 12.0;
constexpr double kTitleBlock_px = 30.0;
constexpr double kReferenceLabelBlock_px = 18.0;
constexpr double kRow_px = 28.0;
constexpr double kBarThickness_px = 16.0;
constexpr double kMinimumWidth_px = 300.0;
constexpr double kMaxLabelShare = 0.4;  // category labels take at most 40 % of the width
constexpr double kValueLabelGap_px = 5.0;
constexpr int kMaxDecimals = 6;
constexpr std::string_view kShadedRowColour = "#F6F6F6";

void check_chart(const BarChart& chart) {
  const std::string where = detail::chart_where(chart.title);
  if (!(chart.width_px >= kMinimumWidth_px) || !std::isfinite(chart.width_px)) {
    throw InputError(ErrorCode::BadInput, where + ": width_px", fmt::format("{}", chart.width_px),
                     fmt::format("must be finite and at least {} px", kMinimumWidth_px));
  }
  detail::check_axis(chart.value_axis, where, "value axis");
  if (chart.value_axis.minimum &&
      (*chart.value_axis.minimum > 0.0 || *chart.value_axis.maximum < 0.0)) {
    throw InputError(ErrorCode::BadInput, where + ": value axis",
                     fmt::format("[{}, {}]", *chart.value_axis.minimum, *chart.value_axis.maximum),
                     "a fixed range must contain 0, where the bars start");
  }
  if (chart.bars.empty()) {
    throw InputError(ErrorCode::BadInput, where, "0 bars", "a bar chart needs at least one bar");
  }
  if (chart.value_decimals < 0 || chart.value_decimals > kMaxDecimals) {
    throw InputError(ErrorCode::BadInput, where + ": value_decimals",
                     fmt::format("{}", chart.value_decimals),
                     fmt::format("must be between 0 and {}", kMaxDecimals));
  }
  for (std::size_t i = 0; i < chart.bars.size(); ++i) {
    const Bar& bar = chart.bars[i];
    const std::string bar_where = fmt::format("{}: bar #{}", where, i);
    detail::check_not_empty(bar.label, bar_where, "bar label");
    if (!std::isfinite(bar.value)) {
      throw InputError(ErrorCode::BadInput,
                       fmt::format("{}: bar '{}' value[{}]", where, bar.label, i),
                       fmt::format("{}", bar.value), "must be a finite number");
    }
  }
  for (std::size_t i = 0; i < chart.references.size(); ++i) {
    detail::check_reference(chart.references[i], where, "references", i);
  }
}

/// "+2.4 %", "−4.1 mmHg", "0.0 %"; the explicit sign makes the direction readable in print.
std::string value_label(double value, int decimals, const Axis& axis) {
  const std::string number = format_tick(value, decimals);
  const bool is_zero = number.find_first_not_of("0.") == std::string::npos;
  const bool is_dimensionless = axis.unit == "1";
  return fmt::format("{}{}{}{}", value > 0.0 && !is_zero ? "+" : "", number,
                     is_dimensionless ? "" : " ", is_dimensionless ? "" : axis.unit);
}

/// `label`, shortened to at most `max_px` with an ellipsis, cutting at code-point boundaries.
std::string fitted_label(const std::string& label, double max_px) {
  // The tolerance keeps the widest label, whose width set max_px, from rounding into truncation.
  if (detail::text_width_px(label, detail::kTickFont_px) <= max_px + 0.01) return label;
  std::string shortened = label;
  while (!shortened.empty() &&
         detail::text_width_px(shortened + "\u2026", detail::kTickFont_px) > max_px) {
    shortened.pop_back();
    while (!shortened.empty() && (static_cast<std::uint8_t>(shortened.back()) & 0xC0u) == 0x80u) {
      shortened.pop_back();  // drop the continuation bytes of a multi-byte code point
    }
    if (!shortened.empty() && static_cast<std::uint8_t>(shortened.back()) >= 0xC0u) {
      shortened.pop_back();  // and its lead byte
    }
  }
  return shortened + "\u2026";
}

double widest_value_label_px(const BarChart& chart) {
  double widest_px = 0.0;
  for (const auto& bar : chart.bars) {
    widest_px = std::max(
        widest_px,
        detail::text_width_px(value_label(bar.value, chart.value_decimals, chart.value_axis),
                              detail::kTickFont_px));
  }
  return widest_px;
}

/// Value ticks that contain 0, all bars and references, and leave room for the value label
/// beyond the end of every bar.
TickSet value_ticks(const BarChart& chart, double plot_width_px) {
  const Axis& axis = chart.value_axis;
  const int intervals = std::clamp(static_cast<int>(plot_width_px / 80.0), 2, 10);
  if (axis.minimum) return ticks_within(*axis.minimum, *axis.maximum, intervals);
  double minimum = 0.0;
  double maximum = 0.0;
  for (const auto& bar : chart.bars) {
    minimum = std::min(minimum, bar.value);
    maximum = std::max(maximum, bar.value);
  }
  for (const auto& reference : chart.references) {
    minimum = std::min(minimum, reference.value);
    maximum = std::max(maximum, reference.value);
  }
  const double label_px = widest_value_label_px(chart) + kValueLabelGap_px + 4.0;
  TickSet ticks = nice_ticks(minimum, maximum, intervals);
  // Each pass widens the range by the label room at the current scale; a few passes converge
  // because nice rounding only ever adds room.
  for (int pass = 0; pass < 6; ++pass) {
    const double room = label_px * (ticks.upper - ticks.lower) / plot_width_px;
    double needed_lower = minimum;
    double needed_upper = maximum;
    for (const auto& bar : chart.bars) {
      if (bar.value < 0.0) needed_lower = std::min(needed_lower, bar.value - room);
      if (bar.value >= 0.0) needed_upper = std::max(needed_upper, bar.value + room);
    }
    if (ticks.lower <= needed_lower && ticks.upper >= needed_upper) break;
    ticks = nice_ticks(std::min(needed_lower, ticks.lower), std::max(needed_upper, ticks.upper),
                       intervals);
  }
  return ticks;
}

double widest_category_px(const BarChart& chart) {
  double widest_px = 0.0;
  for (const auto& bar : chart.bars) {
    widest_px = std::max(widest_px, detail::text_width_px(bar.label, detail::kTickFont_px));
  }
  return std::min(widest_px, kMaxLabelShare * chart.width_px);
}

}  // namespace

BarFrame bar_frame(const BarChart& chart) {
  check_chart(chart);
  BarFrame frame;
  frame.top_px = kPadding_px + (chart.title.empty() ? 4.0 : kTitleBlock_px) +
                 (chart.references.empty() ? 0.0 : kReferenceLabelBlock_px);
  frame.row_height_px = kRow_px;
  frame.height_px = kRow_px * static_cast<double>(chart.bars.size());
  frame.left_px = kPadding_px + widest_category_px(chart) + 10.0;
  const double right_margin_px = kPadding_px + 16.0;
  frame.width_px = chart.width_px - frame.left_px - right_margin_px;
  frame.value_ticks = value_ticks(chart, frame.width_px);
  frame.value_scale = {.domain_lower = frame.value_ticks.lower,
                       .domain_upper = frame.value_ticks.upper,
                       .range_lower_px = frame.left_px,
                       .range_upper_px = frame.left_px + frame.width_px};
  frame.image_height_px = frame.top_px + frame.height_px + detail::kTickLength_px +
                          detail::kTickFont_px + 10.0 + detail::kAxisTitleFont_px + 6.0 +
                          kPadding_px;
  return frame;
}

namespace {

/// Every other row shaded, so that a label can be followed to its bar across a wide plot.
void draw_row_shading(detail::SvgWriter& svg, const BarChart& chart, const BarFrame& frame) {
  for (std::size_t i = 1; i < chart.bars.size(); i += 2) {
    svg.rect(frame.left_px, frame.top_px + static_cast<double>(i) * kRow_px, frame.width_px,
             kRow_px, kShadedRowColour);
  }
}

void draw_references(detail::SvgWriter& svg, const BarChart& chart, const BarFrame& frame) {
  const double bottom_px = frame.top_px + frame.height_px;
  for (const auto& reference : chart.references) {
    const double x_px = frame.value_scale.to_px(reference.value);
    svg.line(x_px, frame.top_px - 4.0, x_px, bottom_px, detail::kReferenceColour, 1.5, "6 4");
    svg.halo_text(x_px, frame.top_px - 8.0, reference.label, Anchor::Middle, detail::kLegendFont_px,
                  detail::kReferenceColour);
  }
}

void draw_bars(detail::SvgWriter& svg, const BarChart& chart, const BarFrame& frame) {
  const double right_px = frame.left_px + frame.width_px;
  const double label_max_px = widest_category_px(chart);
  for (std::size_t i = 0; i < chart.bars.size(); ++i) {
    const Bar& bar = chart.bars[i];
    const double centre_px = frame.top_px + (static_cast<double>(i) + 0.5) * kRow_px;
    const double baseline_px = centre_px + 0.35 * detail::kTickFont_px;
    // A value outside a fixed axis range is drawn to the edge of the plot.
    const double true_end_px = frame.value_scale.to_px(bar.value);
    const double end_px = std::clamp(true_end_px, frame.left_px, right_px);
    const bool is_cut = end_px != true_end_px;
    const double zero_px = frame.value_scale.to_px(0.0);
    const bool is_negative = bar.value < 0.0;
    const std::string label = value_label(bar.value, chart.value_decimals, chart.value_axis);
    svg.begin_group(fmt::format("{}: {}", bar.label, label));
    svg.rect(std::min(zero_px, end_px), centre_px - kBarThickness_px / 2.0,
             std::abs(end_px - zero_px), kBarThickness_px,
             hex(is_negative ? PaletteColour::Vermillion : PaletteColour::Blue));
    svg.text(frame.left_px - 10.0, baseline_px, fitted_label(bar.label, label_max_px), Anchor::End,
             detail::kTickFont_px);
    const double label_width_px = detail::text_width_px(label, detail::kTickFont_px);
    const bool fits_inside_bar =
        std::abs(end_px - zero_px) >= label_width_px + 2.0 * kValueLabelGap_px;
    if (is_cut && fits_inside_bar) {
      // The bar runs off the plot: its label, stating the true value, goes inside its end.
      svg.text(is_negative ? end_px + kValueLabelGap_px : end_px - kValueLabelGap_px, baseline_px,
               label, is_negative ? Anchor::Start : Anchor::End, detail::kTickFont_px, "bold",
               "#FFFFFF");
    } else {
      // Outside the bar end, on a patch of the row's background so that a reference line
      // does not run through the glyphs.
      const double anchor_px =
          is_negative ? end_px - kValueLabelGap_px : end_px + kValueLabelGap_px;
      svg.rect(is_negative ? anchor_px - label_width_px - 2.0 : anchor_px - 2.0,
               centre_px - 0.5 * kBarThickness_px, label_width_px + 4.0, kBarThickness_px,
               i % 2 == 1 ? kShadedRowColour : "#FFFFFF");
      svg.text(anchor_px, baseline_px, label, is_negative ? Anchor::End : Anchor::Start,
               detail::kTickFont_px);
    }
    svg.end_group();
  }
}

}  // namespace

std::string render_svg(const BarChart& chart) {
  const BarFrame frame = bar_frame(chart);
  const double bottom_px = frame.top_px + frame.height_px;
  detail::SvgWriter svg(chart.width_px, frame.image_height_px,
                        chart.title.empty() ? axis_title(chart.value_axis) : chart.title);
  if (!chart.title.empty()) {
    svg.text(frame.left_px + frame.width_px / 2.0, kPadding_px + detail::kTitleFont_px, chart.title,
             Anchor::Middle, detail::kTitleFont_px, "bold");
  }
  draw_row_shading(svg, chart, frame);
  detail::draw_horizontal_axis(svg, frame.value_scale, frame.value_ticks, bottom_px, frame.top_px);
  draw_references(svg, chart, frame);
  draw_bars(svg, chart, frame);
  const double zero_px = frame.value_scale.to_px(0.0);
  svg.line(zero_px, frame.top_px, zero_px, bottom_px, detail::kAxisColour, 1.5);
  svg.text(
      frame.left_px + frame.width_px / 2.0,
      bottom_px + detail::kTickLength_px + detail::kTickFont_px + 10.0 + detail::kAxisTitleFont_px,
      axis_title(chart.value_axis), Anchor::Middle, detail::kAxisTitleFont_px);
  return std::move(svg).finish();
}

}  // namespace ptwin::clinical::report
