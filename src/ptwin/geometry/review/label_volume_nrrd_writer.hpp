// SPDX-License-Identifier: Apache-2.0
#pragma once
// Writes a label map as NRRD (ITK's NrrdImageIO), the format 3D Slicer and ITK-SNAP open as a
// label map: unsigned 8-bit, 0 background and 1 lumen, `space: left-posterior-superior`, with
// the grid's direction cosines, and spacing and origin in millimetres (the unit those tools
// assume for NRRD space; inside ptwin everything stays in metres).

#include <filesystem>

#include "ptwin/geometry/segmentation/label_volume.hpp"

namespace ptwin::geometry::review {

/// Writes `labels` to `path` (".nrrd"; raw data when `is_compressed` is false, else gzip).
/// Throws Error(Io) naming the path when it cannot be written.
void write_label_volume_nrrd(const std::filesystem::path& path,
                             const segmentation::LabelVolume& labels, bool is_compressed = true);

}  // namespace ptwin::geometry::review
