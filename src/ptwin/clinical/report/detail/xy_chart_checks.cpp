// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/report/detail/xy_chart_checks.hpp"

#include <cmath>

#include <fmt/format.h>

#include "ptwin/clinical/report/detail/chart_checks.hpp"
#include "ptwin/core/error.hpp"

namespace ptwin::clinical::report::detail {
namespace {

constexpr double kMinimumWidth_px = 200.0;
constexpr double kMinimumHeight_px = 150.0;

void check_series(const Series& series, std::size_t index, const std::string& where) {
  check_not_empty(series.name, fmt::format("{}: series #{}", where, index),
                  "series name (legend text)");
  const std::string series_where = fmt::format("{}: series '{}'", where, series.name);
  if (series.x.size() != series.y.size()) {
    throw InputError(ErrorCode::BadInput, series_where,
                     fmt::format("x has {} values, y has {}", series.x.size(), series.y.size()),
                     "x and y must have the same length");
  }
  if (series.x.size() < minimum_points(series)) {
    throw InputError(
        ErrorCode::BadInput, series_where, fmt::format("{} points", series.x.size()),
        fmt::format("needs at least {} point(s) for its style", minimum_points(series)));
  }
  check_finite(series.x, series_where, "x");
  check_finite(series.y, series_where, "y");
}

}  // namespace

std::size_t minimum_points(const Series& series) {
  if (series.is_closed) return 3;
  return series.style != SeriesStyle::Markers ? 2 : 1;
}

void check_band(const Band& band, std::size_t index, const std::string& where) {
  check_not_empty(band.name, fmt::format("{}: band #{}", where, index), "band name (legend text)");
  const std::string band_where = fmt::format("{}: band '{}'", where, band.name);
  if (band.lower.size() != band.x.size() || band.upper.size() != band.x.size()) {
    throw InputError(ErrorCode::BadInput, band_where,
                     fmt::format("x has {} values, lower {}, upper {}", band.x.size(),
                                 band.lower.size(), band.upper.size()),
                     "x, lower and upper must have the same length");
  }
  if (band.x.size() < 2) {
    throw InputError(ErrorCode::BadInput, band_where, fmt::format("{} points", band.x.size()),
                     "needs at least 2 points");
  }
  check_finite(band.x, band_where, "x");
  check_finite(band.lower, band_where, "lower");
  check_finite(band.upper, band_where, "upper");
  for (std::size_t i = 0; i < band.x.size(); ++i) {
    if (band.lower[i] > band.upper[i]) {
      throw InputError(ErrorCode::BadInput, fmt::format("{} index {}", band_where, i),
                       fmt::format("lower {} > upper {}", band.lower[i], band.upper[i]),
                       "lower must not exceed upper");
    }
  }
}

void check_xy_chart(const XyChart& chart) {
  const std::string where = chart_where(chart.title);
  const ChartSize& size = chart.size;
  if (!(size.width_px >= kMinimumWidth_px) || !(size.height_px >= kMinimumHeight_px) ||
      !std::isfinite(size.width_px) || !std::isfinite(size.height_px)) {
    throw InputError(
        ErrorCode::BadInput, where + ": size",
        fmt::format("{} x {} px", size.width_px, size.height_px),
        fmt::format("must be finite and at least {} x {} px", kMinimumWidth_px, kMinimumHeight_px));
  }
  check_axis(chart.x_axis, where, "x axis");
  check_axis(chart.y_axis, where, "y axis");
  if (chart.series.empty() && chart.bands.empty()) {
    throw InputError(ErrorCode::BadInput, where, "no series and no bands",
                     "a chart needs something to plot");
  }
  for (std::size_t i = 0; i < chart.series.size(); ++i) check_series(chart.series[i], i, where);
  for (std::size_t i = 0; i < chart.bands.size(); ++i) check_band(chart.bands[i], i, where);
  for (std::size_t i = 0; i < chart.y_references.size(); ++i) {
    check_reference(chart.y_references[i], where, "y_references", i);
  }
  for (std::size_t i = 0; i < chart.x_references.size(); ++i) {
    check_reference(chart.x_references[i], where, "x_references", i);
  }
}

}  // namespace ptwin::clinical::report::detail
