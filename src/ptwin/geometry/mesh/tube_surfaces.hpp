// SPDX-License-Identifier: Apache-2.0
#pragma once
// Closed, labelled vessel surfaces built from a formula or a CAD solid, with a reference volume:
// the inputs of the volume meshing verification tests and benchmarks (docs/geometry.md).

#include "ptwin/geometry/mesh/labelled_surface.hpp"

namespace ptwin::geometry::mesh {

struct CappedCylinderSpec {
  double radius_m = 2e-3;
  double length_m = 20e-3;
  /// Points on each circle; a multiple of 6 (the caps are tiled by rings of 6, 12, ... points).
  int segments = 48;
};

/// A straight cylinder along +z from z = 0 (cap 1) to z = length (cap 2), its circles regular
/// polygons with `segments` vertices (first vertex on +x), the wall in rings spaced about one
/// polygon edge apart, each cap tiled by concentric rings of 6, 12, ..., `segments` points. The
/// enclosed volume is exactly that of the polygonal prism:
///   V = (segments / 2) r^2 sin(2 pi / segments) L.
/// Throws InputError naming the field for a non-positive size or a bad segment count.
[[nodiscard]] LabelledSurface capped_cylinder_surface(const CappedCylinderSpec& spec);

/// The exact volume (m^3) of the surface capped_cylinder_surface(spec) returns.
[[nodiscard]] double polygonal_prism_volume_m3(const CappedCylinderSpec& spec);

struct YBifurcationSpec {
  double parent_radius_m = 2e-3;
  double parent_length_m = 12e-3;     // along +z from the inlet cap to the junction
  double daughter_radius_m = 1.6e-3;  // both daughters
  double daughter_length_m = 12e-3;   // from the junction to each outlet cap
  double half_angle_deg = 30.0;       // between each daughter's axis and +z, in the x-z plane
  double element_size_m = 0.5e-3;     // target edge length of the surface triangles
};

struct YBifurcationSurface {
  LabelledSurface labelled;      // cap 1: parent end at z = 0; caps 2 (+x) and 3 (-x): daughters
  double solid_volume_m3 = 0.0;  // volume of the CAD solid the surface approximates
};

/// A Y bifurcation as a CAD solid (Gmsh's OpenCASCADE kernel): the union of the parent cylinder,
/// a sphere of the parent radius at the junction (no step where the tubes meet) and the two
/// daughter cylinders; its boundary triangulated by Gmsh (Frontal-Delaunay, `element_size_m`),
/// the three planar end discs labelled as caps. Throws InputError for a bad spec and
/// Error(MeshingFailed) naming the Gmsh step that failed.
[[nodiscard]] YBifurcationSurface y_bifurcation_surface(const YBifurcationSpec& spec);

}  // namespace ptwin::geometry::mesh
