// SPDX-License-Identifier: Apache-2.0
#pragma once
// A clinical report as one self-contained HTML5 file: title, subtitle and a metadata list (twin
// id, model, timestamps), then numbered sections holding paragraphs, tables and figures (inline
// SVG from svg_plot.hpp / svg_bar_chart.hpp). CSS is inline; there are no scripts, fonts,
// images or links to other files, so the file can be archived, mailed or attached to an EHR
// document as is, and it prints on A4/Letter with figures and table rows kept whole.
//
// Example:
//   Section fit("Calibration");
//   fit.add_paragraph("The model was fitted to the measurements below.")
//       .add_table({.caption = "Targets", .header = {"Quantity", "Measured", "Model"},
//                   .rows = {{"MAP (mmHg)", "92.0", "91.4"}}})
//       .add_figure({.svg = render_svg(chart), .caption = "Aortic pressure"});
//   Report report("Patient twin summary");
//   report.set_subtitle("Closed-loop 0D circulation").add_metadata("Twin", "twin-0042");
//   report.add_section(std::move(fit));
//   write_html(report, "summary.html");

#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace ptwin::clinical::report {

/// A paragraph of plain text (escaped; no markup is interpreted).
struct Paragraph {
  std::string text{};
  friend bool operator==(const Paragraph&, const Paragraph&) = default;
};

/// Horizontal alignment of a table column.
enum class ColumnAlignment {
  Auto,  ///< right if every non-blank cell is a number ("92.4", "-3.1 %", "1e-3"), else left
  Left,
  Right,
};

/// A table of text cells. Numbers are given already formatted (the caller chooses precision
/// and unit); numeric columns are right-aligned with tabular figures so that digits line up.
struct Table {
  std::string caption{};  ///< optional; shown above the table as "Table n. caption"
  std::vector<std::string> header{};
  std::vector<std::vector<std::string>> rows{};  ///< each row has header.size() cells
  std::vector<ColumnAlignment> alignment{};      ///< empty (all Auto) or one per column
  friend bool operator==(const Table&, const Table&) = default;
};

/// A figure: SVG markup inserted verbatim, and a caption shown as "Figure n. caption".
/// `svg` must be trusted markup, normally the result of render_svg().
struct Figure {
  std::string svg{};
  std::string caption{};
  friend bool operator==(const Figure&, const Figure&) = default;
};

using Block = std::variant<Paragraph, Table, Figure>;

/// A titled section; blocks appear in the order they were added.
class Section {
 public:
  explicit Section(std::string heading);

  Section& add_paragraph(std::string text);
  /// Throws ptwin::InputError naming the section, the table and the row when the header is
  /// empty, a row's length differs from the header's, or `alignment` has neither 0 nor
  /// header.size() entries.
  Section& add_table(Table table);
  /// Throws ptwin::InputError naming the section and the figure when `svg` is not a single
  /// <svg>...</svg> element or contains a <script> element.
  Section& add_figure(Figure figure);

  [[nodiscard]] const std::string& heading() const noexcept { return heading_; }
  [[nodiscard]] const std::vector<Block>& blocks() const noexcept { return blocks_; }

 private:
  std::string heading_;
  std::vector<Block> blocks_;
};

/// One metadata line of the report header, e.g. {"Twin", "twin-0042"}.
struct MetadataEntry {
  std::string key{};
  std::string value{};
  friend bool operator==(const MetadataEntry&, const MetadataEntry&) = default;
};

/// The report document. Build it, then render_html() or write_html().
class Report {
 public:
  explicit Report(std::string title);

  Report& set_subtitle(std::string subtitle);
  Report& add_metadata(std::string key, std::string value);
  Report& add_section(Section section);

  [[nodiscard]] const std::string& title() const noexcept { return title_; }
  [[nodiscard]] const std::string& subtitle() const noexcept { return subtitle_; }
  [[nodiscard]] const std::vector<MetadataEntry>& metadata() const noexcept { return metadata_; }
  [[nodiscard]] const std::vector<Section>& sections() const noexcept { return sections_; }

 private:
  std::string title_;
  std::string subtitle_;
  std::vector<MetadataEntry> metadata_;
  std::vector<Section> sections_;
};

/// The whole report as one HTML5 document (UTF-8, inline CSS, no scripts, no external
/// resources). It is also well-formed XML, so XML tools can check and transform it. All text is
/// escaped; figure SVG is inserted verbatim. Throws ptwin::InputError if a text is not valid
/// UTF-8 or holds a control character (see escape_xml()).
[[nodiscard]] std::string render_html(const Report& report);

/// Renders `report` and writes it to `path`, replacing an existing file. The file appears
/// complete or not at all: the HTML goes to "<path>.partial", which is then renamed.
/// Throws ptwin::Error (ErrorCode::Io) naming the path and the OS reason when the file cannot
/// be written; the errors of render_html() otherwise.
void write_html(const Report& report, const std::filesystem::path& path);

}  // namespace ptwin::clinical::report
