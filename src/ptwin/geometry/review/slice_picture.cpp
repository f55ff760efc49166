// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/review/slice_picture.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::review {
namespace {

// The voxel axes a plane shows: across (left to right), down (top to bottom), fixed; and whether
// the down axis runs against the voxel index (k grows upwards in the picture).
struct PlaneAxes {
  std::size_t across;
  std::size_t down;
  std::size_t fixed;
  bool is_down_reversed;
};

PlaneAxes axes_of(SlicePlane plane) {
  switch (plane) {
    case SlicePlane::kAxial:
      return {0, 1, 2, false};
    case SlicePlane::kCoronal:
      return {0, 2, 1, true};
    case SlicePlane::kSagittal:
      return {1, 2, 0, true};
  }
  return {0, 1, 2, false};
}

std::uint8_t grey_of(float hu, const SlicePictureSettings& settings) {
  const double low = settings.window_center_hu - settings.window_width_hu / 2.0;
  const double t = (hu - low) / settings.window_width_hu;
  return static_cast<std::uint8_t>(std::lround(255.0 * std::clamp(t, 0.0, 1.0)));
}

// The lumen's bounding box (first and last voxel index per axis), if it has lumen.
std::optional<std::pair<std::array<std::size_t, 3>, std::array<std::size_t, 3>>> lumen_box(
    const segmentation::LabelVolume& labels) {
  const auto& size = labels.geometry.size;
  std::array<std::size_t, 3> low{size[0], size[1], size[2]};
  std::array<std::size_t, 3> high{0, 0, 0};
  bool has_lumen = false;
  for (std::size_t k = 0; k < size[2]; ++k) {
    for (std::size_t j = 0; j < size[1]; ++j) {
      for (std::size_t i = 0; i < size[0]; ++i) {
        if (labels.at(i, j, k) != segmentation::kLumen) continue;
        has_lumen = true;
        const std::array<std::size_t, 3> ijk{i, j, k};
        for (std::size_t a = 0; a < 3; ++a) {
          low[a] = std::min(low[a], ijk[a]);
          high[a] = std::max(high[a], ijk[a]);
        }
      }
    }
  }
  if (!has_lumen) return std::nullopt;
  return std::make_pair(low, high);
}

}  // namespace

std::string_view to_string(SlicePlane plane) {
  switch (plane) {
    case SlicePlane::kAxial:
      return "axial";
    case SlicePlane::kCoronal:
      return "coronal";
    case SlicePlane::kSagittal:
      return "sagittal";
  }
  return "axial";
}

std::size_t lumen_centroid_index(const segmentation::LabelVolume& labels, SlicePlane plane) {
  const auto& size = labels.geometry.size;
  const std::size_t axis = axes_of(plane).fixed;
  double sum = 0.0;
  std::size_t count = 0;
  for (std::size_t k = 0; k < size[2]; ++k) {
    for (std::size_t j = 0; j < size[1]; ++j) {
      for (std::size_t i = 0; i < size[0]; ++i) {
        if (labels.at(i, j, k) != segmentation::kLumen) continue;
        const std::array<std::size_t, 3> ijk{i, j, k};
        sum += static_cast<double>(ijk[axis]);
        ++count;
      }
    }
  }
  if (count == 0) return size[axis] / 2;
  return std::min(size[axis] - 1, static_cast<std::size_t>(std::lround(sum / static_cast<double>(count))));
}

