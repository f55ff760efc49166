// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/clock/clock_model.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::clock {
namespace {

double median(std::vector<double>& values) {
  const std::size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle), values.end());
  const double upper = values[middle];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle));
  return 0.5 * (lower + upper);
}

double seconds_between(time::Instant from, time::Instant to) {
  return static_cast<double>((to - from).count()) * 1e-9;
}

}  // namespace

time::Instant ClockModel::to_utc(time::Instant device) const {
  const double since_anchor_s = seconds_between(anchor, device);
  const double correction_s = offset_s + drift * since_anchor_s;
  return device + std::chrono::nanoseconds(std::llround(correction_s * 1e9));
}

ClockModel estimate_clock_model(std::span<const PairedEvent> pairs, std::string_view source,
                                double max_abs_drift) {
  if (pairs.size() < 2) {
    throw InputError(ErrorCode::MissingField, fmt::format("{}: clock pairs", source),
                     fmt::format("{}", pairs.size()),
                     "an offset and a drift need at least 2 paired events");
  }
  const auto [earliest, latest] = std::minmax_element(
      pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.device < b.device; });
  if (earliest->device == latest->device) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}: clock pairs", source),
                     time::format_iso8601(earliest->device),
                     "all paired events have the same device time; pairs spread over time are "
                     "needed to tell drift from offset");
  }
  ClockModel model;
  model.anchor = earliest->device + (latest->device - earliest->device) / 2;
  model.pair_count = pairs.size();
  // x: device time since the anchor; y: reference - device (the correction), both in seconds.
  std::vector<double> x;
  std::vector<double> y;
  x.reserve(pairs.size());
  y.reserve(pairs.size());
  for (const PairedEvent& pair : pairs) {
    x.push_back(seconds_between(model.anchor, pair.device));
    y.push_back(seconds_between(pair.device, pair.reference));
  }
  std::vector<double> slopes;
  slopes.reserve(pairs.size() * (pairs.size() - 1) / 2);
  for (std::size_t i = 0; i < x.size(); ++i) {
    for (std::size_t j = i + 1; j < x.size(); ++j) {
      if (x[j] != x[i]) slopes.push_back((y[j] - y[i]) / (x[j] - x[i]));
    }
  }
  model.drift = median(slopes);
  std::vector<double> intercepts(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) intercepts[i] = y[i] - model.drift * x[i];
  model.offset_s = median(intercepts);
  if (!(std::abs(model.drift) <= max_abs_drift)) {
    throw InputError(ErrorCode::BadInput, fmt::format("{}: clock drift", source),
                     fmt::format("{:.3g} ppm", model.drift * 1e6),
                     fmt::format("exceeds {:.0f} ppm; check that the paired events are the same "
                                 "moments on both clocks",
                                 max_abs_drift * 1e6));
  }
  double sum_squares = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double residual = y[i] - (model.offset_s + model.drift * x[i]);
    sum_squares += residual * residual;
    model.residual_max_s = std::max(model.residual_max_s, std::abs(residual));
  }
  model.residual_rms_s = std::sqrt(sum_squares / static_cast<double>(x.size()));
  return model;
}

}  // namespace ptwin::ingest::clock
