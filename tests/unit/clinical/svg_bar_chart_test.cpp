// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/report/svg_bar_chart.hpp"

#include <limits>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "ptwin/clinical/report/detail/svg_canvas.hpp"
#include "ptwin/core/error.hpp"
#include "unit/clinical/xml_wellformed.hpp"

namespace ptwin::clinical::report {
namespace {

BarChart residual_chart() {
  BarChart chart{
      .title = "Calibration residuals",
      .value_axis = {.label = "Residual", .unit = "%"},
      .bars = {{"Systolic pressure", 2.4}, {"Cardiac output", -4.1}, {"Heart rate", 0.0}}};
  chart.references = {{.label = "\u22125 %", .value = -5.0}, {.label = "+5 %", .value = 5.0}};
  return chart;
}

std::string input_error_message(const BarChart& chart) {
  try {
    (void)render_svg(chart);
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected ptwin::InputError";
  return {};
}

/// x and width of the bar rect of the bar in `row` (its y centre is known from the frame).
std::pair<double, double> bar_extent(const std::string& svg, const BarFrame& frame,
                                     std::size_t row) {
  const double top_px = frame.top_px + (static_cast<double>(row) + 0.5) * frame.row_height_px - 8;
  const std::regex rect("<rect x=\"([^\"]+)\" y=\"" + detail::px(top_px) +
                        "\" width=\"([^\"]+)\" height=\"16\" fill=\"#(0072B2|D55E00)\"");
  std::smatch match;
  if (!std::regex_search(svg, match, rect)) {
    ADD_FAILURE() << "no bar in row " << row;
    return {0.0, 0.0};
  }
  return {std::stod(match[1]), std::stod(match[2])};
}

TEST(BarChart, ZeroLineSitsAtValueZero) {
  const BarChart chart = residual_chart();
  const BarFrame frame = bar_frame(chart);
  const std::string zero = detail::px(frame.value_scale.to_px(0.0));
  const std::string svg = render_svg(chart);
  EXPECT_NE(svg.find("<line x1=\"" + zero + "\" y1=\"" + detail::px(frame.top_px) + "\" x2=\"" +
                     zero + "\" y2=\"" + detail::px(frame.top_px + frame.height_px) +
                     "\" stroke=\"#333333\" stroke-width=\"1.5\"/>"),
            std::string::npos)
      << svg;
}

TEST(BarChart, BarsExtendFromZeroToTheirValueInSignColours) {
  const BarChart chart = residual_chart();
  const BarFrame frame = bar_frame(chart);
  const double zero_px = frame.value_scale.to_px(0.0);
  const std::string svg = render_svg(chart);

  const auto [positive_x, positive_width] = bar_extent(svg, frame, 0);
  EXPECT_NEAR(positive_x, zero_px, 0.006);
  EXPECT_NEAR(positive_x + positive_width, frame.value_scale.to_px(2.4), 0.011);

  const auto [negative_x, negative_width] = bar_extent(svg, frame, 1);
  EXPECT_NEAR(negative_x, frame.value_scale.to_px(-4.1), 0.006);
  EXPECT_NEAR(negative_x + negative_width, zero_px, 0.011);

  EXPECT_NE(svg.find("height=\"16\" fill=\"#0072B2\""), std::string::npos);
  EXPECT_NE(svg.find("height=\"16\" fill=\"#D55E00\""), std::string::npos);
}

TEST(BarChart, ValueLabelsCarrySignAndUnit) {
  const std::string svg = render_svg(residual_chart());
  EXPECT_NE(svg.find(">+2.4 %</text>"), std::string::npos);
  EXPECT_NE(svg.find(">\u22124.1 %</text>"), std::string::npos);
  EXPECT_NE(svg.find(">0.0 %</text>"), std::string::npos);
  EXPECT_NE(svg.find(">Residual (%)</text>"), std::string::npos);
}

TEST(BarChart, RangeLeavesRoomForValueLabelsBeyondBarEnds) {
  BarChart chart = residual_chart();
  chart.bars = {{"A", 97.0}, {"B", -99.0}};
  chart.references.clear();
  const BarFrame frame = bar_frame(chart);
  const double label_px = detail::text_width_px("+97.0 %", detail::kTickFont_px);
  EXPECT_LE(frame.value_scale.to_px(97.0) + 5.0 + label_px, frame.left_px + frame.width_px);
  EXPECT_GE(frame.value_scale.to_px(-99.0) - 5.0 - label_px, frame.left_px);
}

TEST(BarChart, ReferenceLinesAreDashedAndLabelled) {
  const std::string svg = render_svg(residual_chart());
  const std::regex dashed("stroke-dasharray=\"6 4\"");
  EXPECT_EQ(
      std::distance(std::sregex_iterator(svg.begin(), svg.end(), dashed), std::sregex_iterator()),
      2);
  EXPECT_NE(svg.find(">+5 %</text>"), std::string::npos);
}

TEST(BarChart, IsWellFormedXmlWithEscapedLabels) {
  BarChart chart = residual_chart();
  chart.bars.push_back({"<script>&", 1.0});
  const std::string svg = render_svg(chart);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(testing::xml_wellformedness_error(svg), std::nullopt);
}

TEST(BarChart, NanValueNamesBarAndIndex) {
  BarChart chart = residual_chart();
  chart.bars[1].value = std::numeric_limits<double>::quiet_NaN();
  const std::string message = input_error_message(chart);
  EXPECT_NE(message.find("bar 'Cardiac output' value[1]"), std::string::npos) << message;
}

TEST(BarChart, FixedRangeWithoutZeroIsRejected) {
  BarChart chart = residual_chart();
  chart.value_axis.minimum = 1.0;
  chart.value_axis.maximum = 10.0;
  EXPECT_NE(input_error_message(chart).find("must contain 0"), std::string::npos);
}

TEST(BarChart, ValueBeyondFixedRangeIsCutAtTheEdgeButLabelledTruly) {
  BarChart chart = residual_chart();
  chart.value_axis.minimum = -10.0;
  chart.value_axis.maximum = 10.0;
  chart.bars = {{"Outlier", 150.0}};
  const BarFrame frame = bar_frame(chart);
  const std::string svg = render_svg(chart);
  const auto [x, width] = bar_extent(svg, frame, 0);
  EXPECT_NEAR(x + width, frame.left_px + frame.width_px, 0.011);
  EXPECT_NE(svg.find(">+150.0 %</text>"), std::string::npos);
}

TEST(BarChart, EmptyChartIsRejected) {
  BarChart chart = residual_chart();
  chart.bars.clear();
  EXPECT_NE(input_error_message(chart).find("0 bars"), std::string::npos);
}

}  // namespace
}  // namespace ptwin::clinical::report
