// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/review/detail/surface_picture_inputs.hpp"

#include <string>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::review::detail {

void check_picture_input(const surface::TriangleSurface& surface,
                         const surface::SurfaceFaceLabels& labels) {
  if (surface.triangles.empty()) {
    throw InputError(ErrorCode::BadInput, "surface picture: triangles", "0", "a surface with triangles");
  }
  if (!labels.per_triangle.empty() && labels.per_triangle.size() != surface.triangles.size()) {
    throw InputError(ErrorCode::BadInput, "surface picture: face labels",
                     std::to_string(labels.per_triangle.size()),
                     "one label per triangle (" + std::to_string(surface.triangles.size()) + ")");
  }
}

Rgb role_colour(const surface::SurfaceFaceLabels& labels, std::size_t triangle,
                const SurfacePictureSettings& settings) {
  if (labels.per_triangle.empty()) return settings.wall;
  const auto label = labels.per_triangle[triangle];
  if (label == surface::kWallLabel) return settings.wall;
  const auto cap = static_cast<std::size_t>(label - 1);
  if (cap < labels.caps.size() && labels.caps[cap].role == surface::CapRole::kInlet) return settings.inlet;
  return settings.outlet;
}

}  // namespace ptwin::geometry::review::detail
