// SPDX-License-Identifier: Apache-2.0
#pragma once
// The extension point for segmentation methods: anything that turns a CT volume into a lumen
// label map on the same grid. The classical ITK pipeline (classical_segmenter.hpp) is one
// implementation; a learned model (e.g. a TorchScript network) plugs in by deriving from
// Segmenter and returning the same result record.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "ptwin/geometry/segmentation/label_volume.hpp"
#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::geometry::segmentation {

/// How long one named stage of a segmentation took (steady clock, for the per-stage budget).
struct StageTiming {
  std::string stage;
  double seconds = 0.0;
};

/// What a segmenter did, for provenance and the V&V report. Fields a method does not use stay
/// empty or zero.
struct SegmentationReport {
  std::string method;                                 // e.g. "classical"
  std::string seed_source;                            // "user" or "automatic"
  std::vector<std::array<std::size_t, 3>> seeds_ijk;  // voxel indices of the seeds used
  double lower_threshold_hu = 0.0;
  double upper_threshold_hu = 0.0;
  std::size_t region_growing_voxels = 0;  // after threshold region growing
  std::size_t level_set_voxels = 0;       // after level-set refinement (0 if not run)
  std::size_t level_set_iterations = 0;
  std::size_t final_voxels = 0;  // after keeping the largest connected component
  std::size_t removed_component_voxels = 0;
  std::array<std::size_t, 3> roi_start{0, 0, 0};  // region of interest the refinement ran on
  std::array<std::size_t, 3> roi_size{0, 0, 0};
  std::vector<StageTiming> timings;
};

struct SegmentationResult {
  LabelVolume labels;
  SegmentationReport report;
};

/// A segmentation method. Implementations are immutable after construction, so one instance may
/// be used from several threads at once.
class Segmenter {
 public:
  virtual ~Segmenter() = default;
  Segmenter() = default;
  Segmenter(const Segmenter&) = delete;
  Segmenter& operator=(const Segmenter&) = delete;
  Segmenter(Segmenter&&) = delete;
  Segmenter& operator=(Segmenter&&) = delete;

  /// The method's key as it appears in configuration and reports.
  [[nodiscard]] virtual std::string name() const = 0;
  /// Segments the vessel lumen of `image` (a CT volume in HU). Throws InputError when the image
  /// cannot be segmented as configured (e.g. a seed outside the image, or no lumen found), with
  /// the field and the value.
  [[nodiscard]] virtual SegmentationResult segment(
      const ingest::dicom::ImageVolume& image) const = 0;
};

}  // namespace ptwin::geometry::segmentation
