// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/report/detail/svg_canvas.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <iterator>

#include <fmt/format.h>

#include "ptwin/clinical/report/xml_escape.hpp"

namespace ptwin::clinical::report::detail {
namespace {

constexpr std::string_view kFontFamily = "Helvetica, Arial, 'Liberation Sans', sans-serif";
constexpr double kLegendSwatch_px = 28.0;
constexpr double kLegendSwatchGap_px = 6.0;
constexpr double kLegendEntryGap_px = 20.0;
constexpr double kLegendRow_px = 20.0;
constexpr double kMarkerRadius_px = 3.6;

std::string_view anchor_name(Anchor anchor) {
  switch (anchor) {
    case Anchor::Start:
      return "start";
    case Anchor::Middle:
      return "middle";
    case Anchor::End:
      return "end";
  }
  return "start";
}

/// Advance width in em of one ASCII character (Helvetica AFM, rounded up).
double ascii_width_em(char c) {
  if (c == ' ') return 0.28;
  if (std::string_view(".,:;'|!ijlI").find(c) != std::string_view::npos) return 0.28;
  if (std::string_view("ftr()[]-").find(c) != std::string_view::npos) return 0.36;
  if (c >= '0' && c <= '9') return 0.56;
  if (std::string_view("mwMW%@").find(c) != std::string_view::npos) return 0.89;
  if (c >= 'A' && c <= 'Z') return 0.70;
  return 0.56;
}

}  // namespace

double text_width_px(std::string_view text, double font_px) {
  double width_em = 0.0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<std::uint8_t>(text[i]);
    if (byte < 0x80) {
      width_em += ascii_width_em(text[i]);
    } else if ((byte & 0xC0u) != 0x80u) {
      width_em += 0.65;  // start of a non-ASCII code point (µ, –, −, ³ ...): assume wide
    }
  }
  // Helvetica/Arial metrics times 1.15: DejaVu Sans, the usual fallback on Linux hosts without
  // Arial, is up to ~12 % wider, and a label must fit wherever the report is opened.
  return width_em * font_px * 1.15;
}

