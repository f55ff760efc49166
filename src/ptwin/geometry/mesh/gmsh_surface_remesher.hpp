// SPDX-License-Identifier: Apache-2.0
#pragma once
// Remeshing of a closed, labelled vessel surface into near-equilateral triangles of a target
// size (Gmsh 4.8), keeping its labels: the first half of SurfaceRemeshing::Remesh
// (tetra_mesh_settings.hpp, docs/geometry.md "Surface remeshing").
//
// 1. The wall is classified and reparametrised by Gmsh (detail/gmsh_surface_remeshing.hpp); each
//    cap is rebuilt as a plane surface on its rim.
// 2. Gmsh meshes every surface with Frontal-Delaunay triangles of the target size (10 smoothing
//    steps). Every new node lies on the input surface; the caps stay planar.
// 3. The triangles are turned outward, and edges are flipped where that raises the smaller of
//    the two triangles' smallest angles and the two triangles are nearly coplanar (within
//    kMaxFlipDihedralDeg) and carry the same label. Gmsh's pieces of the wall are joined at
//    curves whose corners can be sharp (triangles of 7 deg there); the flips remove most.

#include <cstddef>

#include "ptwin/geometry/mesh/labelled_surface.hpp"
#include "ptwin/geometry/mesh/tetra_mesh_settings.hpp"

namespace ptwin::geometry::mesh {

/// Flips stay within this angle (deg) between the normals of the two triangles: the surface
/// moves by at most the flattened tetrahedron between them, about h * sin(10 deg) / 6 in
/// height over a pair of edge h.
inline constexpr double kMaxFlipDihedralDeg = 20.0;

struct RemeshedSurface {
  LabelledSurface labelled;   // closed, outward, same labels as the input
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
