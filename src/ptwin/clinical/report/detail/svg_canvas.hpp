// SPDX-License-Identifier: Apache-2.0
#pragma once
// Internal drawing layer shared by the chart renderers: an SVG string builder that escapes all
// text, a text-width estimate for layout, axes with ticks and grid lines, markers and a legend.
// Not part of the clinical API.

#include <string>
#include <string_view>
#include <vector>

#include "ptwin/clinical/report/chart_axis.hpp"
#include "ptwin/clinical/report/nice_ticks.hpp"

namespace ptwin::clinical::report::detail {

// Sizes for a chart shown at its natural width in the report column (about 880 px); printed
// on A4 the figure shrinks to ~0.75, which still leaves 9-10 px (7 pt) tick labels.
inline constexpr double kTitleFont_px = 16.0;
inline constexpr double kAxisTitleFont_px = 14.0;
inline constexpr double kTickFont_px = 13.0;
inline constexpr double kLegendFont_px = 13.0;
inline constexpr double kTickLength_px = 5.0;
inline constexpr std::string_view kTextColour = "#222222";
inline constexpr std::string_view kAxisColour = "#333333";
inline constexpr std::string_view kGridColour = "#E3E3E3";
inline constexpr std::string_view kReferenceColour = "#444444";

/// Estimated advance width of `text` in a sans-serif font. SVG layout has no font metrics at
/// render time, so the estimate uses per-class average widths (Helvetica AFM) with a margin for
/// wider fallback fonts: overestimating costs a few pixels of margin, underestimating overlaps.
[[nodiscard]] double text_width_px(std::string_view text, double font_px);

/// A coordinate with at most two decimals and no trailing zeros ("12.5", "-3", "0").
[[nodiscard]] std::string px(double value_px);

enum class Anchor { Start, Middle, End };
enum class MarkerShape { Circle, Square, Triangle, Diamond };

/// Marker shape of the index-th marker-bearing series; shapes vary with colour for print.
[[nodiscard]] MarkerShape marker_shape(std::size_t index);

/// Appends SVG elements to a string; all text content and attribute values are escaped.
class SvgWriter {
 public:
  /// Opens the <svg> root with a viewBox of the given size and an accessible <title>.
  SvgWriter(double width_px, double height_px, std::string_view title);

  void text(double x_px, double y_px, std::string_view content, Anchor anchor, double font_px,
            std::string_view weight = "normal", std::string_view fill = kTextColour);
  /// Text rotated by -90 degrees about its anchor point (a vertical axis title).
  void vertical_text(double x_px, double y_px, std::string_view content, double font_px);
  /// Text with a white halo so that it stays legible where it crosses data.
  void halo_text(double x_px, double y_px, std::string_view content, Anchor anchor, double font_px,
                 std::string_view colour);
  void line(double x1_px, double y1_px, double x2_px, double y2_px, std::string_view colour,
            double stroke_px, std::string_view dasharray = {});
  void rect(double x_px, double y_px, double width_px, double height_px, std::string_view fill,
            std::string_view extra_attributes = {});
  void marker(MarkerShape shape, double x_px, double y_px, std::string_view colour);
  /// Opens a <g> whose hover tooltip (<title>) is `tooltip`; close with end_group().
  void begin_group(std::string_view tooltip, std::string_view attributes = {});
  void end_group();
  /// Appends markup built by the caller from px() numbers and palette constants only.
  void raw(std::string_view markup);

  /// Closes the root element and returns the document.
  [[nodiscard]] std::string finish() &&;

 private:
  std::string out_;
};

/// Horizontal axis below a plot: axis line, ticks, tick labels, and vertical grid lines from
/// `grid_top_px` down to `axis_y_px`.
void draw_horizontal_axis(SvgWriter& svg, const LinearScale& scale, const TickSet& ticks,
                          double axis_y_px, double grid_top_px);

/// Vertical axis left of a plot: axis line, ticks, tick labels, horizontal grid lines.
void draw_vertical_axis(SvgWriter& svg, const LinearScale& scale, const TickSet& ticks,
                        double axis_x_px, double grid_right_px);

/// Widest tick label of `ticks`, in px at the tick font.
[[nodiscard]] double widest_tick_label_px(const TickSet& ticks);

/// One legend entry: a swatch (line, marker, filled band) and its text.
struct LegendEntry {
  enum class Kind { Line, Marker, LineAndMarker, Band, Reference };
  std::string label{};
  Kind kind = Kind::Line;
  std::string colour{};
  std::string dasharray{};
  MarkerShape shape = MarkerShape::Circle;
};

/// Height of the legend when its entries flow left to right in rows of at most `width_px`.
[[nodiscard]] double legend_height_px(const std::vector<LegendEntry>& entries, double width_px);

/// Draws the legend in the box [left_px, left_px + width_px] from top_px down, each row
/// centred on centre_px as far as the box allows. Rows break as in legend_height_px().
void draw_legend(SvgWriter& svg, const std::vector<LegendEntry>& entries, double left_px,
                 double top_px, double width_px, double centre_px);

}  // namespace ptwin::clinical::report::detail
