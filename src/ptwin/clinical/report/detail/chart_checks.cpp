// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/report/detail/chart_checks.hpp"

#include <cmath>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::clinical::report::detail {

std::string chart_where(std::string_view title) {
  return title.empty() ? std::string("chart (untitled)") : fmt::format("chart '{}'", title);
}

void check_finite(std::span<const double> values, std::string_view where,
                  std::string_view array_name) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw InputError(ErrorCode::BadInput, fmt::format("{} {}[{}]", where, array_name, i),
                       fmt::format("{}", values[i]), "must be a finite number");
    }
  }
}

void check_not_empty(std::string_view text, std::string_view where, std::string_view what) {
  if (text.empty()) {
    throw InputError(ErrorCode::MissingField, std::string(where), "",
                     fmt::format("{} must not be empty", what));
  }
}

void check_axis(const Axis& axis, std::string_view where, std::string_view axis_name) {
  const std::string axis_where = fmt::format("{}: {}", where, axis_name);
  check_not_empty(axis.label, axis_where, "axis label");
  if (axis.unit.empty()) {
    throw InputError(ErrorCode::MissingField, axis_where, axis.label,
                     "needs a unit (use \"1\" for a dimensionless quantity)");
  }
  if (axis.minimum.has_value() != axis.maximum.has_value()) {
    throw InputError(ErrorCode::BadInput, axis_where,
                     axis.minimum ? "minimum only" : "maximum only",
                     "give both fixed bounds or neither");
  }
  if (!axis.minimum) return;
  const double minimum = *axis.minimum;
  const double maximum = *axis.maximum;
  if (!std::isfinite(minimum) || !std::isfinite(maximum) || !(minimum < maximum)) {
    throw InputError(ErrorCode::BadInput, axis_where, fmt::format("[{}, {}]", minimum, maximum),
                     "fixed bounds must be finite with minimum < maximum");
  }
}

void check_reference(const ReferenceLine& reference, std::string_view where,
                     std::string_view list_name, std::size_t index) {
  const std::string reference_where = fmt::format("{}: {}[{}]", where, list_name, index);
  check_not_empty(reference.label, reference_where, "reference label");
  if (!std::isfinite(reference.value)) {
    throw InputError(ErrorCode::BadInput, reference_where + " value",
                     fmt::format("{}", reference.value), "must be a finite number");
  }
}

}  // namespace ptwin::clinical::report::detail
