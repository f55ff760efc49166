// SPDX-License-Identifier: Apache-2.0
#pragma once
// Fills a closed, labelled vessel surface with linear tetrahedra using Gmsh 4.8's API.
//
// With SurfaceRemeshing::Keep (the default) the surface is imported as discrete Gmsh surfaces,
// one per label (the wall and each cap), and kept as it is: Gmsh meshes only the interior, so the
// mesh's boundary is the input surface triangle for triangle and its volume is the volume the
// surface encloses. With SurfaceRemeshing::Remesh the surface is first remeshed
// (gmsh_surface_remesher.hpp), the new surface filled the same way, and the few tetrahedra that
// still break the default quality thresholds repaired (tetra_mesh_repair.hpp). Gmsh's use is
// serialised process-wide (detail/gmsh_session.hpp): concurrent calls run one after the other.

#include "ptwin/geometry/mesh/labelled_surface.hpp"
#include "ptwin/geometry/mesh/tetra_mesh.hpp"
#include "ptwin/geometry/mesh/tetra_mesh_settings.hpp"

namespace ptwin::geometry::mesh {

/// Meshes the volume enclosed by `labelled`. Boundary patches: the wall (label 0), the inlet
/// (settings.inlet_label, or the largest-area cap) and the outlets (the other caps in increasing
/// label order), with the physical tags listed in tetra_mesh.hpp.
/// Throws InputError when the surface fails validate_labelled_surface or a setting is out of
/// range (named: "TetraMeshSettings.element_size", ...), and Error(MeshingFailed) naming the
/// Gmsh step when Gmsh fails, changes a kept boundary, returns a non-conforming mesh, or (Remesh)
/// loses a label or changes the volume by more than settings.remesh_volume_tolerance.
[[nodiscard]] TetraMesh mesh_volume(const LabelledSurface& labelled,
                                    const TetraMeshSettings& settings);

/// The largest interior edge length (m) that `settings` asks for on `labelled` (see
/// ElementSizeMode); throws InputError like mesh_volume for bad settings.
[[nodiscard]] double target_element_size_m(const LabelledSurface& labelled,
                                           const TetraMeshSettings& settings);

}  // namespace ptwin::geometry::mesh
