// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/mesh/gmsh_surface_remesher.hpp"

#include <gmsh.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <iterator>
#include <set>
#include <utility>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/mesh/detail/gmsh_session.hpp"
#include "ptwin/geometry/mesh/detail/gmsh_surface_remeshing.hpp"
#include "ptwin/geometry/mesh/gmsh_tetra_mesher.hpp"

namespace ptwin::geometry::mesh {
namespace {

using detail::gmsh_step;
using ingest::dicom::cross;
using ingest::dicom::dot;
using Triangle = std::array<std::uint32_t, 3>;

constexpr int kTriangleType = 2;  // Gmsh element type: 3-node triangle
constexpr int kMaxFlipPasses = 10;

Vector3 minus(const Vector3& a, const Vector3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }

Vector3 normal_of(const std::vector<Vector3>& points, const Triangle& t) {
  return cross(minus(points[t[1]], points[t[0]]), minus(points[t[2]], points[t[0]]));
}

double angle_deg(const Vector3& u, const Vector3& v) {
  const double cosine = dot(u, v) / std::sqrt(dot(u, u) * dot(v, v));
  return std::acos(std::clamp(cosine, -1.0, 1.0)) * 180.0 / std::numbers::pi;
}

double min_angle_deg(const std::vector<Vector3>& points, const Triangle& t) {
  double smallest = 180.0;
  for (std::size_t i = 0; i < 3; ++i) {
    const Vector3& at = points[t[i]];
    smallest = std::min(smallest, angle_deg(minus(points[t[(i + 1) % 3]], at),
                                            minus(points[t[(i + 2) % 3]], at)));
  }
  return smallest;
}

std::uint64_t edge_key(std::uint32_t a, std::uint32_t b) {
  return (static_cast<std::uint64_t>(std::min(a, b)) << 32U) | std::max(a, b);
}

void set_options(const TetraMeshSettings& settings, double size_m) {
  gmsh_step("set surface options", [&] {
    gmsh::option::setNumber("General.NumThreads", settings.threads);
    gmsh::option::setNumber("Mesh.MaxNumThreads2D", settings.threads);
    gmsh::option::setNumber("Mesh.Algorithm", 6);  // Frontal-Delaunay: the best-shaped triangles
    gmsh::option::setNumber("Mesh.MeshSizeMax", size_m);
    gmsh::option::setNumber("Mesh.MeshSizeMin", 0.0);
    // Smoothing steps of the new surface mesh (default 1). Measured on the 64x64x48 vessel
    // phantom after the whole repair: with 1 step 16 tetrahedra broke the volume-skewness limit,
    // with 3 steps 4, with 5 none; 10 also met it at twice the 2D meshing time (1.2 s against
    // 0.63 s). 5 met it on the 512x512x300 phantom too (docs/geometry.md).
    gmsh::option::setNumber("Mesh.Smoothing", 5);
  });
}

// The 2D mesh Gmsh made on `classified`, with only the nodes its triangles use.
LabelledSurface read_surface_mesh(const detail::ClassifiedSurfaces& classified) {
  LabelledSurface result;
  gmsh_step("read the remeshed surface", [&] {
    std::vector<std::size_t> tags;
    std::vector<double> coordinates;
    std::vector<double> parametric;
    gmsh::model::mesh::getNodes(tags, coordinates, parametric, -1, -1, true, false);
    std::unordered_map<std::size_t, std::size_t> position_of_tag;
    for (std::size_t n = 0; n < tags.size(); ++n) position_of_tag.emplace(tags[n], n);
    std::unordered_map<std::size_t, std::uint32_t> index_of_tag;
    for (std::size_t s = 0; s < classified.tags.size(); ++s) {
      std::vector<std::size_t> element_tags;
      std::vector<std::size_t> node_tags;
      gmsh::model::mesh::getElementsByType(kTriangleType, element_tags, node_tags,
                                           classified.tags[s]);
      for (std::size_t e = 0; e < element_tags.size(); ++e) {
        Triangle triangle{};
        for (std::size_t v = 0; v < 3; ++v) {
          const std::size_t tag = node_tags[3 * e + v];
          const auto [found, is_new] = index_of_tag.emplace(
              tag, static_cast<std::uint32_t>(result.surface.points_m.size()));
          if (is_new) {
            const std::size_t at = 3 * position_of_tag.at(tag);
            result.surface.points_m.push_back(
                {coordinates[at], coordinates[at + 1], coordinates[at + 2]});
          }
          triangle[v] = found->second;
        }
        result.surface.triangles.push_back(triangle);
        result.triangle_labels.push_back(classified.labels[s]);
      }
    }
  });
  return result;
}

// One pass of flips; a triangle flipped in this pass is not flipped again in it.
std::size_t flip_pass(LabelledSurface& labelled) {
  auto& triangles = labelled.surface.triangles;
  const auto& points = labelled.surface.points_m;
  std::unordered_map<std::uint64_t, std::array<std::size_t, 2>> sharing;
  sharing.reserve(triangles.size() * 2);
  for (std::size_t t = 0; t < triangles.size(); ++t) {
    for (std::size_t e = 0; e < 3; ++e) {
      auto [found, is_new] =
          sharing.try_emplace(edge_key(triangles[t][e], triangles[t][(e + 1) % 3]),
                              std::array<std::size_t, 2>{t, t});
      if (!is_new) found->second[1] = t;
    }
  }
  std::vector<bool> is_flipped(triangles.size(), false);
  std::size_t flips = 0;
  for (const auto& [key, pair] : sharing) {
    const auto [first, second] = pair;
    if (first == second || is_flipped[first] || is_flipped[second]) continue;
    if (labelled.triangle_labels[first] != labelled.triangle_labels[second]) continue;
    // first = (a, b, c), second = (b, a, d) with the shared edge a-b.
    const Triangle& t1 = triangles[first];
    std::size_t e = 0;
    while (edge_key(t1[e], t1[(e + 1) % 3]) != key) ++e;
    const std::uint32_t a = t1[e];
    const std::uint32_t b = t1[(e + 1) % 3];
    const std::uint32_t c = t1[(e + 2) % 3];
    const Triangle& t2 = triangles[second];
    const std::uint32_t d = t2[0] != a && t2[0] != b ? t2[0] : (t2[1] != a && t2[1] != b ? t2[1] : t2[2]);
    if (c == d || sharing.contains(edge_key(c, d))) continue;
    const Vector3 n1 = normal_of(points, t1);
    const Vector3 n2 = normal_of(points, t2);
    if (angle_deg(n1, n2) > kMaxFlipDihedralDeg) continue;
    const Triangle new1{a, d, c};
    const Triangle new2{b, c, d};
    const Vector3 mean{n1[0] + n2[0], n1[1] + n2[1], n1[2] + n2[2]};
    // Both new triangles must face the same way as the old pair (a convex quadrilateral).
    if (dot(normal_of(points, new1), mean) <= 0.0 || dot(normal_of(points, new2), mean) <= 0.0) {
      continue;
    }
    const double before = std::min(min_angle_deg(points, t1), min_angle_deg(points, t2));
    const double after = std::min(min_angle_deg(points, new1), min_angle_deg(points, new2));
    if (after <= before) continue;
    triangles[first] = new1;
    triangles[second] = new2;
    is_flipped[first] = true;
    is_flipped[second] = true;
    ++flips;
  }
  return flips;
}

// One pass of collapses of edges shorter than `shortest_m`: the end `b` whose triangles all carry
// one label (not on a rim) merges into the other end `a`, which keeps its place on the surface.
// Allowed only when a and b share exactly the two opposite vertices (the link condition, so the
// surface stays a manifold), those keep at least three neighbours, and no moved triangle turns
// over (its normal keeps within 90 deg). Returns the number of collapses.
// The triangles round each vertex of a labelled surface (at the start of a pass).
struct VertexStars {
  const LabelledSurface& labelled;
  std::vector<std::vector<std::size_t>> around;

