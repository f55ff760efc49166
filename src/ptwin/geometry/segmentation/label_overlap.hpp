// SPDX-License-Identifier: Apache-2.0
#pragma once
// Overlap of two segmentations on the same grid, the figures segmentation accuracy is stated in.

#include <cstddef>

#include "ptwin/geometry/segmentation/label_volume.hpp"

namespace ptwin::geometry::segmentation {

struct LabelOverlap {
  std::size_t true_positive = 0;   // voxels labelled lumen in both
  std::size_t false_positive = 0;  // lumen in `result` only
  std::size_t false_negative = 0;  // lumen in `reference` only
  /// Dice similarity coefficient 2|A∩B| / (|A| + |B|) (Dice 1945); 1 when both are empty.
  [[nodiscard]] double dice() const;
};

/// The lumen overlap of `result` against `reference`; InputError when the grids differ in size.
[[nodiscard]] LabelOverlap label_overlap(const LabelVolume& result, const LabelVolume& reference);

}  // namespace ptwin::geometry::segmentation
