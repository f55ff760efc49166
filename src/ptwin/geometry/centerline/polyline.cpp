// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/centerline/polyline.hpp"

#include <algorithm>
#include <cmath>

namespace ptwin::geometry::centerline {

std::vector<Vector3> resample(const std::vector<Vector3>& points, double step_m) {
  std::vector<double> s(points.size(), 0.0);
  for (std::size_t p = 1; p < points.size(); ++p) {
    double d2 = 0.0;
    for (int a = 0; a < 3; ++a) d2 += (points[p][a] - points[p - 1][a]) * (points[p][a] - points[p - 1][a]);
    s[p] = s[p - 1] + std::sqrt(d2);
  }
  const double length = s.back();
  const auto pieces = std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(length / step_m)));
  std::vector<Vector3> out;
  out.reserve(pieces + 1);
  out.push_back(points.front());
  std::size_t at = 1;
  for (std::size_t m = 1; m < pieces; ++m) {
    const double target = length * static_cast<double>(m) / static_cast<double>(pieces);
    while (at + 1 < s.size() && s[at] < target) ++at;
    const double span = s[at] - s[at - 1];
    const double t = span > 0.0 ? (target - s[at - 1]) / span : 0.0;
    Vector3 p{};
    for (int a = 0; a < 3; ++a) p[a] = points[at - 1][a] + t * (points[at][a] - points[at - 1][a]);
    out.push_back(p);
  }
  out.push_back(points.back());
  return out;
}

std::vector<Vector3> smooth(const std::vector<Vector3>& points, double sigma_points) {
  if (sigma_points <= 0.0 || points.size() < 3) return points;
  const auto reach = static_cast<long>(std::ceil(3.0 * sigma_points));
  const auto n = static_cast<long>(points.size());
  std::vector<Vector3> out(points.size());
  for (long i = 0; i < n; ++i) {
    const long half = std::min({reach, i, n - 1 - i});
    Vector3 sum{0.0, 0.0, 0.0};
    double weight = 0.0;
    for (long d = -half; d <= half; ++d) {
      const double w = std::exp(-0.5 * static_cast<double>(d * d) / (sigma_points * sigma_points));
      for (int a = 0; a < 3; ++a) sum[a] += w * points[static_cast<std::size_t>(i + d)][a];
      weight += w;
    }
    for (int a = 0; a < 3; ++a) out[static_cast<std::size_t>(i)][a] = sum[a] / weight;
  }
  return out;
}

}  // namespace ptwin::geometry::centerline
