// SPDX-License-Identifier: Apache-2.0
#pragma once
// ITK's SignedMaurerDistanceMapImageFilter on a LumenGrid: the peer that the hand-written exact
// distance map (geometry/centerline/distance_map.hpp) is measured against. ITK headers stay in
// the .cpp.

#include <vector>

#include "ptwin/geometry/centerline/lumen_grid.hpp"

namespace ptwin::bench {

/// Squared distance (m^2) from each lumen voxel centre to the nearest background voxel centre,
/// by ITK (Maurer et al. 2003), with the grid's spacing; 0 on background voxels.
[[nodiscard]] std::vector<float> itk_squared_distance(const geometry::centerline::LumenGrid& grid);

}  // namespace ptwin::bench