std::string px(double value_px) {
  std::string text = fmt::format("{:.2f}", value_px);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

MarkerShape marker_shape(std::size_t index) {
  constexpr std::array kShapes{MarkerShape::Circle, MarkerShape::Square, MarkerShape::Triangle,
                               MarkerShape::Diamond};
  return kShapes.at(index % kShapes.size());
}

SvgWriter::SvgWriter(double width_px, double height_px, std::string_view title) {
  const std::string escaped_title = escape_xml(title);
  fmt::format_to(std::back_inserter(out_),
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" "
                 "width=\"{0}\" height=\"{1}\" role=\"img\" aria-label=\"{2}\" "
                 "font-family=\"{3}\" font-size=\"{4}\">\n<title>{2}</title>\n"
                 "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#FFFFFF\"/>\n",
                 px(width_px), px(height_px), escaped_title, kFontFamily, px(kTickFont_px));
}

void SvgWriter::text(double x_px, double y_px, std::string_view content, Anchor anchor,
                     double font_px, std::string_view weight, std::string_view fill) {
  const std::string weight_attribute =
      weight == "normal" ? std::string() : fmt::format(" font-weight=\"{}\"", escape_xml(weight));
  fmt::format_to(std::back_inserter(out_),
                 "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"{}\"{} "
                 "fill=\"{}\">{}</text>\n",
                 px(x_px), px(y_px), anchor_name(anchor), px(font_px), weight_attribute,
                 escape_xml(fill), escape_xml(content));
}

void SvgWriter::vertical_text(double x_px, double y_px, std::string_view content, double font_px) {
  fmt::format_to(std::back_inserter(out_),
                 "<text x=\"{0}\" y=\"{1}\" transform=\"rotate(-90 {0} {1})\" "
                 "text-anchor=\"middle\" font-size=\"{2}\" fill=\"{3}\">{4}</text>\n",
                 px(x_px), px(y_px), px(font_px), kTextColour, escape_xml(content));
}

void SvgWriter::halo_text(double x_px, double y_px, std::string_view content, Anchor anchor,
                          double font_px, std::string_view colour) {
  fmt::format_to(std::back_inserter(out_),
                 "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\" font-size=\"{}\" fill=\"{}\" "
                 "stroke=\"#FFFFFF\" stroke-width=\"3\" stroke-linejoin=\"round\" "
                 "paint-order=\"stroke\">{}</text>\n",
                 px(x_px), px(y_px), anchor_name(anchor), px(font_px), escape_xml(colour),
                 escape_xml(content));
}

void SvgWriter::line(double x1_px, double y1_px, double x2_px, double y2_px,
                     std::string_view colour, double stroke_px, std::string_view dasharray) {
  fmt::format_to(std::back_inserter(out_),
                 "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" "
                 "stroke-width=\"{}\"",
                 px(x1_px), px(y1_px), px(x2_px), px(y2_px), escape_xml(colour), px(stroke_px));
  if (!dasharray.empty()) {
    fmt::format_to(std::back_inserter(out_), " stroke-dasharray=\"{}\"", escape_xml(dasharray));
  }
  out_ += "/>\n";
}

void SvgWriter::rect(double x_px, double y_px, double width_px, double height_px,
                     std::string_view fill, std::string_view extra_attributes) {
  fmt::format_to(std::back_inserter(out_),
                 "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}{}/>\n", px(x_px),
                 px(y_px), px(std::max(width_px, 0.0)), px(std::max(height_px, 0.0)),
                 escape_xml(fill), extra_attributes.empty() ? "" : " ", extra_attributes);
}

void SvgWriter::marker(MarkerShape shape, double x_px, double y_px, std::string_view colour) {
  const std::string fill = escape_xml(colour);
  const double r = kMarkerRadius_px;
  auto out = std::back_inserter(out_);
  switch (shape) {
    case MarkerShape::Circle:
      fmt::format_to(out, "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"/>\n", px(x_px),
                     px(y_px), px(r), fill);
      break;
    case MarkerShape::Square:
      fmt::format_to(out, "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n",
                     px(x_px - 0.9 * r), px(y_px - 0.9 * r), px(1.8 * r), px(1.8 * r), fill);
      break;
    case MarkerShape::Triangle:
      fmt::format_to(out, "<path d=\"M{} {}L{} {}L{} {}Z\" fill=\"{}\"/>\n", px(x_px),
                     px(y_px - 1.2 * r), px(x_px + 1.1 * r), px(y_px + 0.8 * r), px(x_px - 1.1 * r),
                     px(y_px + 0.8 * r), fill);
      break;
    case MarkerShape::Diamond:
      fmt::format_to(out, "<path d=\"M{} {}L{} {}L{} {}L{} {}Z\" fill=\"{}\"/>\n", px(x_px),
                     px(y_px - 1.25 * r), px(x_px + 1.25 * r), px(y_px), px(x_px),
                     px(y_px + 1.25 * r), px(x_px - 1.25 * r), px(y_px), fill);
      break;
  }
}

void SvgWriter::begin_group(std::string_view tooltip, std::string_view attributes) {
  fmt::format_to(std::back_inserter(out_), "<g{}{}>\n<title>{}</title>\n",
                 attributes.empty() ? "" : " ", attributes, escape_xml(tooltip));
}

void SvgWriter::end_group() { out_ += "</g>\n"; }

void SvgWriter::raw(std::string_view markup) { out_ += markup; }

std::string SvgWriter::finish() && {
  out_ += "</svg>\n";
  return std::move(out_);
}

double widest_tick_label_px(const TickSet& ticks) {
  double widest_px = 0.0;
  for (const double value : ticks.values) {
    widest_px =
        std::max(widest_px, text_width_px(format_tick(value, ticks.decimals), kTickFont_px));
  }
  return widest_px;
}

void draw_horizontal_axis(SvgWriter& svg, const LinearScale& scale, const TickSet& ticks,
                          double axis_y_px, double grid_top_px) {
  for (const double value : ticks.values) {
    const double x_px = scale.to_px(value);
    svg.line(x_px, grid_top_px, x_px, axis_y_px, kGridColour, 1.0);
    svg.line(x_px, axis_y_px, x_px, axis_y_px + kTickLength_px, kAxisColour, 1.0);
    svg.text(x_px, axis_y_px + kTickLength_px + kTickFont_px + 2.0,
             format_tick(value, ticks.decimals), Anchor::Middle, kTickFont_px);
  }
  svg.line(scale.range_lower_px, axis_y_px, scale.range_upper_px, axis_y_px, kAxisColour, 1.0);
}

void draw_vertical_axis(SvgWriter& svg, const LinearScale& scale, const TickSet& ticks,
                        double axis_x_px, double grid_right_px) {
  for (const double value : ticks.values) {
    const double y_px = scale.to_px(value);
    svg.line(axis_x_px, y_px, grid_right_px, y_px, kGridColour, 1.0);
    svg.line(axis_x_px - kTickLength_px, y_px, axis_x_px, y_px, kAxisColour, 1.0);
    svg.text(axis_x_px - kTickLength_px - 3.0, y_px + 0.35 * kTickFont_px,
             format_tick(value, ticks.decimals), Anchor::End, kTickFont_px);
  }
  svg.line(axis_x_px, scale.range_lower_px, axis_x_px, scale.range_upper_px, kAxisColour, 1.0);
}

namespace {

double entry_width_px(const LegendEntry& entry) {
  return kLegendSwatch_px + kLegendSwatchGap_px + text_width_px(entry.label, kLegendFont_px);
}

/// Row index of each entry when they flow into rows of at most width_px.
std::vector<std::size_t> legend_rows(const std::vector<LegendEntry>& entries, double width_px) {
  std::vector<std::size_t> rows;
  std::size_t row = 0;
  double used_px = 0.0;
  for (const auto& entry : entries) {
    const double needed_px = entry_width_px(entry);
    if (used_px > 0.0 && used_px + kLegendEntryGap_px + needed_px > width_px) {
      ++row;
      used_px = 0.0;
    }
    used_px += (used_px > 0.0 ? kLegendEntryGap_px : 0.0) + needed_px;
    rows.push_back(row);
  }
  return rows;
}

void draw_swatch(SvgWriter& svg, const LegendEntry& entry, double left_px, double centre_px) {
  using Kind = LegendEntry::Kind;
  const double right_px = left_px + kLegendSwatch_px;
  const double middle_px = left_px + kLegendSwatch_px / 2.0;
  switch (entry.kind) {
    case Kind::Band:
      svg.rect(left_px, centre_px - 6.0, kLegendSwatch_px, 12.0, entry.colour,
               "fill-opacity=\"0.22\"");
      break;
    case Kind::Marker:
      svg.marker(entry.shape, middle_px, centre_px, entry.colour);
      break;
    case Kind::LineAndMarker:
      svg.line(left_px, centre_px, right_px, centre_px, entry.colour, 2.0, entry.dasharray);
      svg.marker(entry.shape, middle_px, centre_px, entry.colour);
      break;
    case Kind::Line:
    case Kind::Reference:
      svg.line(left_px, centre_px, right_px, centre_px, entry.colour,
               entry.kind == Kind::Line ? 2.0 : 1.5, entry.dasharray);
      break;
  }
}

}  // namespace

double legend_height_px(const std::vector<LegendEntry>& entries, double width_px) {
  if (entries.empty()) return 0.0;
  return static_cast<double>(legend_rows(entries, width_px).back() + 1) * kLegendRow_px;
}

void draw_legend(SvgWriter& svg, const std::vector<LegendEntry>& entries, double left_px,
                 double top_px, double width_px, double centre_px) {
  const std::vector<std::size_t> rows = legend_rows(entries, width_px);
  std::size_t first = 0;
  while (first < entries.size()) {
    std::size_t last = first;
    double row_width_px = entry_width_px(entries[first]);
    while (last + 1 < entries.size() && rows[last + 1] == rows[first]) {
      row_width_px += kLegendEntryGap_px + entry_width_px(entries[++last]);
    }
    double x_px = std::clamp(centre_px - row_width_px / 2.0, left_px,
                             std::max(left_px, left_px + width_px - row_width_px));
    const double middle_px = top_px + (static_cast<double>(rows[first]) + 0.5) * kLegendRow_px;
    for (std::size_t i = first; i <= last; ++i) {
      draw_swatch(svg, entries[i], x_px, middle_px);
      svg.text(x_px + kLegendSwatch_px + kLegendSwatchGap_px, middle_px + 0.35 * kLegendFont_px,
               entries[i].label, Anchor::Start, kLegendFont_px);
      x_px += entry_width_px(entries[i]) + kLegendEntryGap_px;
    }
    first = last + 1;
  }
}

}  // namespace ptwin::clinical::report::detail
