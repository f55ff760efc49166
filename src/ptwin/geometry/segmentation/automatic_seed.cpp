// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/segmentation/automatic_seed.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <vector>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::segmentation {
namespace {

struct SliceAxes {
  std::size_t normal = 2, u = 0, v = 1;  // index axes: across the slice, and within it
  bool from_max = false;
};

SliceAxes axes_of(ImageFace face) {
  switch (face) {
    case ImageFace::kIMin:
      return {0, 1, 2, false};
    case ImageFace::kIMax:
      return {0, 1, 2, true};
    case ImageFace::kJMin:
      return {1, 0, 2, false};
    case ImageFace::kJMax:
      return {1, 0, 2, true};
    case ImageFace::kKMin:
      return {2, 0, 1, false};
    case ImageFace::kKMax:
      return {2, 0, 1, true};
  }
  return {};
}

struct Region {
  std::vector<std::size_t> cells;  // u + size_u * v
};

// 4-connected regions of `inside` on a size_u x size_v grid.
std::vector<Region> regions_of(const std::vector<bool>& inside, std::size_t size_u,
                               std::size_t size_v) {
  std::vector<bool> seen(inside.size(), false);
  std::vector<Region> regions;
  std::vector<std::size_t> stack;
  for (std::size_t start = 0; start < inside.size(); ++start) {
    if (!inside[start] || seen[start]) continue;
    Region region;
    seen[start] = true;
    stack.push_back(start);
    while (!stack.empty()) {
      const std::size_t cell = stack.back();
      stack.pop_back();
      region.cells.push_back(cell);
      const std::size_t u = cell % size_u, v = cell / size_u;
      const auto visit = [&](std::size_t next) {
        if (inside[next] && !seen[next]) {
          seen[next] = true;
          stack.push_back(next);
        }
      };
      if (u > 0) visit(cell - 1);
      if (u + 1 < size_u) visit(cell + 1);
      if (v > 0) visit(cell - size_u);
      if (v + 1 < size_v) visit(cell + size_u);
    }
    regions.push_back(std::move(region));
  }
  return regions;
}

}  // namespace

std::array<std::size_t, 3> find_inlet_seed(const ingest::dicom::ImageVolume& image,
                                           const ClassicalSegmentationSettings& settings) {
  const auto& geometry = image.geometry;
  const SliceAxes axes = axes_of(settings.inlet_face);
  const std::size_t size_u = geometry.size[axes.u], size_v = geometry.size[axes.v];
  const double cell_area_m2 = geometry.spacing_m[axes.u] * geometry.spacing_m[axes.v];
  const auto depth = static_cast<std::size_t>(
      std::floor(settings.seed_search_depth_m / geometry.spacing_m[axes.normal]));
  const std::size_t slices = std::min(geometry.size[axes.normal], depth + 1);
  std::vector<bool> inside(size_u * size_v);
  for (std::size_t step = 0; step < slices; ++step) {
    const std::size_t slice = axes.from_max ? geometry.size[axes.normal] - 1 - step : step;
    const auto voxel = [&](std::size_t u, std::size_t v) {
      std::array<std::size_t, 3> ijk{};
      ijk[axes.normal] = slice;
      ijk[axes.u] = u;
      ijk[axes.v] = v;
      return ijk;
    };
    for (std::size_t v = 0; v < size_v; ++v) {
      for (std::size_t u = 0; u < size_u; ++u) {
        const auto ijk = voxel(u, v);
        const double value = image.at(ijk[0], ijk[1], ijk[2]);
        inside[u + size_u * v] =
            value >= settings.lower_threshold_hu && value <= settings.upper_threshold_hu;
      }
    }
    const auto regions = regions_of(inside, size_u, size_v);
    const Region* best = nullptr;
    for (const auto& region : regions) {
      const double area_m2 = static_cast<double>(region.cells.size()) * cell_area_m2;
      if (area_m2 >= settings.min_seed_area_m2 &&
          (best == nullptr || region.cells.size() > best->cells.size())) {
        best = &region;
      }
    }
    if (best == nullptr) continue;
    double mean_u = 0.0, mean_v = 0.0;
    for (const std::size_t cell : best->cells) {
      mean_u += static_cast<double>(cell % size_u);
      mean_v += static_cast<double>(cell / size_u);
    }
    mean_u /= static_cast<double>(best->cells.size());
    mean_v /= static_cast<double>(best->cells.size());
    std::size_t nearest = best->cells.front();
    double nearest_d2 = std::numeric_limits<double>::infinity();
    for (const std::size_t cell : best->cells) {
      const double du = static_cast<double>(cell % size_u) - mean_u;
      const double dv = static_cast<double>(cell / size_u) - mean_v;
      if (du * du + dv * dv < nearest_d2) {
        nearest_d2 = du * du + dv * dv;
        nearest = cell;
      }
    }
    return voxel(nearest % size_u, nearest / size_u);
  }
  throw InputError(
      ErrorCode::BadInput, "segmentation: automatic seed",
      fmt::format("{} slices from face {} searched", slices, to_string(settings.inlet_face)),
      fmt::format("a region of at least {} m^2 with values in [{}, {}] HU; give seeds_m, "
                  "choose another inlet_face or widen the threshold window",
                  settings.min_seed_area_m2, settings.lower_threshold_hu,
                  settings.upper_threshold_hu));
}

}  // namespace ptwin::geometry::segmentation
