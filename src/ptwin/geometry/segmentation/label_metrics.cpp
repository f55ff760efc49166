// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/segmentation/label_metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::segmentation {

LabelVolume threshold_labels(const ingest::dicom::ImageVolume& image, double lower_hu,
                             double upper_hu) {
  LabelVolume labels = empty_labels_like(image);
  for (std::size_t v = 0; v < image.values.size(); ++v) {
    const double value = image.values[v];
    if (value >= lower_hu && value <= upper_hu) labels.labels[v] = kLumen;
  }
  return labels;
}

double dice_coefficient(const LabelVolume& a, const LabelVolume& b) {
  if (a.geometry.size != b.geometry.size || a.labels.size() != b.labels.size()) {
    throw InputError(
        ErrorCode::BadInput, "dice_coefficient: b.geometry.size",
        fmt::format("{}x{}x{}", b.geometry.size[0], b.geometry.size[1], b.geometry.size[2]),
        fmt::format("the size of a ({}x{}x{})", a.geometry.size[0], a.geometry.size[1],
                    a.geometry.size[2]));
  }
  std::size_t both = 0, in_a = 0, in_b = 0;
  for (std::size_t v = 0; v < a.labels.size(); ++v) {
    const bool is_a = a.labels[v] == kLumen;
    const bool is_b = b.labels[v] == kLumen;
    in_a += is_a ? 1 : 0;
    in_b += is_b ? 1 : 0;
    both += (is_a && is_b) ? 1 : 0;
  }
  if (in_a + in_b == 0) return 1.0;
  return 2.0 * static_cast<double>(both) / static_cast<double>(in_a + in_b);
}

std::size_t lumen_voxel_count(const LabelVolume& labels) {
  return static_cast<std::size_t>(std::count(labels.labels.begin(), labels.labels.end(), kLumen));
}

double voxel_volume_m3(const ingest::dicom::VolumeGeometry& geometry) {
  return geometry.spacing_m[0] * geometry.spacing_m[1] * geometry.spacing_m[2];
}

std::size_t keep_largest_component(LabelVolume& labels) {
  const auto& size = labels.geometry.size;
  constexpr std::uint32_t kUnvisited = 0;
  std::vector<std::uint32_t> component(labels.labels.size(), kUnvisited);
  std::vector<std::size_t> component_sizes{0};  // index 0 unused
  std::vector<std::size_t> stack;
  const std::size_t stride_j = size[0];
  const std::size_t stride_k = size[0] * size[1];
  for (std::size_t start = 0; start < labels.labels.size(); ++start) {
    if (labels.labels[start] != kLumen || component[start] != kUnvisited) continue;
    const auto id = static_cast<std::uint32_t>(component_sizes.size());
    std::size_t count = 0;
    component[start] = id;
    stack.push_back(start);
    while (!stack.empty()) {
      const std::size_t v = stack.back();
      stack.pop_back();
      ++count;
      const std::size_t i = v % size[0];
      const std::size_t j = (v / stride_j) % size[1];
      const std::size_t k = v / stride_k;
      const auto visit = [&](std::size_t neighbour) {
        if (labels.labels[neighbour] == kLumen && component[neighbour] == kUnvisited) {
          component[neighbour] = id;
          stack.push_back(neighbour);
        }
      };
      if (i > 0) visit(v - 1);
      if (i + 1 < size[0]) visit(v + 1);
      if (j > 0) visit(v - stride_j);
      if (j + 1 < size[1]) visit(v + stride_j);
      if (k > 0) visit(v - stride_k);
      if (k + 1 < size[2]) visit(v + stride_k);
    }
    component_sizes.push_back(count);
  }
  if (component_sizes.size() <= 2) return 0;
  const auto largest = static_cast<std::uint32_t>(
      std::max_element(component_sizes.begin() + 1, component_sizes.end()) -
      component_sizes.begin());
  std::size_t removed = 0;
  for (std::size_t v = 0; v < labels.labels.size(); ++v) {
    if (labels.labels[v] == kLumen && component[v] != largest) {
      labels.labels[v] = kBackground;
      ++removed;
    }
  }
  return removed;
}

}  // namespace ptwin::geometry::segmentation
