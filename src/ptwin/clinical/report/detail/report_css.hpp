// SPDX-License-Identifier: Apache-2.0
#pragma once
// The style sheet inlined into every HTML report: a readable screen layout, and print rules
// that keep figures, table rows and headings with their content on one page. It must contain
// no '<' or '&', so that the report stays well-formed XML.

#include <string_view>

namespace ptwin::clinical::report::detail {

inline constexpr std::string_view kReportCss = R"css(
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  margin: 0 auto; max-width: 62rem; padding: 2rem 1.75rem 3rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Liberation Sans", sans-serif;
  font-size: 15px; line-height: 1.5; color: #1d1d1f; background: #ffffff;
}
header.report-header {
  border-bottom: 3px solid #0072B2; padding-bottom: 1rem; margin-bottom: 1.5rem;
}
h1 { font-size: 1.8rem; line-height: 1.25; margin: 0 0 0.3rem; }
p.subtitle { font-size: 1.05rem; color: #4a4a4a; margin: 0 0 1rem; }
dl.metadata {
  display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1.5rem;
  margin: 0; font-size: 0.9rem;
}
dl.metadata dt { font-weight: 600; color: #444444; }
dl.metadata dd { margin: 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
nav.contents { font-size: 0.92rem; margin: 0 0 1.5rem; }
nav.contents h2 { font-size: 1rem; border: 0; margin: 0 0 0.3rem; padding: 0; }
nav.contents ol { margin: 0; padding-left: 1.4rem; }
nav.contents a { color: #0060A0; text-decoration: none; }
section { margin-bottom: 2rem; }
h2 {
  font-size: 1.3rem; line-height: 1.3; margin: 2rem 0 0.75rem; padding-bottom: 0.3rem;
  border-bottom: 1px solid #d6d6d6;
}
p { margin: 0 0 0.8rem; max-width: 48rem; }
figure { margin: 1rem 0 1.75rem; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.9rem; color: #3d3d3d; margin-top: 0.45rem; max-width: 48rem; }
.label { font-weight: 600; color: #1d1d1f; }
.table-wrap { overflow-x: auto; margin: 0.5rem 0 1.5rem; }
table { border-collapse: collapse; font-size: 0.9rem; min-width: 24rem; }
caption { caption-side: top; text-align: left; padding-bottom: 0.4rem; color: #3d3d3d; }
th, td {
  padding: 0.35rem 0.8rem; border-bottom: 1px solid #e1e1e1; text-align: left;
  vertical-align: top;
}
thead th { border-bottom: 2px solid #333333; background: #f2f5f8; font-weight: 600; }
tbody tr:nth-child(even) { background: #fafafa; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
@media print {
  @page { margin: 15mm 14mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  nav.contents { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, tr, dl.metadata { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .table-wrap { overflow: visible; }
  a { color: inherit; }
}
)css";

}  // namespace ptwin::clinical::report::detail
