// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/report/svg_plot.hpp"

#include <cmath>
#include <limits>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "unit/clinical/xml_wellformed.hpp"

namespace ptwin::clinical::report {
namespace {

XyChart pressure_chart() {
  XyChart chart{.title = "Aortic pressure",
                .x_axis = {.label = "Time", .unit = "s"},
                .y_axis = {.label = "Pressure", .unit = "mmHg"}};
  chart.series.push_back({.name = "Model", .x = {0.0, 0.4, 0.8}, .y = {80.0, 120.0, 82.0}});
  return chart;
}

/// The message of the InputError that `action` throws, or a failure.
template <typename Action>
std::string input_error_message(Action action) {
  try {
    action();
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected ptwin::InputError";
  return {};
}

std::vector<std::smatch> all_matches(const std::string& text, const std::regex& pattern) {
  return {std::sregex_iterator(text.begin(), text.end(), pattern), std::sregex_iterator()};
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(LinearScale, MapsDomainEndsToRangeEndsAndInterpolates) {
  const LinearScale scale{
      .domain_lower = 0.0, .domain_upper = 10.0, .range_lower_px = 100.0, .range_upper_px = 300.0};
  EXPECT_DOUBLE_EQ(scale.to_px(0.0), 100.0);
  EXPECT_DOUBLE_EQ(scale.to_px(10.0), 300.0);
  EXPECT_DOUBLE_EQ(scale.to_px(2.5), 150.0);
  const LinearScale flipped{
      .domain_lower = 60.0, .domain_upper = 140.0, .range_lower_px = 400.0, .range_upper_px = 40.0};
  EXPECT_DOUBLE_EQ(flipped.to_px(100.0), 220.0);
}

TEST(XyChart, PointAtKnownValueLandsAtExpectedPixel) {
  XyChart chart = pressure_chart();
  chart.x_axis.minimum = 0.0;
  chart.x_axis.maximum = 10.0;
  chart.y_axis.minimum = 0.0;
  chart.y_axis.maximum = 100.0;
  chart.series = {{.name = "Measured", .x = {5.0}, .y = {25.0}, .style = SeriesStyle::Markers}};

  const PlotFrame frame = plot_frame(chart);
  EXPECT_DOUBLE_EQ(frame.x_scale.to_px(0.0), frame.left_px);
  EXPECT_DOUBLE_EQ(frame.x_scale.to_px(10.0), frame.left_px + frame.width_px);
  EXPECT_DOUBLE_EQ(frame.y_scale.to_px(0.0), frame.top_px + frame.height_px);
  EXPECT_DOUBLE_EQ(frame.y_scale.to_px(100.0), frame.top_px);

  const std::string svg = render_svg(chart);
  const auto circles = all_matches(svg, std::regex(R"re(<circle cx="([^"]+)" cy="([^"]+)")re"));
  // One marker in the plot and one in the legend swatch; the plot's comes first.
  ASSERT_EQ(circles.size(), 2u);
  EXPECT_NEAR(std::stod(circles[0][1]), frame.left_px + 0.5 * frame.width_px, 0.006);
  EXPECT_NEAR(std::stod(circles[0][2]), frame.top_px + 0.75 * frame.height_px, 0.006);
}

TEST(XyChart, AutomaticRangeCoversDataBandsAndReferences) {
  XyChart chart = pressure_chart();
  chart.bands.push_back(
      {.name = "95 % interval", .x = {0.0, 0.8}, .lower = {70.0, 72.0}, .upper = {126.0, 90.0}});
  chart.y_references.push_back({.label = "Target", .value = 131.0});
  const PlotFrame frame = plot_frame(chart);
  EXPECT_LE(frame.y_ticks.lower, 70.0);
  EXPECT_GE(frame.y_ticks.upper, 131.0);
  EXPECT_LE(frame.x_ticks.lower, 0.0);
  EXPECT_GE(frame.x_ticks.upper, 0.8);
}

TEST(XyChart, SvgHasViewBoxAndIsWellFormedXml) {
  XyChart chart = pressure_chart();
  chart.bands.push_back(
      {.name = "Interval", .x = {0.0, 0.8}, .lower = {75.0, 78.0}, .upper = {85.0, 88.0}});
  chart.y_references.push_back({.label = "Measured MAP", .value = 93.0});
  chart.x_references.push_back({.label = "Dose", .value = 0.5});
  const std::string svg = render_svg(chart);
  EXPECT_TRUE(svg.starts_with(R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 880 440")"));
  EXPECT_EQ(testing::xml_wellformedness_error(svg), std::nullopt);
}

TEST(XyChart, SeriesNamedScriptIsEscaped) {
  XyChart chart = pressure_chart();
  chart.series[0].name = "<script>alert('x')</script>";
  chart.title = "A & B";
  const std::string svg = render_svg(chart);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("A &amp; B"), std::string::npos);
  EXPECT_EQ(testing::xml_wellformedness_error(svg), std::nullopt);
}

TEST(XyChart, AxisTitlesCarryUnits) {
  const std::string svg = render_svg(pressure_chart());
  EXPECT_NE(svg.find(">Time (s)</text>"), std::string::npos);
  EXPECT_NE(svg.find(">Pressure (mmHg)</text>"), std::string::npos);
}

TEST(XyChart, SeriesUseOkabeItoColoursInOrder) {
  XyChart chart = pressure_chart();
  chart.series.push_back({.name = "Measured", .x = {0.0, 0.8}, .y = {81.0, 83.0}});
  const std::string svg = render_svg(chart);
  const auto blue = svg.find("stroke=\"#0072B2\" stroke-width=\"2\"");
  const auto vermillion = svg.find("stroke=\"#D55E00\" stroke-width=\"2\"");
  ASSERT_NE(blue, std::string::npos);
  ASSERT_NE(vermillion, std::string::npos);
  EXPECT_LT(blue, vermillion);
}

TEST(XyChart, ClosedCurveIsAClosedPath) {
  XyChart chart{.title = "Left ventricle",
                .x_axis = {.label = "Volume", .unit = "mL"},
                .y_axis = {.label = "Pressure", .unit = "mmHg"}};
  chart.series.push_back({.name = "PV loop",
                          .x = {50.0, 120.0, 120.0, 50.0},
                          .y = {5.0, 10.0, 110.0, 100.0},
                          .is_closed = true});
  const std::string svg = render_svg(chart);
  EXPECT_TRUE(std::regex_search(svg, std::regex(R"re(<path d="M[^"]*Z" fill="none")re")));
}

TEST(XyChart, BandIsDrawnTranslucentBeneathTheSeries) {
  XyChart chart = pressure_chart();
  chart.bands.push_back(band_between(
      "95 % interval", {.name = "2.5 %", .x = {0.0, 0.4, 0.8}, .y = {75.0, 110.0, 78.0}},
      {.name = "97.5 %", .x = {0.0, 0.4, 0.8}, .y = {85.0, 130.0, 86.0}}));
  const std::string svg = render_svg(chart);
  const auto band = svg.find("fill-opacity=\"0.22\" stroke=\"none\"");
  const auto line = svg.find("fill=\"none\" stroke=\"#0072B2\"");
  ASSERT_NE(band, std::string::npos);
  ASSERT_NE(line, std::string::npos);
  EXPECT_LT(band, line);
}

TEST(XyChart, ReferenceLineIsDashedAtItsValueAndNamedInLegend) {
  XyChart chart = pressure_chart();
  chart.y_axis.minimum = 0.0;
  chart.y_axis.maximum = 200.0;
  chart.y_references.push_back({.label = "Measured MAP", .value = 50.0});
  const PlotFrame frame = plot_frame(chart);
  const std::string svg = render_svg(chart);
  const std::regex dashed_line(
      R"re(<line x1="[^"]+" y1="([^"]+)" x2="[^"]+" y2="([^"]+)"[^>]*stroke-dasharray="6 4")re");
  const auto lines = all_matches(svg, dashed_line);
  ASSERT_EQ(lines.size(), 2u);  // the line in the plot, then its legend swatch
  EXPECT_NEAR(std::stod(lines[0][1]), frame.top_px + 0.75 * frame.height_px, 0.006);
  EXPECT_EQ(lines[0][1], lines[0][2]);
  EXPECT_NE(svg.find(">Measured MAP</text>"), std::string::npos);
}

TEST(XyChart, ReferenceLinesDifferInDashPattern) {
  XyChart chart = pressure_chart();
  chart.y_references = {{.label = "A", .value = 90.0}, {.label = "B", .value = 100.0}};
  const std::string svg = render_svg(chart);
  EXPECT_NE(svg.find("stroke-dasharray=\"6 4\""), std::string::npos);
  EXPECT_NE(svg.find("stroke-dasharray=\"2 3\""), std::string::npos);
}

TEST(XyChart, LegendListsEverySeriesBandAndReferenceOnce) {
  XyChart chart = pressure_chart();
  chart.series.push_back({.name = "Cuff", .x = {0.2}, .y = {118.0}, .style = SeriesStyle::Markers});
  chart.bands.push_back(
      {.name = "Interval", .x = {0.0, 0.8}, .lower = {75.0, 78.0}, .upper = {85.0, 88.0}});
  chart.x_references.push_back({.label = "Bolus", .value = 0.5});
  const std::string svg = render_svg(chart);
  EXPECT_EQ(count(svg, ">Bolus</text>"), 1u);
  EXPECT_EQ(count(svg, ">Model</text>"), 1u);
  EXPECT_EQ(count(svg, ">Cuff</text>"), 1u);
  EXPECT_EQ(count(svg, ">Interval</text>"), 1u);
}

TEST(XyChart, LegendSitsBelowThePlotArea) {
  const XyChart chart = pressure_chart();
  const PlotFrame frame = plot_frame(chart);
  const std::string svg = render_svg(chart);
  const std::regex legend_text(R"re(y="([^"]+)" text-anchor="start" [^>]*>Model<)re");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(svg, match, legend_text));
  EXPECT_GT(std::stod(match[1]), frame.top_px + frame.height_px);
  EXPECT_LT(std::stod(match[1]), chart.size.height_px);
}

TEST(XyChart, MismatchedLengthsNameTheSeries) {
  XyChart chart = pressure_chart();
  chart.series[0].y.pop_back();
  const std::string message = input_error_message([&] { (void)render_svg(chart); });
  EXPECT_NE(message.find("chart 'Aortic pressure': series 'Model'"), std::string::npos) << message;
  EXPECT_NE(message.find("x has 3 values, y has 2"), std::string::npos) << message;
}

TEST(XyChart, NanValueNamesSeriesAndIndex) {
  XyChart chart = pressure_chart();
  chart.series[0].y[2] = std::numeric_limits<double>::quiet_NaN();
  const std::string message = input_error_message([&] { (void)render_svg(chart); });
  EXPECT_NE(message.find("series 'Model' y[2]"), std::string::npos) << message;
  EXPECT_NE(message.find("'nan'"), std::string::npos) << message;
}

TEST(XyChart, InfiniteXNamesSeriesAndIndex) {
  XyChart chart = pressure_chart();
  chart.series[0].x[1] = std::numeric_limits<double>::infinity();
  const std::string message = input_error_message([&] { (void)plot_frame(chart); });
  EXPECT_NE(message.find("series 'Model' x[1]"), std::string::npos) << message;
}

TEST(XyChart, EmptySeriesIsRejected) {
  XyChart chart = pressure_chart();
  chart.series[0].x.clear();
  chart.series[0].y.clear();
  const std::string message = input_error_message([&] { (void)render_svg(chart); });
  EXPECT_NE(message.find("series 'Model'"), std::string::npos) << message;
  EXPECT_NE(message.find("0 points"), std::string::npos) << message;
}

TEST(XyChart, ClosedCurveNeedsThreePoints) {
  XyChart chart = pressure_chart();
  chart.series[0] = {.name = "Loop", .x = {1.0, 2.0}, .y = {1.0, 2.0}, .is_closed = true};
  EXPECT_NE(input_error_message([&] { (void)render_svg(chart); }).find("at least 3"),
            std::string::npos);
}

TEST(XyChart, BandWithLowerAboveUpperNamesIndex) {
  XyChart chart = pressure_chart();
  chart.bands.push_back({.name = "Interval",
                         .x = {0.0, 0.4, 0.8},
                         .lower = {75.0, 99.0, 78.0},
                         .upper = {85.0, 98.0, 88.0}});
  const std::string message = input_error_message([&] { (void)render_svg(chart); });
  EXPECT_NE(message.find("band 'Interval' index 1"), std::string::npos) << message;
}

TEST(XyChart, BandBetweenSeriesWithDifferentXNamesIndex) {
  const Series lower{.name = "low", .x = {0.0, 1.0}, .y = {1.0, 1.0}};
  const Series upper{.name = "high", .x = {0.0, 1.5}, .y = {2.0, 2.0}};
  const std::string message = input_error_message([&] { (void)band_between("B", lower, upper); });
  EXPECT_NE(message.find("band 'B' x[1]"), std::string::npos) << message;
}

TEST(XyChart, AxisWithoutUnitIsRejected) {
  XyChart chart = pressure_chart();
  chart.y_axis.unit.clear();
  const std::string message = input_error_message([&] { (void)render_svg(chart); });
  EXPECT_NE(message.find("y axis"), std::string::npos) << message;
  EXPECT_NE(message.find("unit"), std::string::npos) << message;
}

TEST(XyChart, HalfFixedRangeAndEmptyChartAreRejected) {
  XyChart chart = pressure_chart();
  chart.x_axis.minimum = 0.0;
  EXPECT_THROW((void)render_svg(chart), InputError);
  XyChart empty = pressure_chart();
  empty.series.clear();
  EXPECT_THROW((void)render_svg(empty), InputError);
}

TEST(XyChart, ChartsWithDifferentPlotAreasUseDifferentClipIds) {
  XyChart narrow = pressure_chart();
  narrow.size.width_px = 400.0;
  const std::regex clip(R"re(clipPath id="([^"]+)")re");
  std::smatch wide_id;
  std::smatch narrow_id;
  const std::string wide_svg = render_svg(pressure_chart());
  const std::string narrow_svg = render_svg(narrow);
  ASSERT_TRUE(std::regex_search(wide_svg, wide_id, clip));
  ASSERT_TRUE(std::regex_search(narrow_svg, narrow_id, clip));
  EXPECT_NE(wide_id[1].str(), narrow_id[1].str());
}

}  // namespace
}  // namespace ptwin::clinical::report
