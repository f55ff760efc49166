// SPDX-License-Identifier: Apache-2.0
#pragma once
// Remeshing of a closed, labelled vessel surface into near-equilateral triangles of a target
// size (Gmsh 4.8), keeping its labels: the first half of SurfaceRemeshing::Remesh
// (tetra_mesh_settings.hpp, docs/geometry.md "Surface remeshing").
//
// 1. The wall is classified and reparametrised by Gmsh (detail/gmsh_surface_remeshing.hpp); each
//    cap is rebuilt as a plane surface on its rim.
// 2. Gmsh meshes every surface with Frontal-Delaunay triangles of the target size (5 smoothing
//    steps). Every new node lies on the input surface; the caps stay planar.
// 3. The triangles are turned outward, edges shorter than kShortestEdgeFraction of the target
//    size collapsed (an end off the rims merges into the other), and edges are flipped where
//    that raises the smaller of the two triangles' smallest angles and the two triangles are
//    nearly coplanar (within kMaxFlipDihedralDeg) and carry the same label. Gmsh's pieces of the wall are joined at
//    curves whose corners can be sharp (triangles of 7 deg there); the flips remove most.

#include <cstddef>

#include "ptwin/geometry/mesh/labelled_surface.hpp"
#include "ptwin/geometry/mesh/tetra_mesh_settings.hpp"

namespace ptwin::geometry::mesh {

/// Flips stay within this angle (deg) between the normals of the two triangles: the surface
/// moves by at most the flattened tetrahedron between them, about h * sin(10 deg) / 6 in
/// height over a pair of edge h.
inline constexpr double kMaxFlipDihedralDeg = 20.0;

/// Edges shorter than this fraction of the target size are collapsed before the flips. Gmsh's
/// Frontal-Delaunay aims at the target size; an edge 4 times shorter appears only where two
/// curves meet (one of 0.03 mm at h = 0.41 mm on the 512x512x300 phantom), and its needle
/// triangles would make flat tetrahedra that neither flips nor Gmsh's optimiser remove.
inline constexpr double kShortestEdgeFraction = 0.25;

struct RemeshedSurface {
  LabelledSurface labelled;   // closed, outward, same labels as the input
  std::size_t collapsed_edges = 0;
  std::size_t flipped_edges = 0;
};

/// Remeshes `labelled` at target_element_size_m(labelled, settings) with
/// settings.feature_angle_deg and settings.threads. Throws InputError for a bad surface or
/// setting (as mesh_volume), and Error(MeshingFailed) naming the step when Gmsh fails or the
/// result is not a closed, outward surface with every input label.
[[nodiscard]] RemeshedSurface remesh_surface(const LabelledSurface& labelled,
                                             const TetraMeshSettings& settings);

/// The smallest angle (deg) of any triangle of `surface`.
[[nodiscard]] double min_triangle_angle_deg(const surface::TriangleSurface& surface);

}  // namespace ptwin::geometry::mesh
