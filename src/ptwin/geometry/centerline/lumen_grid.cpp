// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/centerline/lumen_grid.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::centerline {

using ingest::dicom::dot;

Vector3 LumenGrid::position_m(std::size_t index) const {
  const auto c = coordinates(index);
  return geometry.position_m(static_cast<double>(c[0] + offset[0]), static_cast<double>(c[1] + offset[1]),
                             static_cast<double>(c[2] + offset[2]));
}

Vector3 LumenGrid::continuous_index(const Vector3& point_m) const {
  const Vector3 d{point_m[0] - geometry.origin_m[0], point_m[1] - geometry.origin_m[1],
                  point_m[2] - geometry.origin_m[2]};
  return {dot(d, geometry.direction_i) / geometry.spacing_m[0] - static_cast<double>(offset[0]),
          dot(d, geometry.direction_j) / geometry.spacing_m[1] - static_cast<double>(offset[1]),
          dot(d, geometry.direction_k) / geometry.spacing_m[2] - static_cast<double>(offset[2])};
}

double LumenGrid::sample(const Vector3& point_m) const {
  const auto x = continuous_index(point_m);
  std::array<std::size_t, 3> low{};
  std::array<double, 3> weight{};
  for (int a = 0; a < 3; ++a) {
    const double top = static_cast<double>(size[a] - 1);
    const double c = std::clamp(x[a], 0.0, top);
    const double f = std::min(std::floor(c), std::max(top - 1.0, 0.0));
    low[a] = static_cast<std::size_t>(f);
    weight[a] = size[a] > 1 ? c - f : 0.0;
  }
  double value = 0.0;
  for (int corner = 0; corner < 8; ++corner) {
    double w = 1.0;
    std::array<std::size_t, 3> at = low;
    for (int a = 0; a < 3; ++a) {
      const bool is_high = ((corner >> a) & 1) != 0;
      if (is_high && size[a] == 1) { w = 0.0; break; }
      w *= is_high ? weight[a] : 1.0 - weight[a];
      at[a] += is_high ? 1 : 0;
    }
    if (w > 0.0 && mask[index(at[0], at[1], at[2])] != 0) value += w;
  }
  return value;
}

bool LumenGrid::is_on_volume_face(std::size_t index) const {
  const auto c = coordinates(index);
  for (int a = 0; a < 3; ++a) {
    const auto v = c[a] + offset[a];
    if (v == 0 || v + 1 == geometry.size[a]) return true;
  }
  return false;
}

double LumenGrid::min_spacing_m() const {
  return std::min({geometry.spacing_m[0], geometry.spacing_m[1], geometry.spacing_m[2]});
}

LumenGrid crop_lumen(const segmentation::LabelVolume& labels) {
  const auto& g = labels.geometry;
  if (labels.labels.size() != g.voxel_count() || g.voxel_count() == 0) {
    throw InputError(ErrorCode::BadInput, "label volume: labels", fmt::format("{} labels", labels.labels.size()),
                     fmt::format("must hold one label per voxel of the {}x{}x{} grid", g.size[0], g.size[1], g.size[2]));
  }
  for (int a = 0; a < 3; ++a) {
    if (!(g.spacing_m[a] > 0.0 && std::isfinite(g.spacing_m[a]))) {
      throw InputError(ErrorCode::BadInput, fmt::format("label volume: geometry.spacing_m[{}]", a),
                       fmt::format("{}", g.spacing_m[a]), "must be a positive length (metres)");
    }
  }
  std::array<std::size_t, 3> low{g.size[0], g.size[1], g.size[2]}, high{0, 0, 0};
  std::size_t count = 0;
  for (std::size_t k = 0; k < g.size[2]; ++k) {
    for (std::size_t j = 0; j < g.size[1]; ++j) {
      const std::uint8_t* row = labels.labels.data() + labels.index(0, j, k);
      for (std::size_t i = 0; i < g.size[0]; ++i) {
        if (row[i] != segmentation::kLumen) continue;
        ++count;
        low = {std::min(low[0], i), std::min(low[1], j), std::min(low[2], k)};
        high = {std::max(high[0], i), std::max(high[1], j), std::max(high[2], k)};
      }
    }
  }
  if (count == 0) {
    throw InputError(ErrorCode::BadInput, "label volume: labels", "no lumen voxel",
                     fmt::format("must label the vessel lumen {} (segment the image first)", segmentation::kLumen));
  }
  LumenGrid grid;
  grid.geometry = g;
  grid.lumen_voxels = count;
  for (int a = 0; a < 3; ++a) {
    grid.offset[a] = low[a] > 0 ? low[a] - 1 : 0;
    const std::size_t last = std::min(high[a] + 1, g.size[a] - 1);
    grid.size[a] = last - grid.offset[a] + 1;
  }
  grid.mask.assign(grid.voxel_count(), 0);
  for (std::size_t k = 0; k < grid.size[2]; ++k) {
    for (std::size_t j = 0; j < grid.size[1]; ++j) {
      for (std::size_t i = 0; i < grid.size[0]; ++i) {
        grid.mask[grid.index(i, j, k)] =
            labels.at(i + grid.offset[0], j + grid.offset[1], k + grid.offset[2]) == segmentation::kLumen ? 1 : 0;
      }
    }
  }
  return grid;
}

}  // namespace ptwin::geometry::centerline
