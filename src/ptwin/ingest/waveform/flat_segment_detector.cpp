// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/waveform/flat_segment_detector.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::waveform {

namespace {

void require_positive(double value, std::string_view name) {
  if (!std::isfinite(value) || value <= 0.0) {
    throw InputError(ErrorCode::BadInput, fmt::format("flat segment settings: {}", name),
                     fmt::format("{}", value), "must be finite and positive");
  }
}

}  // namespace

void validate(const FlatSegmentSettings& settings) {
  require_positive(settings.window_s, "window_s");
  require_positive(settings.min_duration_s, "min_duration_s");
  require_positive(settings.flat_range.si(), "flat_range");
  require_positive(settings.flush_min_level.si(), "flush_min_level");
  require_positive(settings.zeroing_max_level.si(), "zeroing_max_level");
  if (settings.min_duration_s < settings.window_s) {
    throw InputError(ErrorCode::BadInput, "flat segment settings: min_duration_s",
                     fmt::format("{}", settings.min_duration_s),
                     fmt::format("must be at least window_s ({})", settings.window_s));
  }
}

FlatSegmentDetector::FlatSegmentDetector(double sample_rate_hz,
                                         const FlatSegmentSettings& settings)
    : window_n_(std::max<std::int64_t>(2, std::llround(settings.window_s * sample_rate_hz))),
      min_windows_(std::llround(std::ceil(settings.min_duration_s / settings.window_s))),
      settings_(settings) {
  validate(settings);
}

void FlatSegmentDetector::push(std::span<const double> pressures_pa) {
  for (const double pressure_pa : pressures_pa) {
    if (in_window_ == 0) {
      window_min_pa_ = pressure_pa;
      window_max_pa_ = pressure_pa;
      window_sum_pa_ = 0.0;
    }
    window_min_pa_ = std::min(window_min_pa_, pressure_pa);
    window_max_pa_ = std::max(window_max_pa_, pressure_pa);
    window_sum_pa_ += pressure_pa;
    if (++in_window_ == window_n_) close_window();
  }
}

void FlatSegmentDetector::close_window() {
  const double mean_pa = window_sum_pa_ / static_cast<double>(window_n_);
  std::optional<FlatSegmentKind> kind;
  if (window_max_pa_ - window_min_pa_ <= settings_.flat_range.si()) {
    if (mean_pa >= settings_.flush_min_level.si()) kind = FlatSegmentKind::LineFlush;
    if (std::abs(mean_pa) <= settings_.zeroing_max_level.si()) kind = FlatSegmentKind::Zeroing;
  }
  if (kind && kind == run_kind_) {
    ++run_windows_;
  } else {
    if (run_kind_ && run_windows_ >= min_windows_) {
      closed_.push_back({*run_kind_, run_first_window_ * window_n_,
                         (run_first_window_ + run_windows_) * window_n_});
    }
    run_kind_ = kind;
    run_first_window_ = windows_done_;
    run_windows_ = kind ? 1 : 0;
  }
  ++windows_done_;
  in_window_ = 0;
}

std::vector<FlatSegment> FlatSegmentDetector::segments() const {
  auto all = closed_;
  if (run_kind_ && run_windows_ >= min_windows_) {
    all.push_back({*run_kind_, run_first_window_ * window_n_,
                   (run_first_window_ + run_windows_) * window_n_});
  }
  return all;
}

std::optional<FlatSegmentKind> FlatSegmentDetector::overlapping(std::int64_t first,
                                                                std::int64_t end,
                                                                std::int64_t guard) const {
  for (const auto& segment : segments()) {
    if (segment.first < end + guard && segment.end > first - guard) return segment.kind;
  }
  return std::nullopt;
}

void FlatSegmentDetector::forget_before(std::int64_t index) {
  std::erase_if(closed_, [index](const FlatSegment& segment) { return segment.end < index; });
}

}  // namespace ptwin::ingest::waveform
