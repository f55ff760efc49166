// SPDX-License-Identifier: Apache-2.0
#pragma once
// The undirected edges of a triangle soup with the triangles using each, shared by the surface
// check and repair.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <numeric>
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

}  // namespace ptwin::geometry::surface::detail
