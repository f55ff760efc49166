// SPDX-License-Identifier: Apache-2.0
#pragma once
// Exact Euclidean distance transform of the lumen on an anisotropic grid: for every voxel, the
// squared distance (m^2) from its centre to the nearest background voxel centre.
//
// Method: Felzenszwalb & Huttenlocher (2012), "Distance transforms of sampled functions",
// Theory of Computing 8:415-428 (felzenszwalb2012distance): the squared EDT is separable, and
// each 1D pass is the lower envelope of parabolas f(q) + (x - x_q)^2, O(n) per line, so the 3D
// transform is O(voxels) and exact (no chamfer approximation) for any voxel spacing.
// Hand-written rather than ITK's SignedMaurerDistanceMapImageFilter because it is 60 lines on
// our own crop (no copy into an itk::Image, no ITK headers in this area), gives the same exact
// distances, and its cost is measured in bench/geometry/centerline_bench.cpp.
//
// Sub-voxel meaning: the lumen wall lies between a lumen voxel centre and its background
// neighbour's, so the distance to the wall is this distance minus about half a voxel; the
// centerline code uses the map as a medialness cost and a search radius, and measures radii
// from cross-sections instead (cross_section.hpp).

#include <vector>

#include "ptwin/geometry/centerline/lumen_grid.hpp"

namespace ptwin::geometry::centerline {

/// Squared distance (m^2) per crop voxel; +infinity everywhere when the crop has no background.
[[nodiscard]] std::vector<float> squared_distance_to_background(const LumenGrid& grid);

}  // namespace ptwin::geometry::centerline
