// SPDX-License-Identifier: Apache-2.0
#pragma once
// Local repairs of the few tetrahedra that Gmsh's optimiser leaves breaking the quality
// thresholds next to a remeshed wall. Gmsh 4.8's Netgen optimiser, which could swap such
// elements away, is not in Debian's build.
//
// Peeling. Where a wall curves, a Delaunay mesher may join four wall nodes into one tetrahedron that has
// two faces on the wall and is almost flat: none of its nodes can move (they are on the
// boundary) and no interior node is near, so Gmsh's optimiser leaves it. Such a tetrahedron
// fills the thin wedge between two wall triangles and the two faces behind them. Removing it
// makes those two faces the wall there: the surface changes by the tetrahedron's own, near-zero
// volume, and the two new wall triangles lie within the tetrahedron's thickness of the old ones.
// A flat tetrahedron with three faces on the wall (round a wall node joined to three others
// only, next to a very short wall edge) is removed the same way, and its apex node with it.
//
// Relocation ("smart" Laplacian smoothing, Freitag and Ollivier-Gooch 1997). A tetrahedron with
// one face on the wall and its interior node almost in that face's plane is flat too; its
// interior node is moved towards the mean of its neighbours, by the whole or part of the way,
// only when that raises the worst quality score of the tetrahedra around it.

#include <cstddef>

#include "ptwin/geometry/mesh/tetra_mesh.hpp"
#include "ptwin/geometry/mesh/tetra_quality.hpp"

namespace ptwin::geometry::mesh {

struct PeelingResult {
  std::size_t removed = 0;      // tetrahedra removed
  double removed_volume_m3 = 0.0;
};

/// Removes, repeatedly, every tetrahedron that breaks `thresholds` and has two or three faces on
/// the boundary, all in one patch, when the boundary stays a closed 2-manifold: with two, the
/// edge its other two faces share must be on no boundary triangle; with three, their common
/// vertex must be on no other boundary triangle (it leaves the mesh, and nodes no tetrahedron
/// uses any more are dropped). Its remaining faces become boundary triangles of that patch,
/// turned outward. The mesh must be conforming (check_conformity); other tetrahedra are not
/// changed.
PeelingResult peel_boundary_slivers(TetraMesh& mesh, const MeshQualityThresholds& thresholds);

/// How far a tetrahedron is inside `thresholds`: the smallest of its metrics' ratios to their
/// limits, scaled so that 1 is on a limit and values below 1 break it (0 or less: inverted).
[[nodiscard]] double threshold_score(const TetQuality& quality,
                                     const MeshQualityThresholds& thresholds);

/// Moves the interior nodes (on no boundary triangle) of tetrahedra that break `thresholds`, as
/// described above, in up to `passes` passes. Returns how many moves were made. Connectivity
/// and boundary nodes are not changed.
std::size_t relocate_interior_nodes(TetraMesh& mesh, const MeshQualityThresholds& thresholds,
                                    int passes = 5);

}  // namespace ptwin::geometry::mesh
