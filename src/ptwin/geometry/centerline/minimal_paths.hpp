// SPDX-License-Identifier: Apache-2.0
#pragma once
// Where the lumen meets the faces of the volume (the openings: inlet and outlets), and minimal
// paths through the lumen from one opening to the others.
//
// Openings: the lumen voxels on the volume's faces, grouped into 26-connected components; each
// has an area (voxel count times the face pixel area), a centroid and a seed (its voxel farthest
// from the wall, i.e. nearest the vessel's axis).
//
// Paths: Dijkstra on the lumen voxels with 26-connectivity and physical step lengths, edge cost
//   |x_a - x_b| (c_a + c_b) / 2,   c = (h_min / d)^p
// where d is the distance to the wall (distance_map.hpp), h_min the smallest voxel spacing and p
// the cost exponent (2 by default). The cost grows fast away from the medial axis, so minimal
// paths run along it (the medialness cost of Deschamps & Cohen 2001 and of VMTK's centerlines, in
// its simplest form). One search from the inlet gives the tree of minimal paths to every voxel;
// the paths to two outlets share their voxels up to where they part, which is where the network
// branches.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ptwin/geometry/centerline/lumen_grid.hpp"

namespace ptwin::geometry::centerline {

struct LumenOpening {
  std::vector<std::size_t> voxels;  // crop indices
  std::size_t seed = 0;             // the voxel farthest from the wall
  double area_m2 = 0.0;
  Vector3 centroid_m{};
};

/// The openings, largest area first (ties: lowest seed index first, so the order is stable).
[[nodiscard]] std::vector<LumenOpening> find_openings(const LumenGrid& grid,
                                                      const std::vector<float>& squared_distance_m2);

inline constexpr std::uint32_t kUnreached = 0xFFFFFFFFU;

struct MinimalPathTree {
  std::vector<std::uint32_t> predecessor;  // per crop voxel; kUnreached, or itself for the source
  std::size_t reached = 0;                 // voxels reached from the source (its component)
};

/// Minimal paths from `source` to every lumen voxel connected to it.
[[nodiscard]] MinimalPathTree minimal_path_tree(const LumenGrid& grid,
                                                const std::vector<float>& squared_distance_m2,
                                                std::size_t source, double cost_exponent);

/// The path from `target` back to the source (target first); empty when it was not reached.
[[nodiscard]] std::vector<std::size_t> backtrack(const MinimalPathTree& tree, std::size_t target);

}  // namespace ptwin::geometry::centerline
