// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/centerline/path_tree.hpp"

#include <fmt/format.h>

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
  explicit TreeBuilder(std::size_t inlet_voxel) { tree_.nodes.push_back({NodeKind::Inlet, inlet_voxel, 0}); }

  void add(const std::vector<std::size_t>& path, std::size_t outlet) {
    const std::size_t outlet_node = tree_.nodes.size();
    tree_.nodes.push_back({NodeKind::Outlet, path.back(), outlet});
    if (tree_.segments.empty()) {
      add_segment(path, 0, outlet_node);
      return;
    }
    // Walk back from the outlet to the first voxel already in the tree.
    std::size_t at = path.size() - 1;
    while (!owner_.contains(path[at])) --at;  // path[0] is the inlet voxel, always owned
    const Place hit = owner_.at(path[at]);
    const std::size_t branch_node = node_at(hit, outlet);
    std::vector<std::size_t> branch(path.begin() + static_cast<long>(at), path.end());
    add_segment(branch, branch_node, outlet_node);
  }

  VoxelTree take() { return std::move(tree_); }

 private:
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

  VoxelTree tree_;
  std::unordered_map<std::size_t, Place> owner_;
};

}  // namespace

VoxelTree merge_paths(const std::vector<std::vector<std::size_t>>& paths) {
  TreeBuilder builder(paths.front().front());
  for (std::size_t o = 0; o < paths.size(); ++o) builder.add(paths[o], o);
  return builder.take();
}

}  // namespace ptwin::geometry::centerline
