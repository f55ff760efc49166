// SPDX-License-Identifier: Apache-2.0
#include "ptwin/ingest/clock/source_clock_tracker.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::ingest::clock {
namespace {

double median_absolute_residual(const ClockModel& model, const std::vector<PairedEvent>& pairs) {
  std::vector<double> residuals;
  residuals.reserve(pairs.size());
  for (const auto& pair : pairs) {
    residuals.push_back(std::abs(
        static_cast<double>((pair.reference - model.to_utc(pair.device)).count()) * 1e-9));
  }
  const auto middle = residuals.begin() + static_cast<std::ptrdiff_t>(residuals.size() / 2);
  std::nth_element(residuals.begin(), middle, residuals.end());
  return *middle;
}

}  // namespace

void validate(const ClockTrackingSettings& settings, std::string_view where) {
  const auto field = [&](std::string_view name) { return fmt::format("{}.{}", where, name); };
  if (settings.min_pairs < 2) {
    throw InputError(ErrorCode::BadInput, field("min_pairs"), fmt::format("{}", settings.min_pairs),
                     "must be at least 2 (an offset and a drift)");
  }
  if (settings.window_pairs < settings.min_pairs) {
    throw InputError(ErrorCode::BadInput, field("window_pairs"),
                     fmt::format("{}", settings.window_pairs), "must be at least min_pairs");
  }
  // Theil–Sen is quadratic in the pairs: a bound keeps a refit well under a millisecond.
  if (settings.window_pairs > 1024) {
    throw InputError(ErrorCode::BadInput, field("window_pairs"),
                     fmt::format("{}", settings.window_pairs), "must be at most 1024");
  }
  if (settings.refit_every < 1) {
    throw InputError(ErrorCode::BadInput, field("refit_every"), "0", "must be at least 1");
  }
  if (!(settings.max_median_residual_s > 0.0) || !std::isfinite(settings.max_median_residual_s)) {
    throw InputError(ErrorCode::BadInput, field("max_median_residual_s"),
                     fmt::format("{}", settings.max_median_residual_s),
                     "must be a positive number");
  }
}

SourceClockTracker::SourceClockTracker(ClockTrackingSettings settings)
    : settings_(settings) {
  validate(settings_, "clock_tracking");
}

void SourceClockTracker::observe(std::string_view source, time::Instant device,
                                 time::Instant reference) {
  const std::lock_guard lock(mutex_);
  auto found = tracks_.find(source);
  if (found == tracks_.end()) found = tracks_.emplace(std::string(source), Track{}).first;
  auto& track = found->second;
  track.window.push_back({device, reference});
  if (track.window.size() > settings_.window_pairs) track.window.pop_front();
  ++track.clock.pairs_seen;
  ++track.since_fit;
  if (track.window.size() < settings_.min_pairs || track.since_fit < settings_.refit_every) return;
  track.since_fit = 0;
  const std::vector<PairedEvent> pairs(track.window.begin(), track.window.end());
  try {
    track.clock.model = estimate_clock_model(pairs, source);
    track.clock.median_residual_s = median_absolute_residual(*track.clock.model, pairs);
    track.clock.is_usable = track.clock.median_residual_s <= settings_.max_median_residual_s;
    track.clock.last_fit_error.clear();
  } catch (const InputError& error) {
    // Pairs that do not make a model (all at one device time, an impossible drift): the last
    // usable model, if any, stays; the reason is reported.
    track.clock.last_fit_error = error.what();
  }
}

time::Instant SourceClockTracker::to_utc(std::string_view source, time::Instant device) const {
  if (!settings_.is_correcting) return device;
  const std::lock_guard lock(mutex_);
  const auto found = tracks_.find(source);
  if (found == tracks_.end() || !found->second.clock.is_usable) return device;
  return found->second.clock.model->to_utc(device);
}

bool SourceClockTracker::is_correcting(std::string_view source) const {
  if (!settings_.is_correcting) return false;
  const std::lock_guard lock(mutex_);
  const auto found = tracks_.find(source);
  return found != tracks_.end() && found->second.clock.is_usable;
}

std::map<std::string, SourceClock, std::less<>> SourceClockTracker::sources() const {
  const std::lock_guard lock(mutex_);
  std::map<std::string, SourceClock, std::less<>> out;
  for (const auto& [name, track] : tracks_) out.emplace(name, track.clock);
  return out;
}

}  // namespace ptwin::ingest::clock
