// SPDX-License-Identifier: Apache-2.0
#pragma once
// Settings of the classical segmentation pipeline (classical_segmenter.hpp), with their defaults
// and why, and the validation that names the offending field.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::geometry::segmentation {

/// Edge-preserving or plain smoothing applied before level-set refinement.
enum class SmoothingMethod { kNone, kGaussian, kCurvatureFlow };

/// A face of the image box, named by the index axis and end: "i_min" is column 0, "k_max" the
/// last slice.
enum class ImageFace { kIMin, kIMax, kJMin, kJMax, kKMin, kKMax };

[[nodiscard]] std::string_view to_string(SmoothingMethod method);
[[nodiscard]] std::string_view to_string(ImageFace face);
/// Parses "none" | "gaussian" | "curvature_flow"; throws InputError naming `field` otherwise.
[[nodiscard]] SmoothingMethod smoothing_method_from_string(std::string_view text,
                                                           std::string_view field);
/// Parses "i_min" | "i_max" | "j_min" | "j_max" | "k_min" | "k_max"; throws InputError otherwise.
[[nodiscard]] ImageFace image_face_from_string(std::string_view text, std::string_view field);

struct ClassicalSegmentationSettings {
  // Lumen intensity window (HU) for region growing and for the level set's speed term. 200 HU is
  // about half way between contrast-enhanced blood (300-500 HU in CT angiography) and soft tissue
  // (~40 HU), so the boundary lands where a voxel is half lumen. The upper bound leaves
  // calcification (often > 1000 HU with bone) outside.
  double lower_threshold_hu = 200.0;
  double upper_threshold_hu = 1000.0;

  // Seeds in patient coordinates (LPS, m). Empty: an automatic seed is searched near the inlet.
  std::vector<ingest::dicom::Vector3> seeds_m;
  // Automatic seed: the largest in-window 2D region of a slice parallel to `inlet_face`, among
  // the slices within `seed_search_depth_m` of it, with at least `min_seed_area_m2` (a vessel of
  // ~1 mm radius); the seed is its voxel closest to the region's centroid.
  ImageFace inlet_face = ImageFace::kKMin;
  double seed_search_depth_m = 10e-3;
  double min_seed_area_m2 = 3e-6;

  // Smoothing before refinement. Curvature flow (ITK CurvatureFlowImageFilter), 5 iterations
  // with time step 0.0625 in units of the squared finest spacing (the stable choice for 3D
  // images given in the ITK Software Guide, which assumes unit spacing). Curvature flow moves
  // intensity iso-surfaces inwards where they are convex, so more smoothing shrinks thin vessels.
  SmoothingMethod smoothing = SmoothingMethod::kCurvatureFlow;
  std::size_t curvature_flow_iterations = 5;
  double curvature_flow_time_step = 0.0625;
  double gaussian_sigma_m = 0.5e-3;

  // Level-set refinement (ITK ThresholdSegmentationLevelSetImageFilter) started from the region
  // grown mask, on a box around it widened by `roi_margin_m`.
  bool refine_with_level_set = true;
  std::size_t level_set_max_iterations = 100;
  double level_set_max_rms_change = 0.02;  // stop when the RMS change of the level set is below
  double propagation_scaling = 1.0;
  // Relative to propagation. The curvature term shrinks convex vessels until it balances the
  // propagation term; on the phantom (verification test) 0.5 loses ~3 % of the lumen in a few
  // iterations and more as iterations go on, 0.05 about 1 %. Raise it for noisy images.
  double curvature_scaling = 0.05;
  double roi_margin_m = 3e-3;

  bool keep_largest_component = true;
};

/// Throws InputError naming the first field (e.g. "segmentation settings: lower_threshold_hu")
/// whose value breaks its rule.
void validate(const ClassicalSegmentationSettings& settings);

/// The voxel index of patient point `point_m` on `geometry` (nearest voxel centre); throws
/// InputError naming `field` when the point lies outside the image.
[[nodiscard]] std::array<std::size_t, 3> voxel_of(const ingest::dicom::VolumeGeometry& geometry,
                                                  const ingest::dicom::Vector3& point_m,
                                                  std::string_view field);

}  // namespace ptwin::geometry::segmentation
