// SPDX-License-Identifier: Apache-2.0
#pragma once
// Input checks shared by the chart renderers. Each throws ptwin::InputError whose `where`
// names the chart and the element ("chart 'Residuals': series 'Model' y[12]").

#include <span>
#include <string>
#include <string_view>

#include "ptwin/clinical/report/chart_axis.hpp"

namespace ptwin::clinical::report::detail {

/// "chart 'title'" or "chart (untitled)": the start of every error location.
[[nodiscard]] std::string chart_where(std::string_view title);

/// Throws unless every value is finite; the location is "<where> <array>[index]".
void check_finite(std::span<const double> values, std::string_view where,
                  std::string_view array_name);

/// Throws if `text` is empty; `what` names the field ("series name", "axis unit").
void check_not_empty(std::string_view text, std::string_view where, std::string_view what);

/// Throws on an empty label or unit, a half-given or inverted fixed range, or a non-finite
/// bound. `axis_name` is "x axis", "y axis" or "value axis".
void check_axis(const Axis& axis, std::string_view where, std::string_view axis_name);

/// Throws on an empty label or a non-finite value.
void check_reference(const ReferenceLine& reference, std::string_view where,
                     std::string_view list_name, std::size_t index);

}  // namespace ptwin::clinical::report::detail
