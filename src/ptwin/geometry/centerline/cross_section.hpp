// SPDX-License-Identifier: Apache-2.0
#pragma once
// The lumen cut by the plane normal to the centerline at a point, measured by rays: from the
// point, `rays` rays at equal angles in the plane march outwards through the mask interpolated
// trilinearly (LumenGrid::sample) until it falls below 1/2, the crossing refined by bisection.
// For a binary mask the 1/2 level of the interpolant lies halfway between a lumen voxel centre
// and a background one, the unbiased estimate of the wall at the mask's resolution.
//
//   area        A = sum_i r_i^2 dtheta / 2      (sectors: exact for a circle about the point)
//   radius      r_eq = sqrt(A / pi)             (the cross-sectional equivalent radius)
//   centroid    of the polygon of the ray ends (used to re-centre the centerline)
//
// A ray stops at the first wall it meets, so a neighbouring vessel beyond the wall does not
// count; at a bifurcation the plane cuts both daughters' common lumen and the area is that of
// the union, which is why radii there are not used for stenosis reference (stenosis.hpp).

#include "ptwin/geometry/centerline/lumen_grid.hpp"

namespace ptwin::geometry::centerline {

struct CrossSection {
  bool is_centre_inside = false;  // the point lies in the lumen (mask >= 1/2); else no measure
  double area_m2 = 0.0;
  double equivalent_radius_m = 0.0;
  Vector3 centroid_m{};
};

/// Measures the cross-section at `centre_m` normal to `tangent` (any length > 0); rays stop at
/// `max_radius_m` at the latest.
[[nodiscard]] CrossSection measure_cross_section(const LumenGrid& grid, const Vector3& centre_m,
                                                 const Vector3& tangent, int rays, double max_radius_m);

}  // namespace ptwin::geometry::centerline
