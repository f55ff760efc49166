// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/surface/surface_repair.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/surface/detail/edge_table.hpp"
#include "ptwin/geometry/surface/surface_check.hpp"

namespace ptwin::geometry::surface {
namespace {

using Triangle = std::array<std::uint32_t, 3>;

// Keeps the triangles (and labels) for which keep[t] is true.
void keep_triangles(TriangleSurface& surface, std::vector<std::int32_t>& labels,
                    const std::vector<bool>& keep) {
  std::size_t out = 0;
  for (std::size_t t = 0; t < surface.triangles.size(); ++t) {
    if (!keep[t]) continue;
    surface.triangles[out] = surface.triangles[t];
    if (!labels.empty()) labels[out] = labels[t];
    ++out;
  }
  surface.triangles.resize(out);
  if (!labels.empty()) labels.resize(out);
}

std::size_t merge_points(TriangleSurface& surface, double tolerance_m) {
  std::map<std::array<long long, 3>, std::uint32_t> by_cell;
  std::vector<std::uint32_t> remap(surface.points_m.size());
  std::size_t merged = 0;
  for (std::size_t p = 0; p < surface.points_m.size(); ++p) {
    std::array<long long, 3> cell{};
    for (std::size_t a = 0; a < 3; ++a)
      cell[a] = std::llround(surface.points_m[p][a] / tolerance_m);
    const auto [it, inserted] = by_cell.emplace(cell, static_cast<std::uint32_t>(p));
    remap[p] = it->second;
    if (!inserted) ++merged;
  }
  for (auto& t : surface.triangles) {
    for (auto& v : t) v = remap[v];
  }
  return merged;
}

void drop_degenerate_and_duplicates(TriangleSurface& surface, std::vector<std::int32_t>& labels,
                                    SurfaceRepairReport& report) {
  std::vector<bool> keep(surface.triangles.size(), true);
  std::set<Triangle> seen;
  for (std::size_t t = 0; t < surface.triangles.size(); ++t) {
    const auto& tri = surface.triangles[t];
    const auto& a = surface.points_m[tri[0]];
    const Vector3 ab{surface.points_m[tri[1]][0] - a[0], surface.points_m[tri[1]][1] - a[1],
                     surface.points_m[tri[1]][2] - a[2]};
    const Vector3 ac{surface.points_m[tri[2]][0] - a[0], surface.points_m[tri[2]][1] - a[1],
                     surface.points_m[tri[2]][2] - a[2]};
    const Vector3 normal = ingest::dicom::cross(ab, ac);
    if (tri[0] == tri[1] || tri[1] == tri[2] || tri[0] == tri[2] ||
        ingest::dicom::dot(normal, normal) == 0.0) {
      keep[t] = false;
      ++report.removed_degenerate_triangles;
      continue;
    }
    Triangle sorted = tri;
    std::sort(sorted.begin(), sorted.end());
    if (!seen.insert(sorted).second) {
      keep[t] = false;
      ++report.removed_duplicate_triangles;
    }
  }
  keep_triangles(surface, labels, keep);
}

void drop_non_manifold(TriangleSurface& surface, std::vector<std::int32_t>& labels,
                       SurfaceRepairReport& report) {
  const auto edges = detail::sorted_half_edges(surface.triangles);
  std::vector<bool> keep(surface.triangles.size(), true);
  detail::for_each_edge(edges, [&](std::size_t first, std::size_t last) {
    if (last - first <= 2) return;
    for (std::size_t n = first; n < last; ++n) {
      if (keep[edges[n].triangle]) ++report.removed_non_manifold_triangles;
      keep[edges[n].triangle] = false;
    }
  });
  keep_triangles(surface, labels, keep);
}

// Gives every fan but the first around a pinched vertex its own copy of the point, so that
// surfaces touching at a point separate there.
std::size_t split_pinched_vertices(TriangleSurface& surface) {
  std::size_t split = 0;
  detail::for_each_vertex_fan(
      surface.triangles, surface.points_m.size(),
      [&](std::uint32_t v, const std::vector<std::uint32_t>& fan, detail::DisjointSets& sets) {
        const std::size_t keep_root = sets.find(0);
        std::unordered_map<std::size_t, std::uint32_t> copy_of_root;
        for (std::size_t n = 0; n < fan.size(); ++n) {
          const std::size_t root = sets.find(n);
          if (root == keep_root) continue;
          auto [it, inserted] = copy_of_root.emplace(root, 0);
          if (inserted) {
            it->second = static_cast<std::uint32_t>(surface.points_m.size());
            const auto point = surface.points_m[v];
            surface.points_m.push_back(point);
            ++split;
          }
          for (auto& corner : surface.triangles[fan[n]]) {
            if (corner == v) corner = it->second;
          }
        }
      });
  return split;
}

void fill_holes(TriangleSurface& surface, std::vector<std::int32_t>& labels,
                SurfaceRepairReport& report) {
  const auto edges = detail::sorted_half_edges(surface.triangles);
  // For a boundary edge traversed a -> b by its triangle, the hole runs b -> a.
  std::unordered_multimap<std::uint32_t, std::uint32_t> hole_next;
  detail::for_each_edge(edges, [&](std::size_t first, std::size_t last) {
    if (last - first != 1) return;
    const auto& e = edges[first];
    const std::uint32_t a = e.is_forward ? e.low : e.high;
    const std::uint32_t b = e.is_forward ? e.high : e.low;
    hole_next.emplace(b, a);
  });
  while (!hole_next.empty()) {
    std::vector<std::uint32_t> loop{hole_next.begin()->first};
    while (true) {
      const auto it = hole_next.find(loop.back());
      if (it == hole_next.end()) break;  // an open chain (pinched boundary): give up on it
      const std::uint32_t next = it->second;
      hole_next.erase(it);
      if (next == loop.front()) break;
      loop.push_back(next);
    }
    if (loop.size() < 3) continue;
    Vector3 centroid{0.0, 0.0, 0.0};
    for (const auto v : loop) {
      for (std::size_t a = 0; a < 3; ++a) centroid[a] += surface.points_m[v][a];
    }
    for (auto& c : centroid) c /= static_cast<double>(loop.size());
    const auto centre = static_cast<std::uint32_t>(surface.points_m.size());
    surface.points_m.push_back(centroid);
    for (std::size_t n = 0; n < loop.size(); ++n) {
      surface.triangles.push_back({loop[n], loop[(n + 1) % loop.size()], centre});
      if (!labels.empty()) labels.push_back(kWallLabel);
      ++report.fill_triangles_added;
    }
    ++report.filled_holes;
  }
}

// Flips triangles so that each manifold edge is traversed both ways, then each component so that
// it encloses a positive volume.
void orient(TriangleSurface& surface, SurfaceRepairReport& report) {
  const std::size_t count = surface.triangles.size();
  const auto edges = detail::sorted_half_edges(surface.triangles);
  std::vector<std::vector<std::pair<std::uint32_t, bool>>> neighbours(
      count);  // (other, same direction)
  detail::for_each_edge(edges, [&](std::size_t first, std::size_t last) {
    if (last - first != 2) return;
    const bool same = edges[first].is_forward == edges[first + 1].is_forward;
    neighbours[edges[first].triangle].emplace_back(edges[first + 1].triangle, same);
    neighbours[edges[first + 1].triangle].emplace_back(edges[first].triangle, same);
  });
  std::vector<int> component(count, -1);
  std::vector<bool> flip(count, false);
  std::vector<double> six_volume;
  std::vector<std::uint32_t> stack;
  for (std::size_t start = 0; start < count; ++start) {
    if (component[start] >= 0) continue;
    const int id = static_cast<int>(six_volume.size());
    six_volume.push_back(0.0);
    component[start] = id;
    stack.push_back(static_cast<std::uint32_t>(start));
    while (!stack.empty()) {
      const auto t = stack.back();
      stack.pop_back();
      for (const auto& [other, same] : neighbours[t]) {
        if (component[other] >= 0) continue;
        component[other] = id;
        flip[other] = same ? !flip[t] : flip[t];
        stack.push_back(other);
      }
    }
  }
  for (std::size_t t = 0; t < count; ++t) {
    if (flip[t]) std::swap(surface.triangles[t][1], surface.triangles[t][2]);
    const auto& tri = surface.triangles[t];
    six_volume[static_cast<std::size_t>(component[t])] += ingest::dicom::dot(
        surface.points_m[tri[0]],
        ingest::dicom::cross(surface.points_m[tri[1]], surface.points_m[tri[2]]));
  }
  for (std::size_t t = 0; t < count; ++t) {
    const bool is_inward = six_volume[static_cast<std::size_t>(component[t])] < 0.0;
    if (is_inward) std::swap(surface.triangles[t][1], surface.triangles[t][2]);
    if (flip[t] != is_inward) ++report.flipped_triangles;
  }
}

std::size_t drop_unused_points(TriangleSurface& surface) {
  constexpr auto kUnused = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> remap(surface.points_m.size(), kUnused);
  for (const auto& t : surface.triangles) {
    for (const auto v : t) remap[v] = 0;
  }
  std::uint32_t next = 0;
  for (std::size_t p = 0; p < remap.size(); ++p) {
    if (remap[p] == kUnused) continue;
    remap[p] = next;
    surface.points_m[next] = surface.points_m[p];
    ++next;
  }
  const std::size_t removed = surface.points_m.size() - next;
  surface.points_m.resize(next);
  for (auto& t : surface.triangles) {
    for (auto& v : t) v = remap[v];
  }
  return removed;
}

}  // namespace

std::string SurfaceRepairReport::summary() const {
  return fmt::format(
      "merged_points={} removed_degenerate={} removed_duplicate={} removed_non_manifold={} "
      "split_pinched_vertices={} filled_holes={} fill_triangles={} flipped={} "
      "removed_unused_points={}",
      merged_points, removed_degenerate_triangles, removed_duplicate_triangles,
      removed_non_manifold_triangles, split_pinched_vertices, filled_holes, fill_triangles_added,
      flipped_triangles, removed_unused_points);
}

SurfaceRepairReport repair_surface(TriangleSurface& surface, SurfaceFaceLabels& labels,
                                   double merge_tolerance_m) {
  if (!labels.per_triangle.empty() && labels.per_triangle.size() != surface.triangles.size()) {
    throw InputError(ErrorCode::BadInput, "surface repair: labels.per_triangle",
                     fmt::format("{} labels", labels.per_triangle.size()),
                     fmt::format("one label per triangle ({})", surface.triangles.size()));
  }
  if (!(merge_tolerance_m > 0.0)) {
    throw InputError(ErrorCode::BadInput, "surface repair: merge_tolerance_m",
                     fmt::format("{}", merge_tolerance_m), "greater than 0");
  }
  (void)check_surface(surface,
                      {.find_self_intersections = false, .intersection_tolerance_fraction = 0.0});
  SurfaceRepairReport report;
  report.merged_points = merge_points(surface, merge_tolerance_m);
  drop_degenerate_and_duplicates(surface, labels.per_triangle, report);
  drop_non_manifold(surface, labels.per_triangle, report);
  report.split_pinched_vertices = split_pinched_vertices(surface);
  fill_holes(surface, labels.per_triangle, report);
  orient(surface, report);
  report.removed_unused_points = drop_unused_points(surface);
  return report;
}

}  // namespace ptwin::geometry::surface
