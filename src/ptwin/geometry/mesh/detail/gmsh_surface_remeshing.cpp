// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/mesh/detail/gmsh_surface_remeshing.hpp"

#include <gmsh.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <numbers>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/mesh/detail/gmsh_session.hpp"

namespace ptwin::geometry::mesh::detail {
namespace {

constexpr int kLineType = 1;      // Gmsh element type: 2-node line
constexpr int kTriangleType = 2;  // 3-node triangle

std::uint64_t edge_key(std::size_t a, std::size_t b) {
  return (static_cast<std::uint64_t>(std::min(a, b)) << 32U) | std::max(a, b);
}

// The rim edges of each cap (keys of Gmsh node tags): edges between a wall and a cap triangle.
std::map<int, std::unordered_set<std::uint64_t>> rim_edges_by_cap(const LabelledSurface& labelled) {
  std::unordered_map<std::uint64_t, int> first_label;
  first_label.reserve(labelled.surface.triangles.size() * 2);
  std::map<int, std::unordered_set<std::uint64_t>> rims;
  for (std::size_t t = 0; t < labelled.surface.triangles.size(); ++t) {
    const auto& triangle = labelled.surface.triangles[t];
    const int label = labelled.triangle_labels[t];
    for (std::size_t e = 0; e < 3; ++e) {
      const std::uint64_t key =
          edge_key(std::size_t{triangle[e]} + 1, std::size_t{triangle[(e + 1) % 3]} + 1);
      const auto [found, is_new] = first_label.emplace(key, label);
      if (is_new || found->second == label) continue;
      if (found->second != kWallLabel && label != kWallLabel) {
        throw Error(ErrorCode::MeshingFailed,
                    fmt::format("surface remeshing: caps {} and {} touch (edge between nodes {} "
                                "and {}); every cap must be bounded by the wall only. Mesh this "
                                "surface with TetraMeshSettings.surface_remeshing = Keep",
                                found->second, label, key >> 32U, key & 0xffffffffU));
      }
      rims[std::max(label, found->second)].insert(key);
    }
  }
  return rims;
}

int import_wall(const LabelledSurface& labelled) {
  const auto& surface = labelled.surface;
  int wall = 0;
  gmsh_step("import the wall as a discrete surface", [&] {
    wall = gmsh::model::addDiscreteEntity(2);
    std::vector<std::size_t> node_tags(surface.points_m.size());
    std::vector<double> coordinates;
    coordinates.reserve(3 * surface.points_m.size());
    for (std::size_t n = 0; n < surface.points_m.size(); ++n) {
      node_tags[n] = n + 1;
      coordinates.insert(coordinates.end(), surface.points_m[n].begin(), surface.points_m[n].end());
    }
    gmsh::model::mesh::addNodes(2, wall, node_tags, coordinates);
    std::vector<std::size_t> triangle_nodes;
    for (std::size_t t = 0; t < surface.triangles.size(); ++t) {
      if (labelled.triangle_labels[t] != kWallLabel) continue;
      for (const std::uint32_t vertex : surface.triangles[t]) triangle_nodes.push_back(vertex + 1);
    }
    gmsh::model::mesh::addElementsByType(wall, kTriangleType, {}, triangle_nodes);
  });
  return wall;
}

// The curves classifySurfaces made on each cap's rim: those whose every line is a rim edge of
// that cap (the other curves are wall features and cuts).
std::map<int, std::vector<int>> rim_curves_by_cap(
    const std::map<int, std::unordered_set<std::uint64_t>>& rims) {
  std::map<int, std::vector<int>> curves_of_cap;
  gmsh::vectorpair curves;
  gmsh_step("list the classified curves", [&] { gmsh::model::getEntities(curves, 1); });
  for (const auto& [dim, tag] : curves) {
    std::vector<std::size_t> element_tags;
    std::vector<std::size_t> node_tags;
    gmsh_step("read the classified curves", [&, tag = tag] {
      gmsh::model::mesh::getElementsByType(kLineType, element_tags, node_tags, tag);
    });
    if (element_tags.empty()) continue;
    for (const auto& [cap, rim] : rims) {
      bool is_on_rim = true;
      for (std::size_t e = 0; e < element_tags.size() && is_on_rim; ++e) {
        is_on_rim = rim.contains(edge_key(node_tags[2 * e], node_tags[2 * e + 1]));
      }
      if (is_on_rim) {
        curves_of_cap[cap].push_back(tag);
        break;
      }
    }
  }
  return curves_of_cap;
}

}  // namespace

ClassifiedSurfaces import_for_remeshing(const LabelledSurface& labelled,
                                        double feature_angle_deg) {
  const auto rims = rim_edges_by_cap(labelled);
  (void)import_wall(labelled);
  gmsh_step("classify surfaces", [&] {
    // forReparametrization: split the wall into pieces a single map can parametrise; curves are
    // not split at corners (curveAngle pi): the rims are smooth loops.
    gmsh::model::mesh::classifySurfaces(feature_angle_deg * std::numbers::pi / 180.0,
                                        /*boundary=*/true, /*forReparametrization=*/true,
                                        /*curveAngle=*/std::numbers::pi);
  });
  ClassifiedSurfaces surfaces;
  gmsh::vectorpair walls;
  gmsh_step("list the classified surfaces", [&] { gmsh::model::getEntities(walls, 2); });
  for (const auto& [dim, tag] : walls) {
    surfaces.tags.push_back(tag);
    surfaces.labels.push_back(kWallLabel);
  }
  const auto curves_of_cap = rim_curves_by_cap(rims);
  gmsh_step("create geometry (reparametrise the wall)", [] { gmsh::model::mesh::createGeometry(); });
  for (const auto& [cap, rim] : rims) {
    const auto found = curves_of_cap.find(cap);
    std::vector<int> loops;
    if (found != curves_of_cap.end()) {
      gmsh_step(fmt::format("close the rim of cap {} into curve loops", cap),
                [&] { gmsh::model::geo::addCurveLoops(found->second, loops); });
    }
    if (loops.empty()) {
      throw Error(ErrorCode::MeshingFailed,
                  fmt::format("surface remeshing: the rim of cap {} ({} edges) does not close into "
                              "a loop of classified curves",
                              cap, rim.size()));
    }
    for (const int loop : loops) {
      gmsh_step(fmt::format("rebuild cap {} as a plane surface", cap), [&] {
        surfaces.tags.push_back(gmsh::model::geo::addPlaneSurface({loop}));
        surfaces.labels.push_back(cap);
      });
    }
  }
  return surfaces;
}

}  // namespace ptwin::geometry::mesh::detail
