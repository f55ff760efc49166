// SPDX-License-Identifier: Apache-2.0
#pragma once
// What the two surface picture renderers (surface_picture.cpp, vtk_surface_picture.cpp) share:
// the check of their input and the colour of a triangle by its label's role.

#include <cstddef>

#include "ptwin/geometry/review/surface_picture.hpp"

namespace ptwin::geometry::review::detail {

/// Throws InputError when the surface has no triangle or the label count is wrong.
void check_picture_input(const surface::TriangleSurface& surface,
                         const surface::SurfaceFaceLabels& labels);

/// The wall, inlet or outlet colour of `triangle` (wall when `labels` is empty).
[[nodiscard]] Rgb role_colour(const surface::SurfaceFaceLabels& labels, std::size_t triangle,
                              const SurfacePictureSettings& settings);

}  // namespace ptwin::geometry::review::detail
