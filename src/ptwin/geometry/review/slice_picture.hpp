// SPDX-License-Identifier: Apache-2.0
#pragma once
// A slice of a CT volume as a greyscale picture (HU window) with the outline of a segmentation
// drawn over it: how a reviewer checks at a glance where the lumen boundary landed.
//
// Planes are named after the voxel axis they hold fixed: axial = slice k (i across, j down),
// coronal = row j (i across, k up), sagittal = column i (j across, k up). Pixels are square: the
// picture samples the slice (nearest voxel) at a pitch of the finest in-plane spacing divided by
// an integer zoom, the smallest zoom that makes the longer edge at least `min_edge_px`. By default
// the picture is cropped to the lumen's bounding box and a margin.

#include <array>
#include <cstddef>
#include <string_view>

#include "ptwin/geometry/review/rgb_image.hpp"
#include "ptwin/geometry/segmentation/label_volume.hpp"
#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::geometry::review {

enum class SlicePlane { kAxial, kCoronal, kSagittal };

[[nodiscard]] std::string_view to_string(SlicePlane plane);

struct SlicePictureSettings {
  // A CT angiography window: 800 HU wide around 200 HU shows contrast-filled lumen (300-500 HU)
  // bright and soft tissue (~40 HU) mid-grey.
  double window_center_hu = 200.0;
  double window_width_hu = 800.0;
  std::size_t min_edge_px = 256;
  // The picture shows the lumen's bounding box widened by this margin on each side (clamped to
  // the image), so that a vessel in a large field of view is not a few pixels wide; 0 shows the
  // whole slice. With no lumen the whole slice is shown.
  double lumen_margin_m = 10e-3;
  Rgb outline{255, 48, 48};
};

struct SlicePicture {
  RgbImage image;
  SlicePlane plane = SlicePlane::kAxial;
  std::size_t index = 0;           // of the fixed voxel axis
  std::size_t zoom = 1;            // picture pixels per voxel along the finest axis
  std::size_t outline_pixels = 0;  // pixels drawn as segmentation boundary
  std::array<std::size_t, 2> first_voxel{0, 0};  // across, down voxel indices at the top-left pixel
  std::array<std::size_t, 2> voxel_count{0, 0};  // across, down voxels shown
};

/// The index along `plane`'s fixed axis of the lumen's centroid (the middle slice when the label
/// map holds no lumen).
[[nodiscard]] std::size_t lumen_centroid_index(const segmentation::LabelVolume& labels,
                                               SlicePlane plane);

/// Slice `index` of `image` in `plane` with `labels`' boundary outlined. Throws InputError when
/// the grids differ or `index` is outside the image.
[[nodiscard]] SlicePicture slice_picture(const ingest::dicom::ImageVolume& image,
                                         const segmentation::LabelVolume& labels, SlicePlane plane,
                                         std::size_t index, const SlicePictureSettings& settings = {});

}  // namespace ptwin::geometry::review
