// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/report/html_report.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <iterator>
#include <system_error>

#include <fmt/format.h>

#include "ptwin/clinical/report/detail/report_css.hpp"
#include "ptwin/clinical/report/xml_escape.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::clinical::report {
namespace {

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

/// Cells that say "no value" and so do not decide a column's alignment.
bool is_blank_cell(std::string_view cell) {
  cell = trim(cell);
  return cell.empty() || cell == "-" || cell == "\u2013" || cell == "\u2014" || cell == "n/a" ||
         cell == "NA";
}

/// A number with an optional sign (ASCII or U+2212), optional exponent and optional "%".
bool is_numeric_cell(std::string_view cell) {
  cell = trim(cell);
  if (cell.ends_with('%')) cell = trim(cell.substr(0, cell.size() - 1));
  if (cell.starts_with("\u2212")) {
    cell.remove_prefix(std::string_view("\u2212").size());
  } else if (cell.starts_with('+') || cell.starts_with('-')) {
    cell.remove_prefix(1);
  }
  if (cell.empty() ||
      !(std::isdigit(static_cast<unsigned char>(cell.front())) || cell.front() == '.')) {
    return false;
  }
  double value = 0.0;
  const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
  return error == std::errc() && end == cell.data() + cell.size();
}

std::vector<bool> right_aligned_columns(const Table& table) {
  std::vector<bool> is_right(table.header.size(), false);
  for (std::size_t column = 0; column < table.header.size(); ++column) {
    const ColumnAlignment alignment =
        table.alignment.empty() ? ColumnAlignment::Auto : table.alignment[column];
    if (alignment != ColumnAlignment::Auto) {
      is_right[column] = alignment == ColumnAlignment::Right;
      continue;
    }
    bool has_number = false;
    bool is_all_numeric = true;
    for (const auto& row : table.rows) {
      if (is_blank_cell(row[column])) continue;
      has_number = true;
      is_all_numeric = is_all_numeric && is_numeric_cell(row[column]);
    }
    is_right[column] = has_number && is_all_numeric;
  }
  return is_right;
}

std::string block_where(const std::string& heading, std::string_view kind, std::size_t index,
                        std::string_view caption) {
  return caption.empty() ? fmt::format("section '{}': {} #{}", heading, kind, index)
                         : fmt::format("section '{}': {} #{} '{}'", heading, kind, index, caption);
}

bool contains_case_insensitive(std::string_view text, std::string_view needle) {
  const auto it =
      std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      });
  return it != text.end();
}

}  // namespace

Section::Section(std::string heading) : heading_(std::move(heading)) {
  if (heading_.empty()) {
    throw InputError(ErrorCode::MissingField, "report section", "", "heading must not be empty");
  }
}

Section& Section::add_paragraph(std::string text) {
  blocks_.emplace_back(Paragraph{std::move(text)});
  return *this;
}

Section& Section::add_table(Table table) {
  const std::string where = block_where(heading_, "table", blocks_.size(), table.caption);
  if (table.header.empty()) {
    throw InputError(ErrorCode::MissingField, where, "0 columns", "header must not be empty");
  }
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    if (table.rows[i].size() != table.header.size()) {
      throw InputError(
          ErrorCode::BadInput, fmt::format("{} row {}", where, i),
          fmt::format("{} cells", table.rows[i].size()),
          fmt::format("must have as many cells as the header ({})", table.header.size()));
    }
  }
  if (!table.alignment.empty() && table.alignment.size() != table.header.size()) {
    throw InputError(
        ErrorCode::BadInput, where + " alignment",
        fmt::format("{} entries", table.alignment.size()),
        fmt::format("must be empty or have one entry per column ({})", table.header.size()));
  }
  blocks_.emplace_back(std::move(table));
  return *this;
}

Section& Section::add_figure(Figure figure) {
  const std::string where = block_where(heading_, "figure", blocks_.size(), figure.caption);
  const std::string_view svg = trim(figure.svg);
  if (!svg.starts_with("<svg") || !svg.ends_with("</svg>")) {
    throw InputError(ErrorCode::BadInput, where, fmt::format("{:.40}", svg),
                     "must be one <svg>...</svg> element, such as render_svg() returns");
  }
  if (contains_case_insensitive(svg, "<script")) {
    throw InputError(ErrorCode::BadInput, where, "<script", "a report figure must not run code");
  }
  blocks_.emplace_back(std::move(figure));
  return *this;
}

Report::Report(std::string title) : title_(std::move(title)) {
  if (title_.empty()) {
    throw InputError(ErrorCode::MissingField, "report", "", "title must not be empty");
  }
}

Report& Report::set_subtitle(std::string subtitle) {
  subtitle_ = std::move(subtitle);
  return *this;
}

Report& Report::add_metadata(std::string key, std::string value) {
  metadata_.push_back({std::move(key), std::move(value)});
  return *this;
}

Report& Report::add_section(Section section) {
  sections_.push_back(std::move(section));
  return *this;
}

