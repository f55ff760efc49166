// SPDX-License-Identifier: Apache-2.0
#pragma once
// The undirected edges of a triangle soup with the triangles using each, shared by the surface
// check and repair.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <unordered_map>
#include <vector>

namespace ptwin::geometry::surface::detail {

struct HalfEdge {
  std::uint32_t low = 0, high = 0;  // vertex ids, low < high
  std::uint32_t triangle = 0;
  bool is_forward = false;  // the triangle traverses low -> high
};

/// Half-edges sorted by (low, high): the uses of one edge are consecutive.
inline std::vector<HalfEdge> sorted_half_edges(
    const std::vector<std::array<std::uint32_t, 3>>& triangles) {
  std::vector<HalfEdge> edges;
  edges.reserve(3 * triangles.size());
  for (std::size_t t = 0; t < triangles.size(); ++t) {
    for (int e = 0; e < 3; ++e) {
      const std::uint32_t a = triangles[t][static_cast<std::size_t>(e)];
      const std::uint32_t b = triangles[t][static_cast<std::size_t>((e + 1) % 3)];
      if (a == b) continue;
      edges.push_back({std::min(a, b), std::max(a, b), static_cast<std::uint32_t>(t), a < b});
    }
  }
  std::sort(edges.begin(), edges.end(), [](const HalfEdge& x, const HalfEdge& y) {
    return x.low != y.low ? x.low < y.low
                          : (x.high != y.high ? x.high < y.high : x.triangle < y.triangle);
  });
  return edges;
}

/// Calls `visit(first, last)` for each run of half-edges of one undirected edge.
template <typename Visit>
void for_each_edge(const std::vector<HalfEdge>& edges, Visit&& visit) {
  std::size_t first = 0;
  while (first < edges.size()) {
    std::size_t last = first + 1;
    while (last < edges.size() && edges[last].low == edges[first].low &&
           edges[last].high == edges[first].high) {
      ++last;
    }
    visit(first, last);
    first = last;
  }
}

/// Union-find over n elements.
class DisjointSets {
 public:
  explicit DisjointSets(std::size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), std::size_t{0});
  }
  std::size_t find(std::size_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  bool unite(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return false;
    parent_[b] = a;
    return true;
  }

 private:
  std::vector<std::size_t> parent_;
};

/// Calls visit(v, fan, sets) for each vertex v < point_count used by two or more triangles:
/// `fan` lists the triangles around v (as they were on entry), and `sets` joins the positions in
/// `fan` of triangles that share an edge (v, w), so that each set is one fan of triangles (a
/// manifold vertex has one, a pinched vertex more). The triangles' vertices are read as the loop
/// reaches them, so `visit` may renumber those of the fan it is given.
template <typename Visit>
void for_each_vertex_fan(const std::vector<std::array<std::uint32_t, 3>>& triangles,
                         std::size_t point_count, Visit&& visit) {
  std::vector<std::vector<std::uint32_t>> around(point_count);
  for (std::size_t t = 0; t < triangles.size(); ++t) {
    for (const auto v : triangles[t]) {
      if (v < point_count) around[v].push_back(static_cast<std::uint32_t>(t));
    }
  }
  std::unordered_map<std::uint32_t, std::size_t> first_by_other;
  for (std::size_t v = 0; v < point_count; ++v) {
    const auto& fan = around[v];
    if (fan.size() < 2) continue;
    DisjointSets sets(fan.size());
    first_by_other.clear();
    for (std::size_t n = 0; n < fan.size(); ++n) {
      for (const auto w : triangles[fan[n]]) {
        if (w == v) continue;
        const auto [it, inserted] = first_by_other.emplace(w, n);
        if (!inserted) sets.unite(it->second, n);
      }
    }
    visit(static_cast<std::uint32_t>(v), fan, sets);
  }
}

}  // namespace ptwin::geometry::surface::detail