  explicit VertexStars(const LabelledSurface& surface)
      : labelled(surface), around(surface.surface.points_m.size()) {
    for (std::size_t t = 0; t < surface.surface.triangles.size(); ++t) {
      for (const std::uint32_t v : surface.surface.triangles[t]) around[v].push_back(t);
    }
  }
  [[nodiscard]] std::set<std::uint32_t> neighbours(std::uint32_t v) const {
    std::set<std::uint32_t> result;
    for (const std::size_t t : around[v]) {
      for (const std::uint32_t w : labelled.surface.triangles[t]) {
        if (w != v) result.insert(w);
      }
    }
    return result;
  }
  [[nodiscard]] bool has_one_label(std::uint32_t v) const {
    return std::all_of(around[v].begin(), around[v].end(), [&](std::size_t t) {
      return labelled.triangle_labels[t] == labelled.triangle_labels[around[v].front()];
    });
  }
};

// Whether b may merge into a: the link condition, the two opposite vertices keeping three
// neighbours, and no moved triangle turning over.
bool can_collapse(const VertexStars& stars, std::uint32_t a, std::uint32_t b) {
  const auto around_a = stars.neighbours(a);
  const auto around_b = stars.neighbours(b);
  std::vector<std::uint32_t> common;
  std::set_intersection(around_a.begin(), around_a.end(), around_b.begin(), around_b.end(),
                        std::back_inserter(common));
  if (common.size() != 2 || stars.neighbours(common[0]).size() <= 3 ||
      stars.neighbours(common[1]).size() <= 3) {
    return false;
  }
  const auto& points = stars.labelled.surface.points_m;
  for (const std::size_t u : stars.around[b]) {
    const Triangle& old = stars.labelled.surface.triangles[u];
    if (std::find(old.begin(), old.end(), a) != old.end()) continue;  // goes with the edge
    Triangle moved = old;
    std::replace(moved.begin(), moved.end(), b, a);
    if (dot(normal_of(points, moved), normal_of(points, old)) <= 0.0) return false;
  }
  return true;
}

void remove_marked(LabelledSurface& labelled, const std::vector<bool>& is_removed) {
  std::size_t kept = 0;
  for (std::size_t t = 0; t < labelled.surface.triangles.size(); ++t) {
    if (is_removed[t]) continue;
    labelled.surface.triangles[kept] = labelled.surface.triangles[t];
    labelled.triangle_labels[kept] = labelled.triangle_labels[t];
    ++kept;
  }
  labelled.surface.triangles.resize(kept);
  labelled.triangle_labels.resize(kept);
}

std::size_t collapse_pass(LabelledSurface& labelled, double shortest_m) {
  auto& triangles = labelled.surface.triangles;
  const auto& points = labelled.surface.points_m;
  const VertexStars stars(labelled);
  std::vector<bool> is_touched(points.size(), false);
  std::vector<bool> is_removed(triangles.size(), false);
  std::size_t collapses = 0;
  for (std::size_t t = 0; t < triangles.size(); ++t) {
    for (std::size_t e = 0; e < 3 && !is_removed[t]; ++e) {
      std::uint32_t a = triangles[t][e];
      std::uint32_t b = triangles[t][(e + 1) % 3];
      const Vector3 edge = minus(points[b], points[a]);
      if (dot(edge, edge) >= shortest_m * shortest_m || is_touched[a] || is_touched[b]) continue;
      if (!stars.has_one_label(b)) std::swap(a, b);
      if (!stars.has_one_label(b) || !can_collapse(stars, a, b)) continue;
      // The neighbours are marked before the triangles change, while the stars still hold.
      for (const std::uint32_t v : stars.neighbours(a)) is_touched[v] = true;
      for (const std::uint32_t v : stars.neighbours(b)) is_touched[v] = true;
      for (const std::size_t u : stars.around[b]) {
        Triangle& triangle = triangles[u];
        if (std::find(triangle.begin(), triangle.end(), a) != triangle.end()) {
          is_removed[u] = true;
        } else {
          std::replace(triangle.begin(), triangle.end(), b, a);
        }
      }
      ++collapses;
    }
  }
  if (collapses > 0) remove_marked(labelled, is_removed);
  return collapses;
}

// Drops the points no triangle uses (collapses leave them).
void drop_unused_points(surface::TriangleSurface& surface) {
  std::vector<std::uint32_t> new_index(surface.points_m.size(), UINT32_MAX);
  for (const Triangle& t : surface.triangles) {
    for (const std::uint32_t v : t) new_index[v] = 0;
  }
  std::vector<Vector3> points;
  for (std::size_t v = 0; v < surface.points_m.size(); ++v) {
    if (new_index[v] == UINT32_MAX) continue;
    new_index[v] = static_cast<std::uint32_t>(points.size());
    points.push_back(surface.points_m[v]);
  }
  for (Triangle& t : surface.triangles) {
    for (std::uint32_t& v : t) v = new_index[v];
  }
  surface.points_m = std::move(points);
}

// Gmsh's findings on a surface it made become meshing failures, not input errors.
void check_remeshed(const LabelledSurface& input, const LabelledSurface& remeshed) {
  try {
    validate_labelled_surface(remeshed, "remeshed surface");
  } catch (const InputError& error) {
    throw Error(ErrorCode::MeshingFailed,
                fmt::format("Gmsh step 'generate 2D' gave an unusable surface: {}", error.what()));
  }
  const std::set<int> labels_in(input.triangle_labels.begin(), input.triangle_labels.end());
  const std::set<int> labels_out(remeshed.triangle_labels.begin(), remeshed.triangle_labels.end());
  if (labels_in != labels_out) {
    throw Error(ErrorCode::MeshingFailed,
                fmt::format("Gmsh step 'generate 2D' kept {} of the surface's {} labels",
                            labels_out.size(), labels_in.size()));
  }
}

}  // namespace

double min_triangle_angle_deg(const surface::TriangleSurface& surface) {
  double smallest = 180.0;
  for (const Triangle& t : surface.triangles) smallest = std::min(smallest, min_angle_deg(surface.points_m, t));
  return smallest;
}

RemeshedSurface remesh_surface(const LabelledSurface& labelled, const TetraMeshSettings& settings) {
  validate_labelled_surface(labelled, "remesh_surface: surface");
  const double size_m = target_element_size_m(labelled, settings);
  RemeshedSurface result;
  {
    const detail::GmshSession session(settings.verbose);
    gmsh_step("add model", [] { gmsh::model::add("ptwin_surface"); });
    set_options(settings, size_m);
    const detail::ClassifiedSurfaces classified =
        detail::import_for_remeshing(labelled, settings.feature_angle_deg);
    gmsh_step("synchronize the cap surfaces", [] { gmsh::model::geo::synchronize(); });
    gmsh_step("generate 2D", [] { gmsh::model::mesh::generate(2); });
    result.labelled = read_surface_mesh(classified);
  }
  try {
    orient_outward(result.labelled.surface);
  } catch (const InputError& error) {
    throw Error(ErrorCode::MeshingFailed,
                fmt::format("Gmsh step 'generate 2D' gave an open surface: {}", error.what()));
  }
  for (int pass = 0; pass < kMaxFlipPasses; ++pass) {
    const std::size_t collapses = collapse_pass(result.labelled, kShortestEdgeFraction * size_m);
    result.collapsed_edges += collapses;
    if (collapses == 0) break;
  }
  drop_unused_points(result.labelled.surface);
  for (int pass = 0; pass < kMaxFlipPasses; ++pass) {
    const std::size_t flips = flip_pass(result.labelled);
    result.flipped_edges += flips;
    if (flips == 0) break;
  }
  check_remeshed(labelled, result.labelled);
  return result;
}

}  // namespace ptwin::geometry::mesh
