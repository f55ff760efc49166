// SPDX-License-Identifier: Apache-2.0
#pragma once
// The classical lumen segmentation (ITK), in four stages:
//   1. threshold region growing (itk::ConnectedThresholdImageFilter) from user seeds or the
//      automatic inlet seed (automatic_seed.hpp), 6-connected, in [lower, upper] HU;
//   2. smoothing of a box around that region (curvature flow or Gaussian);
//   3. level-set refinement (itk::ThresholdSegmentationLevelSetImageFilter) started from the
//      grown region, whose propagation term is positive inside the HU window and negative
//      outside, and whose curvature term keeps the boundary smooth;
//   4. the largest 6-connected component.
// ITK works in millimetres here (its level-set time steps and curvatures assume image units of
// the order of a voxel); the result is on the input grid.

#include <string>

#include "ptwin/geometry/segmentation/segmentation_settings.hpp"
#include "ptwin/geometry/segmentation/segmenter.hpp"

namespace ptwin::geometry::segmentation {

class ClassicalSegmenter final : public Segmenter {
 public:
  /// Throws InputError naming the field when `settings` are invalid (validate()).
  explicit ClassicalSegmenter(ClassicalSegmentationSettings settings);

  [[nodiscard]] std::string name() const override { return "classical"; }
  [[nodiscard]] SegmentationResult segment(const ingest::dicom::ImageVolume& image) const override;
  [[nodiscard]] const ClassicalSegmentationSettings& settings() const { return settings_; }

 private:
  ClassicalSegmentationSettings settings_;
};

}  // namespace ptwin::geometry::segmentation
