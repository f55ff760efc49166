// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/segmentation/label_overlap.hpp"

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::segmentation {

double LabelOverlap::dice() const {
  const std::size_t denominator = 2 * true_positive + false_positive + false_negative;
  return denominator == 0 ? 1.0 : 2.0 * static_cast<double>(true_positive) / static_cast<double>(denominator);
}

LabelOverlap label_overlap(const LabelVolume& result, const LabelVolume& reference) {
  if (result.geometry.size != reference.geometry.size || result.labels.size() != reference.labels.size()) {
    throw InputError(ErrorCode::BadInput, "segmentation grid",
                     fmt::format("{}x{}x{}", result.geometry.size[0], result.geometry.size[1], result.geometry.size[2]),
                     fmt::format("the reference's grid, {}x{}x{}", reference.geometry.size[0],
                                 reference.geometry.size[1], reference.geometry.size[2]));
  }
  LabelOverlap overlap;
  for (std::size_t v = 0; v < result.labels.size(); ++v) {
    const bool a = result.labels[v] == kLumen;
    const bool b = reference.labels[v] == kLumen;
    overlap.true_positive += static_cast<std::size_t>(a && b);
    overlap.false_positive += static_cast<std::size_t>(a && !b);
    overlap.false_negative += static_cast<std::size_t>(!a && b);
  }
  return overlap;
}

}  // namespace ptwin::geometry::segmentation
