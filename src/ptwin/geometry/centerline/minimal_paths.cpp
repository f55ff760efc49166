// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/centerline/minimal_paths.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

namespace ptwin::geometry::centerline {
namespace {

struct Neighbour {
  std::array<int, 3> step;
  double length_m;
};

std::vector<Neighbour> neighbours_26(const LumenGrid& grid) {
  std::vector<Neighbour> out;
  for (int dk = -1; dk <= 1; ++dk) {
    for (int dj = -1; dj <= 1; ++dj) {
      for (int di = -1; di <= 1; ++di) {
        if (di == 0 && dj == 0 && dk == 0) continue;
        const auto& h = grid.geometry.spacing_m;
        out.push_back({{di, dj, dk}, std::sqrt(di * di * h[0] * h[0] + dj * dj * h[1] * h[1] + dk * dk * h[2] * h[2])});
      }
    }
  }
  return out;
}

// Calls visit(neighbour_index, step_length_m) for each in-crop 26-neighbour of `index`.
template <typename Visit>
void for_each_neighbour(const LumenGrid& grid, const std::vector<Neighbour>& steps, std::size_t index, Visit&& visit) {
  const auto c = grid.coordinates(index);
  for (const auto& n : steps) {
    std::array<std::size_t, 3> at{};
    bool is_inside = true;
    for (int a = 0; a < 3; ++a) {
      const auto v = static_cast<long long>(c[a]) + n.step[a];
      is_inside = is_inside && v >= 0 && v < static_cast<long long>(grid.size[a]);
      at[a] = static_cast<std::size_t>(std::max(v, 0LL));
    }
    if (is_inside) visit(grid.index(at[0], at[1], at[2]), n.length_m);
  }
}

double face_pixel_area_m2(const LumenGrid& grid, std::size_t index) {
  const auto c = grid.coordinates(index);
  const auto& h = grid.geometry.spacing_m;
  for (int a = 0; a < 3; ++a) {
    const auto v = c[a] + grid.offset[a];
    if (v == 0 || v + 1 == grid.geometry.size[a]) return h[(a + 1) % 3] * h[(a + 2) % 3];
  }
  return 0.0;
}

}  // namespace

std::vector<LumenOpening> find_openings(const LumenGrid& grid, const std::vector<float>& squared_distance_m2) {
  const auto steps = neighbours_26(grid);
  std::vector<bool> is_face_lumen(grid.voxel_count(), false);
  for (std::size_t v = 0; v < grid.voxel_count(); ++v) {
    is_face_lumen[v] = grid.mask[v] != 0 && grid.is_on_volume_face(v);
  }
  std::vector<LumenOpening> openings;
  std::vector<std::size_t> stack;
  for (std::size_t start = 0; start < grid.voxel_count(); ++start) {
    if (!is_face_lumen[start]) continue;
    LumenOpening opening;
    is_face_lumen[start] = false;
    stack.push_back(start);
    Vector3 weighted{0.0, 0.0, 0.0};
    while (!stack.empty()) {
      const auto v = stack.back();
      stack.pop_back();
      opening.voxels.push_back(v);
      const double area = face_pixel_area_m2(grid, v);
      opening.area_m2 += area;
      const auto p = grid.position_m(v);
      for (int a = 0; a < 3; ++a) weighted[a] += area * p[a];
      if (squared_distance_m2[v] > squared_distance_m2[opening.seed] || opening.voxels.size() == 1) opening.seed = v;
      for_each_neighbour(grid, steps, v, [&](std::size_t n, double) {
        if (is_face_lumen[n]) {
          is_face_lumen[n] = false;
          stack.push_back(n);
        }
      });
    }
    for (int a = 0; a < 3; ++a) opening.centroid_m[a] = weighted[a] / opening.area_m2;
    openings.push_back(std::move(opening));
  }
  std::stable_sort(openings.begin(), openings.end(),
                   [](const auto& a, const auto& b) { return a.area_m2 > b.area_m2; });
  return openings;
}

MinimalPathTree minimal_path_tree(const LumenGrid& grid, const std::vector<float>& squared_distance_m2,
                                  std::size_t source, double cost_exponent) {
  const auto steps = neighbours_26(grid);
  const double h_min = grid.min_spacing_m();
  std::vector<double> unit_cost(grid.voxel_count(), 0.0);
  for (std::size_t v = 0; v < grid.voxel_count(); ++v) {
    if (grid.mask[v] == 0) continue;
    const double d = std::sqrt(static_cast<double>(squared_distance_m2[v]));
    unit_cost[v] = std::pow(h_min / std::max(d, 0.5 * h_min), cost_exponent);
  }
  MinimalPathTree tree;
  tree.predecessor.assign(grid.voxel_count(), kUnreached);
  std::vector<double> cost(grid.voxel_count(), std::numeric_limits<double>::infinity());
  std::vector<bool> is_settled(grid.voxel_count(), false);
  using Entry = std::pair<double, std::size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
  cost[source] = 0.0;
  tree.predecessor[source] = static_cast<std::uint32_t>(source);
  queue.emplace(0.0, source);
  while (!queue.empty()) {
    // Plain locals, not a structured binding: clang 16 cannot capture bindings in the lambda.
    const double c = queue.top().first;
    const std::size_t v = queue.top().second;
    queue.pop();
    if (is_settled[v]) continue;  // a stale entry: the voxel was reached more cheaply since
    is_settled[v] = true;
    ++tree.reached;
    for_each_neighbour(grid, steps, v, [&](std::size_t n, double length_m) {
      if (grid.mask[n] == 0 || is_settled[n]) return;
      const double candidate = c + length_m * 0.5 * (unit_cost[v] + unit_cost[n]);
      if (candidate < cost[n]) {
        cost[n] = candidate;
        tree.predecessor[n] = static_cast<std::uint32_t>(v);
        queue.emplace(candidate, n);
      }
    });
  }
  return tree;
}

std::vector<std::size_t> backtrack(const MinimalPathTree& tree, std::size_t target) {
  std::vector<std::size_t> path;
  if (tree.predecessor[target] == kUnreached) return path;
  std::size_t v = target;
  path.push_back(v);
  while (tree.predecessor[v] != v) {
    v = tree.predecessor[v];
    path.push_back(v);
  }
  return path;
}

}  // namespace ptwin::geometry::centerline
