// SPDX-License-Identifier: Apache-2.0
#pragma once
// Repairs what check_surface finds, in this order: merge coincident points, drop degenerate and
// duplicate triangles, drop the triangles on non-manifold edges (the holes they leave are filled
// next), give each extra fan around a pinched vertex its own copy of the point, fill each
// boundary loop with a fan around its centroid, make the orientation consistent across every
// edge and then outward per component, and drop unused points. Not repaired:
// self-intersections, including the contact left where a pinched vertex was split; the check
// afterwards counts them.

#include <cstddef>
#include <string>

#include "ptwin/geometry/surface/surface_face_labels.hpp"
#include "ptwin/geometry/surface/triangle_surface.hpp"

namespace ptwin::geometry::surface {

struct SurfaceRepairReport {
  std::size_t merged_points = 0;
  std::size_t removed_degenerate_triangles = 0;
  std::size_t removed_duplicate_triangles = 0;
  std::size_t removed_non_manifold_triangles = 0;
  std::size_t split_pinched_vertices = 0;
  std::size_t filled_holes = 0;
  std::size_t fill_triangles_added = 0;
  std::size_t flipped_triangles = 0;
  std::size_t removed_unused_points = 0;

  [[nodiscard]] std::size_t change_count() const {
    return merged_points + removed_degenerate_triangles + removed_duplicate_triangles +
           removed_non_manifold_triangles + split_pinched_vertices + filled_holes +
           flipped_triangles + removed_unused_points;
  }
  [[nodiscard]] std::string summary() const;
};

/// Repairs `surface` in place. `labels.per_triangle` (if not empty, one per triangle) follows the
/// triangles: kept triangles keep their label, fill triangles get kWallLabel. Points closer than
/// `merge_tolerance_m` along every axis are merged.
SurfaceRepairReport repair_surface(TriangleSurface& surface, SurfaceFaceLabels& labels,
                                   double merge_tolerance_m = 1e-9);

}  // namespace ptwin::geometry::surface
