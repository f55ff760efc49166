// SPDX-License-Identifier: Apache-2.0
#pragma once
// The surface picture drawn by VTK's OpenGL renderer, offscreen: the same view, framing and
// colours as surface_picture() (orthographic anterior view, patient left to the right, superior
// up; wall, inlet and outlets coloured; ambient 0.25 + diffuse 0.75 with the light at the eye).
// Debian's VTK 9.1 renders only through an X11 OpenGL context (it is built without OSMesa and
// EGL), so this needs an X server: a desktop, or Xvfb on a headless machine (`xvfb-run ptwin
// image ...`; Mesa's llvmpipe renders in software). Without one VTK would abort the process,
// so the display is checked first and its absence is an error that says what to do.

#include <optional>
#include <string>

#include "ptwin/geometry/review/surface_picture.hpp"

namespace ptwin::geometry::review {

/// Why VTK cannot render here (no DISPLAY, or the X server at DISPLAY does not answer), or
/// nothing when it can.
[[nodiscard]] std::optional<std::string> vtk_rendering_unavailable();

/// Draws `surface` coloured by `labels` with VTK offscreen. `drawn_triangles` is not known to
/// this renderer and stays 0. Throws InputError as surface_picture() does, and InputError
/// naming DISPLAY with vtk_rendering_unavailable()'s reason and what to do.
[[nodiscard]] SurfacePicture vtk_surface_picture(const surface::TriangleSurface& surface,
                                                 const surface::SurfaceFaceLabels& labels,
                                                 const SurfacePictureSettings& settings = {});

}  // namespace ptwin::geometry::review
