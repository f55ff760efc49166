// SPDX-License-Identifier: Apache-2.0
#pragma once
// VTK XML files of a tetrahedral mesh (for ParaView and solvers that read VTK):
// - .vtu (vtkXMLUnstructuredGridWriter, binary, zlib): the tetrahedra (VTK_TETRA) with cell data
//   volume_m3, radius_ratio, min_dihedral_deg, max_dihedral_deg, equiangle_skewness,
//   volume_skewness (tetra_quality.hpp);
// - .vtp (vtkXMLPolyDataWriter, binary, zlib): the boundary triangles (with only the nodes they
//   use, renumbered in order of first use) and cell data patch_tag
//   (the physical tag: 1 wall, 2 inlet, 2 + k outlet_k), surface_label (the input surface's
//   label) and boundary_kind (0 wall, 1 inlet, 2 outlet), and field data patch_names
//   ("<tag>=<name>" per patch).
// Coordinates are in metres, as in TetraMesh.

#include <filesystem>

#include "ptwin/geometry/mesh/tetra_mesh.hpp"
#include "ptwin/geometry/mesh/tetra_quality.hpp"

namespace ptwin::geometry::mesh {

/// Writes `mesh`'s tetrahedra with `quality`'s per-tetrahedron metrics to `path` (.vtu).
/// Throws InputError when `quality` does not match the mesh, Error(Io) naming the path when
/// VTK cannot write it.
void write_volume_vtu(const std::filesystem::path& path, const TetraMesh& mesh,
                      const MeshQualityReport& quality);

/// Writes `mesh`'s labelled boundary triangles to `path` (.vtp); Error(Io) as above.
void write_boundary_vtp(const std::filesystem::path& path, const TetraMesh& mesh);

}  // namespace ptwin::geometry::mesh
