// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/centerline/path_tree.hpp"

#include <fmt/format.h>

#include <cmath>
#include <unordered_map>
#include <utility>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::centerline {
namespace {

struct Place {
  std::size_t segment;
  std::size_t position;
};

class TreeBuilder {
 public:
  TreeBuilder(std::size_t inlet_voxel, const LumenGrid& grid, const std::vector<float>& squared_distance_m2,
              double merge_radii)
      : grid_(grid), squared_distance_m2_(squared_distance_m2), merge_radii_(merge_radii) {
    tree_.nodes.push_back({NodeKind::Inlet, inlet_voxel, 0});
  }

  void add(const std::vector<std::size_t>& path, std::size_t outlet) {
    const std::size_t outlet_node = tree_.nodes.size();
    tree_.nodes.push_back({NodeKind::Outlet, path.back(), outlet});
    if (tree_.segments.empty()) {
      add_segment(path, 0, outlet_node);
      return;
    }
    // Walk back from the outlet to the first voxel within merge_radii local radii of the tree.
    std::size_t at = path.size() - 1;
    std::size_t nearest = path[at];
    while (true) {
      if (owner_.contains(path[at])) {  // path[0] is the inlet voxel, always owned
        nearest = path[at];
        break;
      }
      const double reach_m = merge_radii_ * std::sqrt(static_cast<double>(squared_distance_m2_[path[at]]));
      if (nearest_tree_voxel(path[at], reach_m, nearest)) break;
      --at;
    }
    const Place hit = owner_.at(nearest);
    const std::size_t branch_node = node_at(hit, outlet);
    std::vector<std::size_t> branch{tree_.nodes[branch_node].voxel};
    branch.insert(branch.end(), path.begin() + static_cast<long>(at) + (path[at] == branch.front() ? 1 : 0), path.end());
    add_segment(branch, branch_node, outlet_node);
  }

  VoxelTree take() { return std::move(tree_); }

 private:
  // The tree voxel nearest `voxel` if one lies within `reach_m` (brute force: trees hold a few
  // thousand voxels and this runs once per path voxel until the path joins).
  bool nearest_tree_voxel(std::size_t voxel, double reach_m, std::size_t& nearest) const {
    const auto p = grid_.position_m(voxel);
    double best = reach_m * reach_m;
    bool is_found = false;
    for (const auto& [v, place] : owner_) {
      const auto q = grid_.position_m(v);
      const double d2 = (p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2]);
      if (d2 <= best && (!is_found || d2 < best || v < nearest)) {
        best = d2;
        nearest = v;
        is_found = true;
      }
    }
    return is_found;
  }

  // The node at a tree voxel, splitting the segment there into two when it is not a node yet.
  std::size_t node_at(Place hit, std::size_t outlet) {
    auto& segment = tree_.segments[hit.segment];
    if (hit.position == 0 || hit.position + 1 == segment.voxels.size()) {
      const std::size_t node = hit.position == 0 ? segment.proximal_node : segment.distal_node;
      if (tree_.nodes[node].kind == NodeKind::Inlet) {
        throw InputError(ErrorCode::BadInput, "label volume: lumen", fmt::format("outlet {}", outlet),
                         "branches off at the inlet opening itself; crop or pad the image so that "
                         "the inlet vessel enters the volume before it divides");
      }
      if (tree_.nodes[node].kind == NodeKind::Bifurcation) return node;
      hit.position = segment.voxels.size() - 2;  // an outlet voxel on another path: part just before it
    }
    const std::size_t node = tree_.nodes.size();
    tree_.nodes.push_back({NodeKind::Bifurcation, segment.voxels[hit.position], 0});
    VoxelSegment tail{std::vector<std::size_t>(segment.voxels.begin() + static_cast<long>(hit.position),
                                               segment.voxels.end()),
                      node, segment.distal_node};
    segment.voxels.resize(hit.position + 1);
    segment.distal_node = node;
    const std::size_t tail_index = tree_.segments.size();
    for (std::size_t p = 1; p < tail.voxels.size(); ++p) owner_[tail.voxels[p]] = {tail_index, p};
    tree_.segments.push_back(std::move(tail));
    return node;
  }

  void add_segment(const std::vector<std::size_t>& voxels, std::size_t proximal, std::size_t distal) {
    const std::size_t index = tree_.segments.size();
    for (std::size_t p = 0; p < voxels.size(); ++p) owner_.try_emplace(voxels[p], Place{index, p});
    tree_.segments.push_back({voxels, proximal, distal});
  }

  const LumenGrid& grid_;
  const std::vector<float>& squared_distance_m2_;
  double merge_radii_;
  VoxelTree tree_;
  std::unordered_map<std::size_t, Place> owner_;
};

}  // namespace

VoxelTree merge_paths(const std::vector<std::vector<std::size_t>>& paths, const LumenGrid& grid,
                      const std::vector<float>& squared_distance_m2, double merge_radii) {
  TreeBuilder builder(paths.front().front(), grid, squared_distance_m2, merge_radii);
  for (std::size_t o = 0; o < paths.size(); ++o) builder.add(paths[o], o);
  return builder.take();
}

}  // namespace ptwin::geometry::centerline
