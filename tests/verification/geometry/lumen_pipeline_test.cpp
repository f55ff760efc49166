// SPDX-License-Identifier: Apache-2.0
// The lumen pipeline (classical segmentation, then surface extraction) against the ground truth
// of the synthetic vessel phantom (geometry/phantom: a Y bifurcation with a 50 % stenosis,
// partial volume, Gaussian blur and noise; 64 x 64 x 48 voxels of 0.5 mm).
//
// Ground truth: the phantom's lumen fraction per voxel (27 supersampling points per voxel); the
// true lumen mask is fraction > 0.5 and the true lumen volume inside the field of view is the
// sum of the fractions times the voxel volume.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "ptwin/geometry/phantom/phantom_rasteriser.hpp"
#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"
#include "ptwin/geometry/segmentation/classical_segmenter.hpp"
#include "ptwin/geometry/segmentation/label_metrics.hpp"
#include "ptwin/geometry/surface/surface_extraction.hpp"
#include "verification/verification_case.hpp"

namespace ptwin::geometry {
namespace {

using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;

struct Truth {
  phantom::VesselPhantom vessel;
  segmentation::LabelVolume mask;
  double volume_m3 = 0.0;
};

const Truth& truth() {
  static const Truth instance = [] {
    Truth t;
    t.vessel = phantom::make_vessel_phantom(phantom::VesselPhantomSpec{});
    const auto fraction = phantom::lumen_fraction(t.vessel.volume.geometry, t.vessel.branches,
                                                  t.vessel.spec.supersampling);
    t.mask = segmentation::empty_labels_like(t.vessel.volume);
    double sum = 0.0;
    for (std::size_t v = 0; v < fraction.size(); ++v) {
      sum += fraction[v];
      if (fraction[v] > 0.5F) t.mask.labels[v] = segmentation::kLumen;
    }
    t.volume_m3 = sum * segmentation::voxel_volume_m3(t.vessel.volume.geometry);
    return t;
  }();
  return instance;
}

const segmentation::SegmentationResult& segmented() {
  static const auto result =
      segmentation::ClassicalSegmenter(segmentation::ClassicalSegmentationSettings{})
          .segment(truth().vessel.volume);
  return result;
}

const surface::ExtractedSurface& extracted() {
  static const auto result = surface::extract_surface(segmented().labels);
  return result;
}

double relative(double value, double reference) { return value / reference - 1.0; }

TEST(LumenPipeline, SegmentationOverlapsTheTrueLumen) {
  const VerificationCase kCase{
      .id = "geometry.segmentation.phantom_dice",
      .source = "vessel phantom ground truth (geometry/phantom, docs/geometry.md#verification)",
      .quantity =
          "Dice of the classical segmentation (default settings, automatic seed) against "
          "the voxels more than half inside the lumen",
      .norm = "1 - Dice",
      .tolerance = 0.05,
      .tolerance_reason =
          "a 5-voxel-radius vessel has ~40 % of its voxels in the boundary shell; "
          "0.05 allows an eighth of that shell to differ (partial volume, 15 HU noise)",
  };
  const auto& result = segmented();
  const double dice = segmentation::dice_coefficient(result.labels, truth().mask);
  record_verification(kCase, 1.0 - dice);
  EXPECT_LE(1.0 - dice, kCase.tolerance) << "Dice " << dice;
  EXPECT_EQ(result.report.seed_source, "automatic");
  EXPECT_EQ(result.report.seeds_ijk.front()[2], 0U);  // on the inlet slice
  EXPECT_GT(result.report.level_set_iterations, 0U);
}

TEST(LumenPipeline, RefinementBeatsRegionGrowingOnANoisyImage) {
  const VerificationCase kCase{
      .id = "geometry.segmentation.noisy_phantom_dice",
      .source = "vessel phantom ground truth, noise raised to 80 HU (a quarter of the contrast)",
      .quantity =
          "Dice of the classical pipeline against the true mask, and its gain over "
          "region growing alone (same seed and window)",
      .norm = "1 - Dice",
      .tolerance = 0.07,
      .tolerance_reason =
          "the 0.05 of the clean case plus the noise's effect on the boundary "
          "shell; the gain must be at least half the measured 0.05",
  };
  phantom::VesselPhantomSpec spec;
  spec.noise_sd_hu = 80.0;
  const auto noisy = phantom::make_vessel_phantom(spec);
  segmentation::ClassicalSegmentationSettings grow_only;
  grow_only.refine_with_level_set = false;
  const auto refined = segmentation::ClassicalSegmenter({}).segment(noisy.volume);
  const auto grown = segmentation::ClassicalSegmenter(grow_only).segment(noisy.volume);
  // The noise does not move the lumen: the clean phantom's true mask applies.
  const double dice_refined = segmentation::dice_coefficient(refined.labels, truth().mask);
  const double dice_grown = segmentation::dice_coefficient(grown.labels, truth().mask);
  record_verification(kCase, 1.0 - dice_refined);
  EXPECT_LE(1.0 - dice_refined, kCase.tolerance) << "Dice " << dice_refined;
  EXPECT_GE(dice_refined - dice_grown, 0.025)
      << "refined " << dice_refined << ", grown " << dice_grown;
}

TEST(LumenPipeline, SurfaceOfTheTrueMaskKeepsTheLumenVolume) {
  const VerificationCase kCase{
      .id = "geometry.surface.phantom_truth_mask_volume",
      .source = "vessel phantom ground truth (partial-volume lumen fractions, 27 points per voxel)",
      .quantity =
          "volume enclosed by the capped surface of the true mask against the true lumen "
          "volume inside the field of view",
      .norm = "absolute relative error",
      .tolerance = 0.02,
      .tolerance_reason =
          "anti-aliasing (sigma 0.5 voxel) moves the 0.5 iso-surface of a "
          "5-voxel-radius tube in by ~sigma^2/(2r) = 0.025 voxel (1 % of volume); "
          "x2 for the voxelisation of the fork and the stenosis",
  };
  const auto surface = surface::extract_surface(truth().mask);
  const double error = std::fabs(relative(surface.report.final_volume_m3, truth().volume_m3));
  record_verification(kCase, error);
  EXPECT_LE(error, kCase.tolerance);
}

TEST(LumenPipeline, PipelineSurfaceVolumeIsNearTheTrueVolume) {
  const VerificationCase kCase{
      .id = "geometry.pipeline.phantom_volume",
      .source = "vessel phantom ground truth",
      .quantity =
          "volume of the surface extracted from the segmentation against the true lumen "
          "volume inside the field of view",
      .norm = "absolute relative error",
      .tolerance = 0.10,
      .tolerance_reason =
          "the segmentation's boundary may sit a quarter voxel off on a "
          "5-voxel radius (2 x 0.25 / 5 = 10 % of volume)",
  };
  const double error = std::fabs(relative(extracted().report.final_volume_m3, truth().volume_m3));
  record_verification(kCase, error);
  EXPECT_LE(error, kCase.tolerance);
}

TEST(LumenPipeline, SmoothingAndDecimationPreserveVolume) {
  const VerificationCase kCase{
      .id = "geometry.surface.smoothing_volume_change",
      .source =
          "Taubin, Zhang, Golub 1996, Optimal surface smoothing as filter design (windowed "
          "sinc smoothing does not shrink); quadric decimation with volume preservation",
      .quantity = "relative volume change of the surface by smoothing, and by decimation",
      .norm = "absolute relative change",
      .tolerance = 0.005,
      .tolerance_reason =
          "pass band 0.1 keeps the vessel's low frequencies; measured change "
          "~0.1 %, x5 margin for other seeds and sizes",
  };
  const auto& report = extracted().report;
  const double smoothing = std::fabs(report.smoothing_volume_change());
  const double decimation =
      std::fabs(relative(report.decimated_volume_m3, report.smoothed_volume_m3));
  record_verification(kCase, std::max(smoothing, decimation));
  EXPECT_LE(smoothing, kCase.tolerance);
  EXPECT_LE(decimation, kCase.tolerance);
  EXPECT_LT(report.decimated_triangles, report.iso_triangles);
}

TEST(LumenPipeline, SurfaceIsClosedManifoldWithAnInletAndTwoOutlets) {
  const auto& result = extracted();
  const auto& check = result.report.check;
  EXPECT_EQ(check.problem_count(), 0U) << check.summary();
  EXPECT_TRUE(check.is_watertight());
  EXPECT_TRUE(check.is_manifold());
  EXPECT_TRUE(check.is_outward);
  EXPECT_TRUE(check.self_intersections_checked);
  EXPECT_EQ(check.components, 1U);
  EXPECT_EQ(check.euler_characteristic, 2);  // a Y of tubes with its ends capped is a sphere
  ASSERT_EQ(result.labels.caps.size(), 3U);
  EXPECT_EQ(result.labels.caps[0].role, surface::CapRole::kInlet);
  EXPECT_EQ(result.labels.caps[0].image_face, "k_min");
  for (std::size_t c = 1; c < 3; ++c) {
    EXPECT_EQ(result.labels.caps[c].role, surface::CapRole::kOutlet);
    EXPECT_EQ(result.labels.caps[c].image_face, "k_max");
  }
  const VerificationCase kCase{
      .id = "geometry.surface.phantom_inlet_area",
      .source =
          "vessel phantom: the parent vessel crosses the first slice perpendicularly, "
          "cross-section pi r^2 with r = 2.5 mm",
      .quantity = "area of the inlet cap",
      .norm = "absolute relative error",
      .tolerance = 0.08,
      .tolerance_reason =
          "twice the relative radius error allowed for the segmentation "
          "(a quarter voxel on 5 voxels = 5 %), with margin for the cap's polygon",
  };
  const double expected = std::numbers::pi * std::pow(truth().vessel.spec.parent_radius_m, 2);
  const double error = std::fabs(relative(result.labels.caps[0].area_m2, expected));
  record_verification(kCase, error);
  EXPECT_LE(error, kCase.tolerance);
}

}  // namespace
}  // namespace ptwin::geometry
