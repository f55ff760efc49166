// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/report/html_report.hpp"

#include <string>

#include <gtest/gtest.h>

#include "ptwin/clinical/report/svg_plot.hpp"
#include "ptwin/core/error.hpp"
#include "unit/clinical/xml_wellformed.hpp"

namespace ptwin::clinical::report {
namespace {

std::string small_svg() {
  XyChart chart{.x_axis = {.label = "Time", .unit = "s"},
                .y_axis = {.label = "Pressure", .unit = "mmHg"}};
  chart.series.push_back({.name = "Model", .x = {0.0, 1.0}, .y = {80.0, 120.0}});
  return render_svg(chart);
}

Report two_section_report() {
  Section calibration("Calibration");
  calibration.add_paragraph("The model was fitted to six targets.")
      .add_table({.caption = "Targets",
                  .header = {"Quantity", "Measured", "Model", "Residual (%)"},
                  .rows = {{"MAP (mmHg)", "92.0", "91.4", "\u22120.7"},
                           {"Cardiac output (L/min)", "5.1", "5.3", "+3.9"}}})
      .add_figure({.svg = small_svg(), .caption = "Aortic pressure over one beat"});
  Section forecast("Forecast");
  forecast.add_figure({.svg = small_svg(), .caption = "Forecast with interval"});
  Report report("Patient twin summary");
  report.set_subtitle("Closed-loop 0D circulation")
      .add_metadata("Twin", "twin-0042")
      .add_metadata("Data window", "2024-03-01T08:00Z \u2013 2024-03-01T12:00Z")
      .add_section(std::move(calibration))
      .add_section(std::move(forecast));
  return report;
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(HtmlReport, ContainsEverySectionTableAndFigure) {
  const std::string html = render_html(two_section_report());
  EXPECT_EQ(count(html, "<section id=\"section-"), 2u);
  EXPECT_NE(html.find("<h2>1. Calibration</h2>"), std::string::npos);
  EXPECT_NE(html.find("<h2>2. Forecast</h2>"), std::string::npos);
  EXPECT_NE(html.find("<p>The model was fitted to six targets.</p>"), std::string::npos);
  EXPECT_EQ(count(html, "<table id=\"table-"), 1u);
  EXPECT_NE(html.find("<span class=\"label\">Table 1.</span> Targets"), std::string::npos);
  EXPECT_EQ(count(html, "<figure class=\"chart\""), 2u);
  EXPECT_EQ(count(html, "<svg xmlns="), 2u);
  EXPECT_NE(html.find("Figure 1.</span> Aortic pressure over one beat"), std::string::npos);
  EXPECT_NE(html.find("Figure 2.</span> Forecast with interval"), std::string::npos);
}

TEST(HtmlReport, HeaderShowsTitleSubtitleMetadataAndContents) {
  const std::string html = render_html(two_section_report());
  EXPECT_NE(html.find("<title>Patient twin summary</title>"), std::string::npos);
  EXPECT_NE(html.find("<h1>Patient twin summary</h1>"), std::string::npos);
  EXPECT_NE(html.find("<p class=\"subtitle\">Closed-loop 0D circulation</p>"), std::string::npos);
  EXPECT_NE(html.find("<dt>Twin</dt><dd>twin-0042</dd>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#section-2\">Forecast</a>"), std::string::npos);
}

TEST(HtmlReport, NumericColumnsAreRightAlignedAndTextColumnsLeft) {
  const std::string html = render_html(two_section_report());
  EXPECT_NE(html.find("<td>MAP (mmHg)</td><td class=\"num\">92.0</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">\u22120.7</td>"), std::string::npos);
  EXPECT_NE(html.find("<th scope=\"col\">Quantity</th><th scope=\"col\" class=\"num\">"),
            std::string::npos);
}

TEST(HtmlReport, ExplicitAlignmentOverridesDetection) {
  Section section("S");
  section.add_table({.header = {"Id", "Note"},
                     .rows = {{"12", "ok"}, {"13", "n/a"}},
                     .alignment = {ColumnAlignment::Left, ColumnAlignment::Right}});
  Report report("R");
  report.add_section(std::move(section));
  const std::string html = render_html(report);
  EXPECT_NE(html.find("<td>12</td><td class=\"num\">ok</td>"), std::string::npos);
}

TEST(HtmlReport, AllTextIsEscaped) {
  Section section("<h2>");
  section.add_paragraph("a < b & c > d")
      .add_table({.caption = "\"q\"", .header = {"<th>"}, .rows = {{"<td>"}}});
  Report report("<script>alert(1)</script>");
  report.add_metadata("<k>", "<v>").add_section(std::move(section));
  const std::string html = render_html(report);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"), std::string::npos);
  EXPECT_NE(html.find("<p>a &lt; b &amp; c &gt; d</p>"), std::string::npos);
  EXPECT_NE(html.find("<dt>&lt;k&gt;</dt><dd>&lt;v&gt;</dd>"), std::string::npos);
  EXPECT_NE(html.find("<td>&lt;td&gt;</td>"), std::string::npos);
}

TEST(HtmlReport, IsOneSelfContainedWellFormedDocument) {
  const std::string html = render_html(two_section_report());
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  EXPECT_NE(html.find("<meta charset=\"utf-8\"/>"), std::string::npos);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  for (const std::string external :
       {"<script", "<link", "<img", " src=", "@import", "url(http", "https://"}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
  EXPECT_EQ(testing::xml_wellformedness_error(html), std::nullopt);
}

TEST(HtmlReport, RowWithWrongCellCountNamesTableAndRow) {
  Section section("Calibration");
  try {
    section.add_table({.caption = "Targets", .header = {"A", "B"}, .rows = {{"1", "2"}, {"3"}}});
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("section 'Calibration': table #0 'Targets' row 1"), std::string::npos)
        << message;
    EXPECT_NE(message.find("1 cells"), std::string::npos) << message;
  }
}

TEST(HtmlReport, FigureThatIsNotOneSvgElementIsRejected) {
  Section section("S");
  EXPECT_THROW(section.add_figure({.svg = "<div>x</div>", .caption = "c"}), InputError);
  EXPECT_THROW(section.add_figure({.svg = "<svg><script>x</script></svg>", .caption = "c"}),
               InputError);
  EXPECT_NO_THROW(section.add_figure({.svg = small_svg(), .caption = "c"}));
}

TEST(HtmlReport, EmptyTitleOrHeadingIsRejected) {
  EXPECT_THROW(Report(""), InputError);
  EXPECT_THROW(Section(""), InputError);
}

}  // namespace
}  // namespace ptwin::clinical::report
