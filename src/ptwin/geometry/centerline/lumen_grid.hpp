// SPDX-License-Identifier: Apache-2.0
#pragma once
// The lumen of a LabelVolume cropped to its bounding box (plus one voxel of background where the
// box does not reach the volume's faces), so that the distance map, the minimal-path search and
// the cross-sections work on the vessel's neighbourhood and not on the whole CT: a 512x512x300
// volume holds 79 M voxels, a coronary or carotid lumen's box a few hundred thousand.
// The one-voxel margin keeps the distance map exact: the nearest background voxel of any lumen
// voxel lies inside the crop (projecting a point onto the box only brings it closer).

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ptwin/geometry/segmentation/label_volume.hpp"

namespace ptwin::geometry::centerline {

using ingest::dicom::Vector3;

struct LumenGrid {
  ingest::dicom::VolumeGeometry geometry;    // of the whole volume
  std::array<std::size_t, 3> offset{};       // first voxel of the crop, in volume indices
  std::array<std::size_t, 3> size{};         // of the crop
  std::vector<std::uint8_t> mask;            // 1 = lumen, crop-indexed (i fastest)
  std::size_t lumen_voxels = 0;

  [[nodiscard]] std::size_t voxel_count() const { return size[0] * size[1] * size[2]; }
  [[nodiscard]] std::size_t index(std::size_t i, std::size_t j, std::size_t k) const {
    return i + size[0] * (j + size[1] * k);
  }
  [[nodiscard]] std::array<std::size_t, 3> coordinates(std::size_t index) const {
    return {index % size[0], (index / size[0]) % size[1], index / (size[0] * size[1])};
  }
  /// Patient-frame position (m) of a crop voxel's centre.
  [[nodiscard]] Vector3 position_m(std::size_t index) const;
  /// Crop-relative continuous index of a patient-frame point (voxel centres at integers).
  [[nodiscard]] Vector3 continuous_index(const Vector3& point_m) const;
  /// The mask interpolated trilinearly at a patient-frame point, 0..1. Indices are clamped to
  /// the crop: beyond a face of the volume the vessel continues as it leaves (the best guess),
  /// beyond the margin it is background (the margin is).
  [[nodiscard]] double sample(const Vector3& point_m) const;
  /// True when the crop voxel lies on a face of the whole volume.
  [[nodiscard]] bool is_on_volume_face(std::size_t index) const;
  [[nodiscard]] double min_spacing_m() const;
};

/// Crops the lumen (label kLumen; other labels count as background) of `labels`. Throws
/// InputError naming the field when the label count does not match the grid, the spacing is not
/// positive, or there is no lumen voxel.
[[nodiscard]] LumenGrid crop_lumen(const segmentation::LabelVolume& labels);

}  // namespace ptwin::geometry::centerline
