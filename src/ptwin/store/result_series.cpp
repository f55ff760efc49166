// SPDX-License-Identifier: Apache-2.0
#include "ptwin/store/result_series.hpp"

#include <cmath>
#include <cstddef>
#include <string_view>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::store {
namespace {

void require_finite(const ResultSeries& series, const std::vector<double>& numbers,
                    std::string_view field) {
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (!std::isfinite(numbers[i])) {
      throw InputError(ErrorCode::BadInput,
                       fmt::format("result series '{}': {}[{}]", series.variable, field, i),
                       fmt::format("{}", numbers[i]), "must be finite");
    }
  }
}

}  // namespace

void validate(const ResultSeries& series) {
  if (series.variable.empty()) {
    throw InputError(ErrorCode::MissingField, "result series: variable", "", "must not be empty");
  }
  const auto where = [&series](std::string_view field) {
    return fmt::format("result series '{}': {}", series.variable, field);
  };
  if (series.unit.empty()) {
    throw InputError(ErrorCode::MissingField, where("unit"), "", "must name the SI unit");
  }
  if (series.times_s.size() != series.values.size()) {
    throw InputError(ErrorCode::BadInput, where("values"),
                     fmt::format("{} values", series.values.size()),
                     fmt::format("must have one value per time ({} times)", series.times_s.size()));
  }
  if (series.times_s.empty()) {
    throw InputError(ErrorCode::BadInput, where("times_s"), "0 points",
                     "must hold at least one point");
  }
  require_finite(series, series.times_s, "times_s");
  require_finite(series, series.values, "values");
  for (std::size_t i = 1; i < series.times_s.size(); ++i) {
    if (series.times_s[i] < series.times_s[i - 1]) {
      throw InputError(
          ErrorCode::BadInput, where(fmt::format("times_s[{}]", i)),
          fmt::format("{}", series.times_s[i]),
          fmt::format("must not be earlier than times_s[{}] = {}", i - 1, series.times_s[i - 1]));
    }
  }
}

}  // namespace ptwin::store