SlicePicture slice_picture(const ingest::dicom::ImageVolume& image,
                           const segmentation::LabelVolume& labels, SlicePlane plane,
                           std::size_t index, const SlicePictureSettings& settings) {
  const auto& geometry = image.geometry;
  if (labels.geometry.size != geometry.size || labels.labels.size() != image.values.size()) {
    throw InputError(ErrorCode::BadInput, "slice picture: labels",
                     fmt::format("{}x{}x{}", labels.geometry.size[0], labels.geometry.size[1],
                                 labels.geometry.size[2]),
                     "a label map on the image's grid");
  }
  const PlaneAxes axes = axes_of(plane);
  if (index >= geometry.size[axes.fixed]) {
    throw InputError(ErrorCode::BadInput, fmt::format("slice picture: {} index", to_string(plane)),
                     std::to_string(index), fmt::format("below {}", geometry.size[axes.fixed]));
  }
  // The voxel range shown along each in-plane axis: the lumen's box and margin, or everything.
  std::array<std::size_t, 3> first{0, 0, 0};
  std::array<std::size_t, 3> last{geometry.size[0] - 1, geometry.size[1] - 1, geometry.size[2] - 1};
  if (settings.lumen_margin_m > 0.0) {
    const auto box = lumen_box(labels);
    if (box) {
      for (std::size_t a = 0; a < 3; ++a) {
        const auto margin = static_cast<std::size_t>(std::ceil(settings.lumen_margin_m / geometry.spacing_m[a]));
        first[a] = box->first[a] > margin ? box->first[a] - margin : 0;
        last[a] = std::min(geometry.size[a] - 1, box->second[a] + margin);
      }
    }
  }
  const std::size_t n_across = last[axes.across] - first[axes.across] + 1;
  const std::size_t n_down = last[axes.down] - first[axes.down] + 1;
  const double spacing_across = geometry.spacing_m[axes.across];
  const double spacing_down = geometry.spacing_m[axes.down];
  const std::size_t longest = std::max(n_across, n_down);
  SlicePicture picture;
  picture.plane = plane;
  picture.index = index;
  picture.zoom = std::max<std::size_t>(1, (settings.min_edge_px + longest - 1) / longest);
  const double pitch_m = std::min(spacing_across, spacing_down) / static_cast<double>(picture.zoom);
  const auto width = static_cast<std::size_t>(std::lround(static_cast<double>(n_across) * spacing_across / pitch_m));
  const auto height = static_cast<std::size_t>(std::lround(static_cast<double>(n_down) * spacing_down / pitch_m));
  picture.image = RgbImage(width, height, Rgb{0, 0, 0});
  picture.first_voxel = {first[axes.across], axes.is_down_reversed ? last[axes.down] : first[axes.down]};
  picture.voxel_count = {n_across, n_down};

  // The voxel each pixel shows, and whether it is lumen.
  std::vector<std::size_t> voxel(width * height);
  std::vector<std::uint8_t> is_lumen(width * height);
  for (std::size_t y = 0; y < height; ++y) {
    auto down = std::min(n_down - 1, static_cast<std::size_t>((static_cast<double>(y) + 0.5) * pitch_m / spacing_down));
    down = axes.is_down_reversed ? last[axes.down] - down : first[axes.down] + down;
    for (std::size_t x = 0; x < width; ++x) {
      const auto across = std::min(n_across - 1, static_cast<std::size_t>((static_cast<double>(x) + 0.5) * pitch_m / spacing_across));
      std::array<std::size_t, 3> ijk{};
      ijk[axes.across] = first[axes.across] + across;
      ijk[axes.down] = down;
      ijk[axes.fixed] = index;
      const std::size_t at = image.index(ijk[0], ijk[1], ijk[2]);
      voxel[x + width * y] = at;
      is_lumen[x + width * y] = labels.labels[at] == segmentation::kLumen ? 1 : 0;
    }
  }
  const auto lumen_at = [&](long x, long y) {
    if (x < 0 || y < 0 || x >= static_cast<long>(width) || y >= static_cast<long>(height)) return false;
    return is_lumen[static_cast<std::size_t>(x) + width * static_cast<std::size_t>(y)] != 0;
  };
  for (std::size_t y = 0; y < height; ++y) {
    for (std::size_t x = 0; x < width; ++x) {
      const auto xl = static_cast<long>(x);
      const auto yl = static_cast<long>(y);
      const bool is_boundary = lumen_at(xl, yl) && (!lumen_at(xl - 1, yl) || !lumen_at(xl + 1, yl) ||
                                                    !lumen_at(xl, yl - 1) || !lumen_at(xl, yl + 1));
      if (is_boundary) {
        picture.image.set(x, y, settings.outline);
        ++picture.outline_pixels;
      } else {
        const std::uint8_t grey = grey_of(image.values[voxel[x + width * y]], settings);
        picture.image.set(x, y, Rgb{grey, grey, grey});
      }
    }
  }
  return picture;
}

}  // namespace ptwin::geometry::review