namespace {

/// Running numbers of tables and figures across the whole report.
struct Counters {
  int table = 0;
  int figure = 0;
};

void render_table(std::string& out, const Table& table, Counters& counters) {
  const std::vector<bool> is_right = right_aligned_columns(table);
  const auto cell_class = [&](std::size_t column) {
    return is_right[column] ? std::string_view(" class=\"num\"") : std::string_view();
  };
  auto sink = std::back_inserter(out);
  fmt::format_to(sink, "<div class=\"table-wrap\">\n<table id=\"table-{}\">\n", ++counters.table);
  if (!table.caption.empty()) {
    fmt::format_to(sink, "<caption><span class=\"label\">Table {}.</span> {}</caption>\n",
                   counters.table, escape_xml(table.caption));
  }
  out += "<thead><tr>";
  for (std::size_t column = 0; column < table.header.size(); ++column) {
    fmt::format_to(sink, "<th scope=\"col\"{}>{}</th>", cell_class(column),
                   escape_xml(table.header[column]));
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (std::size_t column = 0; column < row.size(); ++column) {
      fmt::format_to(sink, "<td{}>{}</td>", cell_class(column), escape_xml(row[column]));
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</div>\n";
}

void render_figure(std::string& out, const Figure& figure, Counters& counters) {
  auto sink = std::back_inserter(out);
  fmt::format_to(sink, "<figure class=\"chart\" id=\"figure-{}\">\n{}\n", ++counters.figure,
                 trim(figure.svg));
  fmt::format_to(sink, "<figcaption><span class=\"label\">Figure {}.</span>{}{}</figcaption>\n",
                 counters.figure, figure.caption.empty() ? "" : " ", escape_xml(figure.caption));
  out += "</figure>\n";
}

void render_section(std::string& out, const Section& section, std::size_t number,
                    Counters& counters) {
  fmt::format_to(std::back_inserter(out), "<section id=\"section-{0}\">\n<h2>{0}. {1}</h2>\n",
                 number, escape_xml(section.heading()));
  for (const Block& block : section.blocks()) {
    if (const auto* paragraph = std::get_if<Paragraph>(&block)) {
      fmt::format_to(std::back_inserter(out), "<p>{}</p>\n", escape_xml(paragraph->text));
    } else if (const auto* table = std::get_if<Table>(&block)) {
      render_table(out, *table, counters);
    } else {
      render_figure(out, std::get<Figure>(block), counters);
    }
  }
  out += "</section>\n";
}

void render_header(std::string& out, const Report& report) {
  auto sink = std::back_inserter(out);
  fmt::format_to(sink, "<header class=\"report-header\">\n<h1>{}</h1>\n",
                 escape_xml(report.title()));
  if (!report.subtitle().empty()) {
    fmt::format_to(sink, "<p class=\"subtitle\">{}</p>\n", escape_xml(report.subtitle()));
  }
  if (!report.metadata().empty()) {
    out += "<dl class=\"metadata\">\n";
    for (const auto& entry : report.metadata()) {
      fmt::format_to(sink, "<dt>{}</dt><dd>{}</dd>\n", escape_xml(entry.key),
                     escape_xml(entry.value));
    }
    out += "</dl>\n";
  }
  out += "</header>\n";
  if (report.sections().size() < 2) return;
  out += "<nav class=\"contents\">\n<h2>Contents</h2>\n<ol>\n";
  for (std::size_t i = 0; i < report.sections().size(); ++i) {
    fmt::format_to(sink, "<li><a href=\"#section-{}\">{}</a></li>\n", i + 1,
                   escape_xml(report.sections()[i].heading()));
  }
  out += "</ol>\n</nav>\n";
}

}  // namespace

std::string render_html(const Report& report) {
  std::string out;
  out.reserve(16 * 1024);
  fmt::format_to(std::back_inserter(out),
                 "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                 "<meta name=\"generator\" content=\"ptwin\"/>\n<title>{}</title>\n"
                 "<style>{}</style>\n</head>\n<body>\n",
                 escape_xml(report.title()), detail::kReportCss);
  render_header(out, report);
  out += "<main>\n";
  Counters counters;
  for (std::size_t i = 0; i < report.sections().size(); ++i) {
    render_section(out, report.sections()[i], i + 1, counters);
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

void write_html(const Report& report, const std::filesystem::path& path) {
  const std::string html = render_html(report);
  std::filesystem::path partial = path;
  partial += ".partial";
  const auto fail = [&](std::string_view action, const std::error_code& reason) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    throw Error(ErrorCode::Io, fmt::format("cannot {} HTML report '{}': {}", action, path.string(),
                                           reason.message()));
  };
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    if (!file) fail("create", std::error_code(errno, std::generic_category()));
    file.write(html.data(), static_cast<std::streamsize>(html.size()));
    file.close();
    if (!file) fail("write", std::error_code(errno, std::generic_category()));
  }
  std::error_code rename_error;
  std::filesystem::rename(partial, path, rename_error);
  if (rename_error) fail("replace", rename_error);
}

}  // namespace ptwin::clinical::report
