// SPDX-License-Identifier: Apache-2.0
#pragma once
// Writes review pictures as PNG (vtkPNGWriter).

#include <filesystem>

#include "ptwin/geometry/review/rgb_image.hpp"

namespace ptwin::geometry::review {

/// Writes `image` as an 8-bit RGB PNG. Throws Error(Io) naming the path when it cannot be
/// written, InputError for an empty image.
void write_png(const std::filesystem::path& path, const RgbImage& image);

}  // namespace ptwin::geometry::review
