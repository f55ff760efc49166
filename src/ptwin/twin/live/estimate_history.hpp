// SPDX-License-Identifier: Apache-2.0
#pragma once
// A bounded, time-ordered history of one patient's estimates: the newest `capacity` points are
// kept and the oldest dropped, so that a twin that lives for weeks holds constant memory. The
// number dropped is counted, so that a reader can say the history is cut. Not thread-safe (the
// live stage holds its lock around it).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "ptwin/core/assert.hpp"
#include "ptwin/twin/live/estimate_point.hpp"

namespace ptwin::twin::live {

class EstimateHistory {
 public:
  explicit EstimateHistory(std::size_t capacity) : capacity_(capacity) {
    PTWIN_ASSERT(capacity > 0, "an estimate history needs room for at least one point");
  }

  /// Appends a point no earlier than the last one (the stage assimilates in time order).
  void push(const EstimatePoint& point) {
    PTWIN_ASSERT(points_.empty() || point.time >= points_.back().time,
                 "estimate history points must come in time order");
    if (points_.size() == capacity_) {
      points_.pop_front();
      ++dropped_;
    }
    points_.push_back(point);
  }

  /// Points with `from <= time < to`, oldest first.
  [[nodiscard]] std::vector<EstimatePoint> between(time::Instant from, time::Instant to) const {
    std::vector<EstimatePoint> out;
    for (const auto& point : points_) {
      if (point.time >= from && point.time < to) out.push_back(point);
    }
    return out;
  }

  [[nodiscard]] std::size_t size() const noexcept { return points_.size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }
  [[nodiscard]] std::uint64_t dropped() const noexcept { return dropped_; }

 private:
  std::size_t capacity_;
  std::deque<EstimatePoint> points_;
  std::uint64_t dropped_ = 0;
};

}  // namespace ptwin::twin::live
