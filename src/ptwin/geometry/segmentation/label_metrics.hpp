// SPDX-License-Identifier: Apache-2.0
#pragma once
// Plain label-map operations without ITK: the threshold baseline the pipeline is benchmarked
// against, overlap (Dice) and volume.

#include <cstddef>
#include <span>

#include "ptwin/geometry/segmentation/label_volume.hpp"
#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::geometry::segmentation {

/// Lumen where lower_hu <= value <= upper_hu: the simplest segmentation, a baseline.
[[nodiscard]] LabelVolume threshold_labels(const ingest::dicom::ImageVolume& image, double lower_hu,
                                           double upper_hu);

/// Dice coefficient 2|A n B| / (|A| + |B|) of the lumen voxels of two label maps on the same
/// grid; throws InputError when the grids differ in size. 1 when both are empty.
[[nodiscard]] double dice_coefficient(const LabelVolume& a, const LabelVolume& b);

/// Number of lumen voxels.
[[nodiscard]] std::size_t lumen_voxel_count(const LabelVolume& labels);

/// Volume of one voxel (m^3).
[[nodiscard]] double voxel_volume_m3(const ingest::dicom::VolumeGeometry& geometry);

/// Keeps only the largest 6-connected lumen component; returns the number of voxels removed.
std::size_t keep_largest_component(LabelVolume& labels);

}  // namespace ptwin::geometry::segmentation
