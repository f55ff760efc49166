// SPDX-License-Identifier: Apache-2.0
#include "ptwin/vv/metrics/metric_input_checks.hpp"

#include <cmath>
#include <string>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::vv::detail {

void require_finite(std::string_view argument, std::size_t index, double value) {
  if (!std::isfinite(value)) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}[{}]", argument, index),
                     fmt::format("{}", value), "must be a finite number");
  }
}

void require_probability(std::string_view argument, std::size_t index, double value) {
  if (!(value >= 0.0 && value <= 1.0)) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}[{}]", argument, index),
                     fmt::format("{}", value), "must be a probability in [0, 1]");
  }
}

void require_both_classes(std::string_view metric, std::size_t positives, std::size_t negatives) {
  if (positives == 0 || negatives == 0) {
    throw InputError(ErrorCode::BadInput, std::string(metric),
                     fmt::format("{} positive and {} negative cases", positives, negatives),
                     "needs at least one case of each outcome");
  }
}

}  // namespace ptwin::vv::detail
