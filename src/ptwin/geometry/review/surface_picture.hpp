// SPDX-License-Identifier: Apache-2.0
#pragma once
// A shaded picture of a labelled vessel surface, drawn by a small z-buffer rasteriser of our own
// (orthographic anterior view, Lambert shading with the light at the eye). VTK's renderer draws
// the same picture (vtk_surface_picture.hpp) but needs an X server, since Debian's VTK 9.1
// renders only through an X11 OpenGL context; this one needs no display, is deterministic and
// takes milliseconds (docs/geometry.md#ptwin-image).
//
// View: the patient seen from the front (anterior), as a coronal image is read: patient left
// (+x, LPS) to the right of the picture, superior (+z) up, depth along +y (posterior).

#include <cstddef>

#include "ptwin/geometry/review/rgb_image.hpp"
#include "ptwin/geometry/surface/surface_face_labels.hpp"
#include "ptwin/geometry/surface/triangle_surface.hpp"

namespace ptwin::geometry::review {

struct SurfacePictureSettings {
  std::size_t width_px = 512;
  std::size_t height_px = 512;
  double margin_fraction = 0.05;  // of the picture kept free around the surface
  Rgb background{32, 32, 40};
  Rgb wall{214, 92, 80};
  Rgb inlet{72, 118, 224};
  Rgb outlet{88, 184, 96};
};

struct SurfacePicture {
  RgbImage image;
  std::size_t covered_pixels = 0;  // pixels showing the surface
  std::size_t drawn_triangles = 0;  // triangles that reached at least one pixel
};

/// Draws `surface` coloured by `labels` (wall, inlet and outlet caps; labels may be empty: all
/// wall). Throws InputError when the surface has no triangle or the label count is wrong.
[[nodiscard]] SurfacePicture surface_picture(const surface::TriangleSurface& surface,
                                             const surface::SurfaceFaceLabels& labels,
                                             const SurfacePictureSettings& settings = {});

}  // namespace ptwin::geometry::review
