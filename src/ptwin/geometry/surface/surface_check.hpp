// SPDX-License-Identifier: Apache-2.0
#pragma once
// Whether a triangle surface can bound a volume mesh: closed (no boundary edge), manifold (every
// edge shared by exactly two triangles, every vertex's triangles forming one fan), consistently
// oriented with outward normals, free of degenerate triangles and of self-intersections.
//
// Self-intersections are found by testing each triangle against the triangles that share a cell
// of a uniform grid (about two mean edge lengths) with its bounding box, with the exact
// triangle-triangle test of vtkIntersectionPolyDataFilter. Pairs that share a vertex are not tested
// (they touch by construction); an intersection between two triangles of one fan is therefore not
// reported.

#include <cstddef>
#include <string>

#include "ptwin/geometry/surface/triangle_surface.hpp"

namespace ptwin::geometry::surface {

struct SurfaceCheckOptions {
  bool find_self_intersections = true;
  // Two triangles count as intersecting when they come closer than this fraction of the mean
  // edge length (the tolerance of the triangle-triangle test).
  double intersection_tolerance_fraction = 1e-6;
};

struct SurfaceCheckReport {
  std::size_t vertex_count = 0;         // vertices used by at least one triangle
  std::size_t unused_vertex_count = 0;  // points no triangle refers to
  std::size_t edge_count = 0;
  std::size_t triangle_count = 0;
  std::size_t degenerate_triangles = 0;  // repeated vertex, or zero area
  std::size_t duplicate_triangles = 0;   // same three vertices as an earlier triangle
  std::size_t boundary_edges = 0;        // used by one triangle: holes
  std::size_t boundary_loops = 0;
  std::size_t non_manifold_edges = 0;     // used by three or more triangles
  std::size_t non_manifold_vertices = 0;  // triangles around the vertex form several fans
  std::size_t inconsistent_edges = 0;     // both triangles traverse the edge the same way
  std::size_t self_intersecting_pairs = 0;
  std::size_t components = 0;       // edge-connected
  long euler_characteristic = 0;    // V - E + F; 2 per closed genus-0 component
  double enclosed_volume_m3 = 0.0;  // signed, by the divergence theorem
  bool is_outward = false;          // closed, consistent and enclosed volume > 0
  bool self_intersections_checked = false;

  /// The number of defects found (every count above that makes the surface unusable for meshing,
  /// plus one if a closed, consistent surface is oriented inwards).
  [[nodiscard]] std::size_t problem_count() const;
  [[nodiscard]] bool is_watertight() const {
    return boundary_edges == 0 && non_manifold_edges == 0;
  }
  [[nodiscard]] bool is_manifold() const {
    return non_manifold_edges == 0 && non_manifold_vertices == 0;
  }
  /// One line per finding, for logs and reports.
  [[nodiscard]] std::string summary() const;
};

/// Checks `surface`; never throws for a bad surface (the findings are the result). Triangles
/// indexing outside points_m throw InputError naming the triangle.
[[nodiscard]] SurfaceCheckReport check_surface(const TriangleSurface& surface,
                                               const SurfaceCheckOptions& options = {});

/// The signed volume enclosed by `surface` (m^3): positive for a closed surface with outward
/// normals.
[[nodiscard]] double enclosed_volume_m3(const TriangleSurface& surface);

/// The total area of the triangles (m^2).
[[nodiscard]] double surface_area_m2(const TriangleSurface& surface);

}  // namespace ptwin::geometry::surface
