// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/centerline/stenosis_detection.hpp"

#include <algorithm>
#include <vector>

namespace ptwin::geometry::centerline {
namespace {

// Arc length where the profile crosses `level` between points a (below) and b (above).
double crossing_m(const std::vector<double>& s, const std::vector<double>& r, std::size_t a, std::size_t b, double level) {
  const double span = r[b] - r[a];
  const double t = span != 0.0 ? (level - r[a]) / span : 0.0;
  return s[a] + std::clamp(t, 0.0, 1.0) * (s[b] - s[a]);
}

}  // namespace

std::optional<Stenosis> detect_stenosis(const VesselSegment& segment, double proximal_exclusion_m,
                                        double distal_exclusion_m, const StenosisCriteria& criteria) {
  const auto s = segment.arc_lengths_m();
  const auto& r = segment.radius_m;
  const double end = s.back() - distal_exclusion_m;
  std::size_t first = 0;
  while (first < s.size() && s[first] < proximal_exclusion_m) ++first;
  std::size_t last = s.size();
  while (last > first && s[last - 1] > end) --last;
  if (last <= first + 2) return std::nullopt;

  std::vector<double> trusted(r.begin() + static_cast<long>(first), r.begin() + static_cast<long>(last));
  std::nth_element(trusted.begin(), trusted.begin() + static_cast<long>(trusted.size() / 2), trusted.end());
  const double median = trusted[trusted.size() / 2];
  std::size_t deepest = first;
  for (std::size_t p = first; p < last; ++p) {
    if (r[p] < r[deepest]) deepest = p;
  }
  const double lesion_level = (1.0 - 0.5 * criteria.min_diameter_reduction) * median;
  std::size_t lesion_begin = deepest, lesion_end = deepest;  // inclusive
  while (lesion_begin > first && r[lesion_begin - 1] < lesion_level) --lesion_begin;
  while (lesion_end + 1 < last && r[lesion_end + 1] < lesion_level) ++lesion_end;

  const double window_m = criteria.reference_window_radii * median;
  double sum = 0.0;
  std::size_t count = 0;
  for (std::size_t p = first; p < last; ++p) {
    const bool is_before = p < lesion_begin && s[p] >= s[lesion_begin] - window_m;
    const bool is_after = p > lesion_end && s[p] <= s[lesion_end] + window_m;
    if (is_before || is_after) {
      sum += r[p];
      ++count;
    }
  }
  const double reference = count > 0 ? sum / static_cast<double>(count) : median;
  const double reduction = 1.0 - r[deepest] / reference;
  if (!(reduction >= criteria.min_diameter_reduction)) return std::nullopt;

  // Full width at half depth, interpolated between points, within the trusted part.
  const double half = reference - 0.5 * (reference - r[deepest]);
  std::size_t a = deepest, b = deepest;
  while (a > first && r[a - 1] < half) --a;
  while (b + 1 < last && r[b + 1] < half) ++b;
  const double begin_m = a > first ? crossing_m(s, r, a, a - 1, half) : s[a];
  const double end_m = b + 1 < last ? crossing_m(s, r, b, b + 1, half) : s[b];

  Stenosis stenosis;
  stenosis.point_index = deepest;
  stenosis.arc_length_m = s[deepest];
  stenosis.position_m = segment.points_m[deepest];
  stenosis.minimal_radius_m = r[deepest];
  stenosis.reference_radius_m = reference;
  stenosis.diameter_reduction = reduction;
  stenosis.length_m = end_m - begin_m;
  return stenosis;
}

}  // namespace ptwin::geometry::centerline
