// SPDX-License-Identifier: Apache-2.0
#pragma once
// Writes a labelled surface as VTK XML PolyData (.vtp) for ParaView, meshing tools and review.

#include <filesystem>

#include "ptwin/geometry/surface/surface_face_labels.hpp"
#include "ptwin/geometry/surface/triangle_surface.hpp"

namespace ptwin::geometry::surface {

/// Writes `surface` (points in metres, patient frame) to `path` (binary, zlib-compressed), with
/// the cell array "face_label" (kWallLabel or the cap's label) when `labels.per_triangle` is not
/// empty. Throws Error(Io) when the file cannot be written, InputError when the label count
/// differs from the triangle count.
void write_vtp(const std::filesystem::path& path, const TriangleSurface& surface,
               const SurfaceFaceLabels& labels);

}  // namespace ptwin::geometry::surface
