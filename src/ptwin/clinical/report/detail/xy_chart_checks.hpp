// SPDX-License-Identifier: Apache-2.0
#pragma once
// Validation of XyChart input (svg_plot.hpp). Each check throws ptwin::InputError whose `where`
// names the chart, the series or band, and the index.

#include <cstddef>
#include <string>

#include "ptwin/clinical/report/svg_plot.hpp"

namespace ptwin::clinical::report::detail {

/// Fewest points a series needs for its style: 1 for markers, 2 for a line, 3 when closed.
[[nodiscard]] std::size_t minimum_points(const Series& series);

/// Equal lengths, at least 2 points, finite values and lower <= upper at every index.
void check_band(const Band& band, std::size_t index, const std::string& where);

/// Every rule listed at plot_frame().
void check_xy_chart(const XyChart& chart);

}  // namespace ptwin::clinical::report::detail
