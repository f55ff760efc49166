// SPDX-License-Identifier: Apache-2.0
#pragma once
// Merges minimal paths from the inlet to each outlet (minimal_paths.hpp) into a tree of voxel
// segments. Paths from one Dijkstra search share their voxels from the inlet up to the voxel
// where they part; that voxel becomes a bifurcation node, and the segment that held it is split
// there. A path that parts at an existing bifurcation node joins it (a trifurcation).

#include <cstddef>
#include <vector>

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
/// when two paths part at the inlet voxel itself (the vessel branches where it enters the
/// volume; the inlet cannot then be a single segment).
[[nodiscard]] VoxelTree merge_paths(const std::vector<std::vector<std::size_t>>& paths);

}  // namespace ptwin::geometry::centerline
