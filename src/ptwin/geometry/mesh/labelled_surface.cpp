// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/mesh/labelled_surface.hpp"

#include <cmath>
#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/surface/surface_check.hpp"

namespace ptwin::geometry::mesh {
namespace {

using ingest::dicom::Vector3;

Vector3 minus(const Vector3& a, const Vector3& b) {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}

double triangle_area_m2(const Vector3& a, const Vector3& b, const Vector3& c) {
  const Vector3 normal = ingest::dicom::cross(minus(b, a), minus(c, a));
  return 0.5 * std::sqrt(ingest::dicom::dot(normal, normal));
}

std::uint64_t edge_key(std::uint32_t from, std::uint32_t to) {
  return (static_cast<std::uint64_t>(from) << 32U) | to;
}

[[noreturn]] void reject(std::string_view where, std::string field, std::string value,
                         std::string rule) {
  throw InputError(ErrorCode::BadInput, fmt::format("{}: {}", where, field), std::move(value),
                   std::move(rule));
}

void check_labels(const LabelledSurface& labelled, std::string_view where) {
  const auto& triangles = labelled.surface.triangles;
  if (labelled.triangle_labels.size() != triangles.size()) {
    reject(where, "triangle_labels", std::to_string(labelled.triangle_labels.size()),
           fmt::format("must hold one label per triangle ({})", triangles.size()));
  }
  bool has_wall = false;
  bool has_cap = false;
  for (std::size_t t = 0; t < triangles.size(); ++t) {
    const int label = labelled.triangle_labels[t];
    if (label < 0) {
      reject(where, fmt::format("triangle_labels[{}]", t), std::to_string(label),
             "must be 0 (wall) or a cap id > 0");
    }
    has_wall = has_wall || label == kWallLabel;
    has_cap = has_cap || label > kWallLabel;
  }
  if (!has_wall || !has_cap) {
    reject(where, "triangle_labels", has_wall ? "no cap" : "no wall",
           "a vessel surface needs wall triangles (label 0) and at least one cap (label > 0)");
  }
}

void check_triangles(const surface::TriangleSurface& surface, std::string_view where) {
  const std::size_t point_count = surface.points_m.size();
  for (std::size_t p = 0; p < point_count; ++p) {
    for (const double coordinate : surface.points_m[p]) {
      if (!std::isfinite(coordinate)) {
        reject(where, fmt::format("points_m[{}]", p), fmt::format("{}", coordinate),
               "coordinates must be finite");
      }
    }
  }
  for (std::size_t t = 0; t < surface.triangles.size(); ++t) {
    const auto& triangle = surface.triangles[t];
    for (const std::uint32_t vertex : triangle) {
      if (vertex >= point_count) {
        reject(where, fmt::format("triangles[{}]", t), std::to_string(vertex),
               fmt::format("vertex index must be below the point count {}", point_count));
      }
    }
    if (triangle_area_m2(surface.points_m[triangle[0]], surface.points_m[triangle[1]],
                         surface.points_m[triangle[2]]) <= 0.0) {
      reject(where, fmt::format("triangles[{}]", t),
             fmt::format("({}, {}, {})", triangle[0], triangle[1], triangle[2]),
             "a triangle must have a positive area");
    }
  }
}

// Closed and consistently oriented: each directed edge exactly once, and its reverse present.
void check_closed_oriented(const surface::TriangleSurface& surface, std::string_view where) {
  std::unordered_map<std::uint64_t, std::size_t> directed;
  directed.reserve(surface.triangles.size() * 3);
  for (std::size_t t = 0; t < surface.triangles.size(); ++t) {
    const auto& triangle = surface.triangles[t];
    for (std::size_t e = 0; e < 3; ++e) {
      const std::uint64_t key = edge_key(triangle[e], triangle[(e + 1) % 3]);
      if (!directed.emplace(key, t).second) {
        reject(where, fmt::format("triangles[{}]", t),
               fmt::format("edge ({}, {})", triangle[e], triangle[(e + 1) % 3]),
               "an edge is used twice in the same direction: the surface is not a consistently "
               "oriented manifold");
      }
    }
  }
  for (const auto& [key, t] : directed) {
    const auto from = static_cast<std::uint32_t>(key >> 32U);
    const auto to = static_cast<std::uint32_t>(key & 0xffffffffU);
    if (!directed.contains(edge_key(to, from))) {
      reject(where, fmt::format("triangles[{}]", t), fmt::format("edge ({}, {})", from, to),
             "an edge has no neighbouring triangle: the surface is not closed");
    }
  }
}

}  // namespace

void validate_labelled_surface(const LabelledSurface& labelled, std::string_view where) {
  check_labels(labelled, where);
  check_triangles(labelled.surface, where);
  check_closed_oriented(labelled.surface, where);
  const double volume_m3 = surface::enclosed_volume_m3(labelled.surface);
  if (!(volume_m3 > 0.0)) {
    reject(where, "triangles", fmt::format("enclosed volume {} m^3", volume_m3),
           "triangles must be oriented with outward normals (counter-clockwise seen from outside)");
  }
}

void orient_outward(surface::TriangleSurface& surface) {
  auto& triangles = surface.triangles;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> edge_triangles;
  edge_triangles.reserve(triangles.size() * 2);
  for (std::size_t t = 0; t < triangles.size(); ++t) {
    for (std::size_t e = 0; e < 3; ++e) {
      const std::uint32_t a = triangles[t][e];
      const std::uint32_t b = triangles[t][(e + 1) % 3];
      edge_triangles[edge_key(std::min(a, b), std::max(a, b))].push_back(t);
    }
  }
  for (const auto& [key, sharing] : edge_triangles) {
    if (sharing.size() != 2) {
      reject("orient_outward", fmt::format("triangles[{}]", sharing.front()),
             fmt::format("edge ({}, {}) in {} triangles", key >> 32U, key & 0xffffffffU,
                         sharing.size()),
             "every edge of a closed surface is shared by exactly two triangles");
    }
  }
  const auto has_directed = [&triangles](std::size_t t, std::uint32_t a, std::uint32_t b) {
    for (std::size_t e = 0; e < 3; ++e) {
      if (triangles[t][e] == a && triangles[t][(e + 1) % 3] == b) return true;
    }
    return false;
  };
  std::vector<bool> visited(triangles.size(), false);
  for (std::size_t seed = 0; seed < triangles.size(); ++seed) {
    if (visited[seed]) continue;
    // Breadth-first over one connected part: a neighbour must run the shared edge backwards.
    std::vector<std::size_t> part{seed};
    visited[seed] = true;
    for (std::size_t next = 0; next < part.size(); ++next) {
      const std::size_t t = part[next];
      for (std::size_t e = 0; e < 3; ++e) {
        const std::uint32_t a = triangles[t][e];
        const std::uint32_t b = triangles[t][(e + 1) % 3];
        for (const std::size_t neighbour :
             edge_triangles[edge_key(std::min(a, b), std::max(a, b))]) {
          if (visited[neighbour]) continue;
          if (has_directed(neighbour, a, b))
            std::swap(triangles[neighbour][1], triangles[neighbour][2]);
          visited[neighbour] = true;
          part.push_back(neighbour);
        }
      }
    }
    surface::TriangleSurface piece{surface.points_m, {}};
    for (const std::size_t t : part) piece.triangles.push_back(triangles[t]);
    if (surface::enclosed_volume_m3(piece) < 0.0) {
      for (const std::size_t t : part) std::swap(triangles[t][1], triangles[t][2]);
    }
  }
}

LabelledSurface labelled_surface_from(const surface::TriangleSurface& surface,
                                      const surface::SurfaceFaceLabels& labels) {
  if (labels.per_triangle.size() != surface.triangles.size()) {
    throw InputError(ErrorCode::BadInput, "surface labels: per_triangle", std::to_string(labels.per_triangle.size()),
                     fmt::format("one label per triangle ({})", surface.triangles.size()));
  }
  static_assert(surface::kWallLabel == kWallLabel, "the wall has one label in both records");
  return {surface, std::vector<int>(labels.per_triangle.begin(), labels.per_triangle.end())};
}

int inlet_label_of(const surface::SurfaceFaceLabels& labels) {
  for (const auto& cap : labels.caps) {
    if (cap.role == surface::CapRole::kInlet) return cap.label;
  }
  throw InputError(ErrorCode::BadInput, "surface labels: caps", std::to_string(labels.caps.size()) + " caps",
                   "one cap with the inlet role (surface extraction's inlet_face)");
}

std::map<int, double> label_areas_m2(const LabelledSurface& labelled) {
  std::map<int, double> areas;
  const auto& surface = labelled.surface;
  for (std::size_t t = 0; t < surface.triangles.size(); ++t) {
    const auto& triangle = surface.triangles[t];
    areas[labelled.triangle_labels.at(t)] +=
        triangle_area_m2(surface.points_m[triangle[0]], surface.points_m[triangle[1]],
                         surface.points_m[triangle[2]]);
  }
  return areas;
}

}  // namespace ptwin::geometry::mesh
