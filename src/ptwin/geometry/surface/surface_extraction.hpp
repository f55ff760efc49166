// SPDX-License-Identifier: Apache-2.0
#pragma once
// Label map -> closed, labelled vessel surface (VTK), in the patient frame:
//   1. the lumen mask on a box around it, continued straight out (by replicating the boundary
//      slice) through every image face the lumen touches, with one layer of background around;
//   2. optional Gaussian anti-aliasing of the mask (vtkImageGaussianSmooth);
//   3. the 0.5 iso-surface (vtkFlyingEdges3D);
//   4. volume-preserving smoothing (vtkWindowedSincPolyDataFilter, normalised coordinates);
//   5. decimation (vtkQuadricDecimation with volume preservation) to a target reduction;
//   6. clipping at the image faces the lumen crosses, with planar caps (vtkClipClosedSurface):
//      each cap is one inlet or outlet, labelled per triangle (surface_face_labels.hpp);
//   7. the direction cosines and origin applied, repair (surface_repair.hpp) and the final check.
// Why continue and clip rather than cap the iso-surface of a padded mask: smoothing rounds the
// rim of a padded end into a dome; clipping after smoothing gives flat caps on the image face.

#include <cstddef>
#include <string>
#include <vector>

#include "ptwin/geometry/segmentation/label_volume.hpp"
#include "ptwin/geometry/segmentation/segmentation_settings.hpp"
#include "ptwin/geometry/segmentation/segmenter.hpp"
#include "ptwin/geometry/surface/surface_check.hpp"
#include "ptwin/geometry/surface/surface_face_labels.hpp"
#include "ptwin/geometry/surface/surface_repair.hpp"
#include "ptwin/geometry/surface/triangle_surface.hpp"

namespace ptwin::geometry::surface {

struct SurfaceExtractionSettings {
  // Standard deviation (voxels) of the Gaussian applied to the 0/1 mask before the iso-surface;
  // 0 turns it off. Half a voxel removes the staircase of a binary mask while moving the 0.5
  // iso-surface of a vessel of radius r voxels inwards only by about sigma^2 / (2 r) voxels.
  double anti_alias_sigma_voxels = 0.5;
  // Windowed-sinc smoothing (Taubin et al. 1996, "Optimal surface smoothing as filter design"):
  // 20 iterations with pass band 0.1, the range VTK's documentation recommends (10-20, 0.1).
  // 0 iterations turn it off.
  std::size_t smoothing_iterations = 20;
  double smoothing_pass_band = 0.1;
  // Fraction of the triangles removed by quadric decimation (0 = none).
  double decimation_target_reduction = 0.5;
  // Close the vessel with planar caps where it leaves the image (off: the surface stays open
  // there, continued by the replicated slices and closed by the background layer).
  bool cap_at_image_boundary = true;
  // The image face whose largest cap is the inlet; the other caps are outlets.
  segmentation::ImageFace inlet_face = segmentation::ImageFace::kKMin;
  bool repair = true;
  SurfaceCheckOptions check;
};

/// Throws InputError naming the first field ("surface settings: <field>") whose value breaks
/// its rule.
void validate(const SurfaceExtractionSettings& settings);

struct SurfaceExtractionReport {
  std::size_t iso_triangles = 0;
  std::size_t decimated_triangles = 0;
  std::size_t final_triangles = 0;
  // Volumes (m^3, vtkMassProperties) of the continued surface before clipping: the smoothing's
  // relative volume change is (smoothed - iso) / iso.
  double iso_volume_m3 = 0.0;
  double smoothed_volume_m3 = 0.0;
  double decimated_volume_m3 = 0.0;
  double final_volume_m3 = 0.0;  // of the capped, repaired surface
  std::vector<std::string> capped_faces;
  SurfaceCheckReport check_before_repair;
  SurfaceRepairReport repair;
  SurfaceCheckReport check;
  std::vector<segmentation::StageTiming> timings;

  [[nodiscard]] double smoothing_volume_change() const {
    return iso_volume_m3 > 0.0 ? (smoothed_volume_m3 - iso_volume_m3) / iso_volume_m3 : 0.0;
  }
};

struct ExtractedSurface {
  TriangleSurface surface;
  SurfaceFaceLabels labels;
  SurfaceExtractionReport report;
};

/// Extracts the lumen surface of `labels`. Throws InputError when `settings` are invalid or the
/// label map holds no lumen voxel.
[[nodiscard]] ExtractedSurface extract_surface(const segmentation::LabelVolume& labels,
                                               const SurfaceExtractionSettings& settings = {});

/// Recomputes each cap's area, centroid and triangle count from `labels.per_triangle`.
void update_cap_geometry(const TriangleSurface& surface, SurfaceFaceLabels& labels);

}  // namespace ptwin::geometry::surface
