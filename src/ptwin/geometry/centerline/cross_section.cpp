// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/centerline/cross_section.hpp"

#include <array>
#include <cmath>
#include <numbers>
#include <vector>

namespace ptwin::geometry::centerline {
namespace {

using ingest::dicom::cross;
using ingest::dicom::dot;

Vector3 normalised(const Vector3& v) {
  const double n = std::sqrt(dot(v, v));
  return {v[0] / n, v[1] / n, v[2] / n};
}

Vector3 along(const Vector3& p, const Vector3& d, double t) { return {p[0] + t * d[0], p[1] + t * d[1], p[2] + t * d[2]}; }

// Distance along the ray to the first crossing of the 1/2 level: march by `step`, then bisect.
double ray_length_m(const LumenGrid& grid, const Vector3& centre, const Vector3& direction, double step_m,
                    double max_radius_m) {
  double inside = 0.0;
  for (double t = step_m; t <= max_radius_m; t += step_m) {
    if (grid.sample(along(centre, direction, t)) >= 0.5) {
      inside = t;
      continue;
    }
    double outside = t;
    for (int i = 0; i < 6; ++i) {  // step / 64: far below the voxel-level error of the wall
      const double mid = 0.5 * (inside + outside);
      (grid.sample(along(centre, direction, mid)) >= 0.5 ? inside : outside) = mid;
    }
    return 0.5 * (inside + outside);
  }
  return max_radius_m;
}

}  // namespace

CrossSection measure_cross_section(const LumenGrid& grid, const Vector3& centre_m, const Vector3& tangent, int rays,
                                   double max_radius_m) {
  CrossSection section;
  section.is_centre_inside = grid.sample(centre_m) >= 0.5;
  if (!section.is_centre_inside) return section;
  const Vector3 t = normalised(tangent);
  // Any unit vector not parallel to t spans the plane with t x it.
  const Vector3 helper = std::abs(t[0]) < 0.9 ? Vector3{1.0, 0.0, 0.0} : Vector3{0.0, 1.0, 0.0};
  const Vector3 u = normalised(cross(t, helper));
  const Vector3 v = cross(t, u);
  const double dtheta = 2.0 * std::numbers::pi / rays;
  const double step_m = 0.25 * grid.min_spacing_m();
  std::vector<std::array<double, 2>> ends(static_cast<std::size_t>(rays));
  for (int r = 0; r < rays; ++r) {
    const double theta = r * dtheta;
    const Vector3 d{std::cos(theta) * u[0] + std::sin(theta) * v[0], std::cos(theta) * u[1] + std::sin(theta) * v[1],
                    std::cos(theta) * u[2] + std::sin(theta) * v[2]};
    const double length = ray_length_m(grid, centre_m, d, step_m, max_radius_m);
    section.area_m2 += 0.5 * length * length * dtheta;
    ends[static_cast<std::size_t>(r)] = {length * std::cos(theta), length * std::sin(theta)};
  }
  section.equivalent_radius_m = std::sqrt(section.area_m2 / std::numbers::pi);
  // Polygon centroid (shoelace) in the (u, v) plane.
  double twice_area = 0.0, cu = 0.0, cv = 0.0;
  for (std::size_t a = 0; a < ends.size(); ++a) {
    const auto& p = ends[a];
    const auto& q = ends[(a + 1) % ends.size()];
    const double w = p[0] * q[1] - q[0] * p[1];
    twice_area += w;
    cu += (p[0] + q[0]) * w;
    cv += (p[1] + q[1]) * w;
  }
  section.centroid_m = centre_m;
  if (twice_area > 0.0) {
    cu /= 3.0 * twice_area;
    cv /= 3.0 * twice_area;
    for (int a = 0; a < 3; ++a) section.centroid_m[a] += cu * u[a] + cv * v[a];
  }
  return section;
}

}  // namespace ptwin::geometry::centerline
