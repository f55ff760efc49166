// SPDX-License-Identifier: Apache-2.0
#pragma once
// A segmentation on the grid of the image it was made from: one label per voxel (0 = background,
// 1 = vessel lumen), with the same geometry and DICOM identity as the source volume so that the
// label map can be written back as DICOM SEG referencing that series. The record that
// segmentation hands to surfaces, centerlines and the SEG writer.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::geometry::segmentation {

inline constexpr std::uint8_t kBackground = 0;
inline constexpr std::uint8_t kLumen = 1;

struct LabelVolume {
  ingest::dicom::VolumeGeometry geometry;
  ingest::dicom::VolumeIdentity identity;  // of the source series
  std::vector<std::uint8_t> labels;        // i fastest, then j, then k (as ImageVolume)

  [[nodiscard]] std::size_t index(std::size_t i, std::size_t j, std::size_t k) const {
    return i + geometry.size[0] * (j + geometry.size[1] * k);
  }
  [[nodiscard]] std::uint8_t at(std::size_t i, std::size_t j, std::size_t k) const { return labels[index(i, j, k)]; }
  [[nodiscard]] std::uint8_t& at(std::size_t i, std::size_t j, std::size_t k) { return labels[index(i, j, k)]; }
};

/// An empty (all background) label volume on `image`'s grid, carrying its identity.
[[nodiscard]] inline LabelVolume empty_labels_like(const ingest::dicom::ImageVolume& image) {
  return LabelVolume{image.geometry, image.identity, std::vector<std::uint8_t>(image.values.size(), kBackground)};
}

}  // namespace ptwin::geometry::segmentation
