// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/report/nice_ticks.hpp"

#include <array>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::clinical::report {
namespace {

/// A 1-2-5 step written as mantissa * 10^exponent, so that tick values can be computed from
/// integers: k * mantissa / 10^-exponent is correctly rounded for exponent < 0, where
/// k * (mantissa * 10^exponent) accumulates the representation error of 10^exponent.
struct Step {
  long long mantissa = 1;  // 1, 2 or 5
  int exponent = 0;

  [[nodiscard]] double value() const { return at(1); }
  [[nodiscard]] double at(long long index) const {
    const double scaled = static_cast<double>(index * mantissa);
    return exponent >= 0 ? scaled * std::pow(10.0, exponent) : scaled / std::pow(10.0, -exponent);
  }
};

void check_range(double minimum, double maximum, int max_intervals) {
  const auto where = [](const char* bound) { return fmt::format("axis range {}", bound); };
  if (!std::isfinite(minimum)) {
    throw InputError(ErrorCode::BadInput, where("minimum"), fmt::format("{}", minimum),
                     "must be a finite number");
  }
  if (!std::isfinite(maximum)) {
    throw InputError(ErrorCode::BadInput, where("maximum"), fmt::format("{}", maximum),
                     "must be a finite number");
  }
  if (minimum > maximum) {
    throw InputError(ErrorCode::BadInput, "axis range", fmt::format("[{}, {}]", minimum, maximum),
                     "minimum must not exceed maximum");
  }
  if (!std::isfinite(maximum - minimum)) {
    throw InputError(ErrorCode::BadInput, "axis range", fmt::format("[{}, {}]", minimum, maximum),
                     "is too wide: its width overflows a double");
  }
  if (max_intervals < 1) {
    throw InputError(ErrorCode::BadInput, "axis max_intervals", fmt::format("{}", max_intervals),
                     "must be at least 1");
  }
}

/// Smallest 1-2-5 step that is >= raw_step (> 0).
Step nice_step(double raw_step) {
  int exponent = static_cast<int>(std::floor(std::log10(raw_step)));
  // log10 of an exact power of ten may land just below the integer; the loop corrects it.
  constexpr std::array<long long, 3> kMantissas{1, 2, 5};
  for (int attempt = 0; attempt < 3; ++attempt, ++exponent) {
    for (const long long mantissa : kMantissas) {
      const Step step{mantissa, exponent - 1};
      if (step.value() >= raw_step * (1.0 - 1e-12)) return step;
    }
  }
  return Step{1, exponent};
}

Step checked_step(double raw_step, double minimum, double maximum) {
  const Step step = nice_step(raw_step);
  // Subnormal ranges (|x| < 1e-300) underflow 10^exponent; no physiological signal gets there.
  if (!(step.value() > 0.0) || !std::isfinite(step.value())) {
    throw InputError(ErrorCode::BadInput, "axis range", fmt::format("[{}, {}]", minimum, maximum),
                     "is too narrow to place ticks in double precision");
  }
  return step;
}

int decimals_for(const Step& step) { return step.exponent < 0 ? -step.exponent : 0; }

}  // namespace

TickSet nice_ticks(double minimum, double maximum, int max_intervals) {
  check_range(minimum, maximum, max_intervals);
  if (minimum == maximum) {
    const double magnitude = std::abs(minimum);
    const Step step = checked_step(magnitude > 0.0 ? magnitude / 10.0 : 1.0, minimum, maximum);
    const auto centre = static_cast<long long>(std::llround(minimum / step.value()));
    TickSet ticks{.lower = step.at(centre - 1),
                  .upper = step.at(centre + 1),
                  .step = step.value(),
                  .decimals = decimals_for(step),
                  .values = {}};
    for (long long k = centre - 1; k <= centre + 1; ++k) ticks.values.push_back(step.at(k));
    return ticks;
  }
  const Step step = checked_step((maximum - minimum) / max_intervals, minimum, maximum);
  // The small tolerance keeps a bound that is a multiple of the step (up to rounding) on it.
  const double tolerance = 1e-9;
  const auto first = static_cast<long long>(std::floor(minimum / step.value() + tolerance));
  const auto last = static_cast<long long>(std::ceil(maximum / step.value() - tolerance));
  TickSet ticks{.lower = step.at(first),
                .upper = step.at(last),
                .step = step.value(),
                .decimals = decimals_for(step),
                .values = {}};
  for (long long k = first; k <= last; ++k) ticks.values.push_back(step.at(k));
  return ticks;
}

TickSet ticks_within(double minimum, double maximum, int max_intervals) {
  check_range(minimum, maximum, max_intervals);
  if (minimum == maximum) {
    throw InputError(ErrorCode::BadInput, "fixed axis range",
                     fmt::format("[{}, {}]", minimum, maximum), "must have a non-zero width");
  }
  const Step step = checked_step((maximum - minimum) / max_intervals, minimum, maximum);
  const double tolerance = 1e-9;
  const auto first = static_cast<long long>(std::ceil(minimum / step.value() - tolerance));
  const auto last = static_cast<long long>(std::floor(maximum / step.value() + tolerance));
  TickSet ticks{.lower = minimum,
                .upper = maximum,
                .step = step.value(),
                .decimals = decimals_for(step),
                .values = {}};
  for (long long k = first; k <= last; ++k) ticks.values.push_back(step.at(k));
  return ticks;
}

std::string format_tick(double value, int decimals) {
  const std::string text = fmt::format("{:.{}f}", value, decimals < 0 ? 0 : decimals);
  if (text.front() != '-') return text;
  const std::string_view magnitude = std::string_view(text).substr(1);
  const bool is_zero = magnitude.find_first_not_of("0.") == std::string_view::npos;
  return is_zero ? std::string(magnitude) : fmt::format("\u2212{}", magnitude);
}

}  // namespace ptwin::clinical::report
