// SPDX-License-Identifier: Apache-2.0
#pragma once
// A closed triangulated surface whose triangles carry a boundary label: 0 for the vessel wall,
// k > 0 for cap k (a planar cut where the vessel leaves the field of view). This is the input of
// volume meshing. The label lives beside TriangleSurface rather than in it so that the surface
// record stays the one shared by every stage; surface extraction fills both.

#include <map>
#include <string_view>
#include <vector>

#include "ptwin/geometry/surface/surface_face_labels.hpp"
#include "ptwin/geometry/surface/triangle_surface.hpp"

namespace ptwin::geometry::mesh {

inline constexpr int kWallLabel = 0;

struct LabelledSurface {
  surface::TriangleSurface surface;
  std::vector<int> triangle_labels;  // one per triangle: kWallLabel or a cap id > 0
};

/// Checks what volume meshing relies on, and throws InputError naming `where`, the triangle or
/// edge and the rule otherwise: one label per triangle, labels >= 0, at least one wall triangle
/// and one cap, vertex indices in range, finite coordinates, no zero-area triangle, and a closed,
/// consistently oriented 2-manifold (every directed edge once, its reverse once) enclosing a
/// positive volume (outward normals).
void validate_labelled_surface(const LabelledSurface& labelled, std::string_view where);

/// Reorders the vertices of triangles so that each connected part of the closed surface is
/// consistently oriented with outward normals (positive enclosed volume). Throws InputError
/// naming the edge when an edge is not shared by exactly two triangles.
void orient_outward(surface::TriangleSurface& surface);

/// The lumen surface as surface extraction gives it (surface_extraction.hpp) as meshing input:
/// the same triangles, the wall as kWallLabel and each cap by its CapInfo::label.
[[nodiscard]] LabelledSurface labelled_surface_from(const surface::TriangleSurface& surface,
                                                   const surface::SurfaceFaceLabels& labels);

/// The label of the cap whose role is the inlet, for TetraMeshSettings::inlet_label; InputError
/// when the labels have no inlet cap.
[[nodiscard]] int inlet_label_of(const surface::SurfaceFaceLabels& labels);

/// The area (m^2) of each label's triangles, keyed by label.
[[nodiscard]] std::map<int, double> label_areas_m2(const LabelledSurface& labelled);

}  // namespace ptwin::geometry::mesh
