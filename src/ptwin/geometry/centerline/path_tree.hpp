// SPDX-License-Identifier: Apache-2.0
#pragma once
// Merges minimal paths from the inlet to each outlet (minimal_paths.hpp) into a tree of voxel
// segments. Paths of one Dijkstra search share voxels from the inlet on, but in a wide lumen two
// of them may also run side by side, a voxel apart, long before the vessel divides (the cost is
// nearly flat across the core of the lumen). So a path joins the tree where it comes closer to it
// than `merge_radii` times the local radius (the distance map at the path's voxel), walking back
// from its outlet: the tree voxel nearest that point becomes a bifurcation node (the segment that
// held it is split there), and the new branch runs from it along the path to the outlet. A path
// that joins at an existing bifurcation node makes it a trifurcation.

#include <cstddef>
#include <vector>

#include "ptwin/geometry/centerline/lumen_grid.hpp"
#include "ptwin/geometry/centerline/vessel_network.hpp"

namespace ptwin::geometry::centerline {

struct VoxelNode {
  NodeKind kind = NodeKind::Outlet;
  std::size_t voxel = 0;    // crop index
  std::size_t opening = 0;  // index of the path (outlets) or 0 (inlet, bifurcations)
};

struct VoxelSegment {
  std::vector<std::size_t> voxels;  // proximal to distal, both node voxels included
  std::size_t proximal_node = 0;
  std::size_t distal_node = 0;
};

struct VoxelTree {
  std::vector<VoxelNode> nodes;  // nodes[0] is the inlet
  std::vector<VoxelSegment> segments;
};

/// `paths[o]` runs from the inlet voxel (first) to outlet o's voxel (last). Throws InputError
/// when a path joins the tree at the inlet voxel itself (the vessel branches where it enters the
/// volume; the inlet cannot then be a single segment).
[[nodiscard]] VoxelTree merge_paths(const std::vector<std::vector<std::size_t>>& paths, const LumenGrid& grid,
                                    const std::vector<float>& squared_distance_m2, double merge_radii);

}  // namespace ptwin::geometry::centerline
