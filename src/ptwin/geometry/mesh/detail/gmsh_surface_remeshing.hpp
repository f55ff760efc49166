// SPDX-License-Identifier: Apache-2.0
#pragma once
// The SurfaceRemeshing::Remesh path of mesh_volume, inside a GmshSession with an empty model.
//
// The wall's triangles are imported as one discrete surface (node tag = vertex index + 1).
// classifySurfaces splits it along edges sharper than the feature angle and into pieces that a
// single map can parametrise (a tube is not a disc); its open boundary, the cap rims, becomes
// discrete curves. createGeometry gives every piece and curve its parametrisation, so that
// generate() meshes them anew. The caps are not imported as triangles: each is rebuilt as a
// plane surface of Gmsh's built-in kernel bounded by its rim curves. A cap is planar, so that
// is exact, and it avoids Gmsh 4.8's reparametrisation of the caps' own triangles, whose long
// thin fan triangles made it cut the caps into pieces joined at nearly coincident rim points
// (triangles of 1 deg at the rim).

#include <cstddef>
#include <vector>

#include "ptwin/geometry/mesh/labelled_surface.hpp"

namespace ptwin::geometry::mesh::detail {

/// The Gmsh surfaces that make the new boundary and the label (LabelledSurface) of each.
struct ClassifiedSurfaces {
  std::vector<int> tags;
  std::vector<int> labels;
};

/// Imports the wall, classifies and reparametrises it with `feature_angle_deg`, rebuilds each cap
/// as plane surfaces on its rim, and returns the surfaces with their labels. Throws
/// Error(MeshingFailed) naming the step when Gmsh fails, when two caps touch (a rim must lie
/// between a cap and the wall), or when a cap's rim does not close into loops.
[[nodiscard]] ClassifiedSurfaces import_for_remeshing(const LabelledSurface& labelled,
                                                        double feature_angle_deg);

}  // namespace ptwin::geometry::mesh::detail
