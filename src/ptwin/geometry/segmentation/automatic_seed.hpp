// SPDX-License-Identifier: Apache-2.0
#pragma once
// The automatic seed of the classical pipeline: the vessel where it enters the image.

#include <array>
#include <cstddef>

#include "ptwin/geometry/segmentation/segmentation_settings.hpp"
#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::geometry::segmentation {

/// Searches the slices parallel to `settings.inlet_face`, from the face inwards up to
/// `settings.seed_search_depth_m`, for the largest 4-connected region of voxels inside the
/// threshold window with an area of at least `settings.min_seed_area_m2`; returns that region's
/// voxel closest to its centroid. Slices are searched in order and the first one holding such a
/// region wins, so the seed is the vessel nearest the inlet. Throws InputError (field
/// "segmentation: automatic seed") when no slice holds one.
[[nodiscard]] std::array<std::size_t, 3> find_inlet_seed(
    const ingest::dicom::ImageVolume& image, const ClassicalSegmentationSettings& settings);

}  // namespace ptwin::geometry::segmentation
