// SPDX-License-Identifier: Apache-2.0
// Settings of the classical segmentation: defaults are valid, each bad value is rejected with
// the field and the value, seeds outside the image or the lumen window are refused, and the
// automatic seed finds the vessel nearest the inlet face.
#include "ptwin/geometry/segmentation/segmentation_settings.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/segmentation/automatic_seed.hpp"
#include "ptwin/geometry/segmentation/classical_segmenter.hpp"
#include "ptwin/geometry/segmentation/label_metrics.hpp"

namespace ptwin::geometry::segmentation {
namespace {

using Settings = ClassicalSegmentationSettings;

void expect_rejected(const std::function<void(Settings&)>& change, const std::string& field,
                     const std::string& value) {
  Settings settings;
  change(settings);
  try {
    validate(settings);
    FAIL() << "accepted a bad " << field;
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "segmentation settings: " + field);
    EXPECT_EQ(error.value(), value);
    EXPECT_EQ(error.code(), ErrorCode::BadInput);
  }
}

TEST(SegmentationSettings, DefaultsAreValid) { EXPECT_NO_THROW(validate(Settings{})); }

TEST(SegmentationSettings, EachBadValueNamesItsFieldAndValue) {
  expect_rejected([](Settings& s) { s.lower_threshold_hu = -2000.0; }, "lower_threshold_hu",
                  "-2000");
  expect_rejected([](Settings& s) { s.upper_threshold_hu = 150.0; }, "upper_threshold_hu", "150");
  expect_rejected(
      [](Settings& s) {
        s.seeds_m = {{0.0, std::nan(""), 0.0}};
      },
      "seeds_m[0][1]", "nan");
  expect_rejected([](Settings& s) { s.seed_search_depth_m = -1.0; }, "seed_search_depth_m", "-1");
  expect_rejected([](Settings& s) { s.curvature_flow_iterations = 0; }, "curvature_flow_iterations",
                  "0");
  expect_rejected([](Settings& s) { s.curvature_flow_time_step = 0.2; }, "curvature_flow_time_step",
                  "0.2");
  expect_rejected([](Settings& s) { s.gaussian_sigma_m = 0.0; }, "gaussian_sigma_m", "0");
  expect_rejected([](Settings& s) { s.level_set_max_iterations = 0; }, "level_set_max_iterations",
                  "0");
  expect_rejected([](Settings& s) { s.level_set_max_rms_change = 2.0; }, "level_set_max_rms_change",
                  "2");
  expect_rejected([](Settings& s) { s.curvature_scaling = -1.0; }, "curvature_scaling", "-1");
  expect_rejected(
      [](Settings& s) {
        s.propagation_scaling = 0.0;
        s.curvature_scaling = 0.0;
      },
      "propagation_scaling", "0");
  expect_rejected([](Settings& s) { s.roi_margin_m = 1.0; }, "roi_margin_m", "1");
}

TEST(SegmentationSettings, SegmenterRefusesInvalidSettings) {
  Settings settings;
  settings.upper_threshold_hu = settings.lower_threshold_hu;
  EXPECT_THROW(ClassicalSegmenter{settings}, InputError);
}

TEST(SegmentationSettings, NamesParseAndUnknownNamesAreRejected) {
  EXPECT_EQ(smoothing_method_from_string("gaussian", "smoothing"), SmoothingMethod::kGaussian);
  EXPECT_EQ(image_face_from_string("k_max", "inlet_face"), ImageFace::kKMax);
  EXPECT_EQ(to_string(ImageFace::kJMin), "j_min");
  try {
    (void)smoothing_method_from_string("median", "twin.yaml: segmentation.smoothing");
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "twin.yaml: segmentation.smoothing");
    EXPECT_EQ(error.value(), "median");
  }
}

// A 20x20x20 image of 1 mm voxels: tissue at 40 HU with a bright rod along k at (i, j) = (6, 12).
ingest::dicom::ImageVolume rod_image() {
  ingest::dicom::ImageVolume image;
  image.geometry.size = {20, 20, 20};
  image.geometry.spacing_m = {1e-3, 1e-3, 1e-3};
  image.geometry.origin_m = {-0.01, 0.02, 0.0};
  image.values.assign(8000, 40.0F);
  for (std::size_t k = 0; k < 20; ++k) {
    for (std::size_t j = 10; j <= 14; ++j) {
      for (std::size_t i = 4; i <= 8; ++i) image.at(i, j, k) = 400.0F;
    }
  }
  return image;
}

TEST(SegmentationSettings, PatientPointsMapToTheirVoxelInAnyOrientation) {
  ingest::dicom::VolumeGeometry geometry;
  geometry.size = {30, 20, 10};
  geometry.spacing_m = {0.4e-3, 0.5e-3, 1.2e-3};
  geometry.origin_m = {0.03, -0.01, 0.2};
  const double c = std::sqrt(0.5);
  geometry.direction_i = {0.0, c, c};
  geometry.direction_j = {0.0, c, -c};
  geometry.direction_k = {-1.0, 0.0, 0.0};  // left-handed with the two above
  for (const std::array<std::size_t, 3> ijk :
       {std::array<std::size_t, 3>{0, 0, 0}, {29, 19, 9}, {7, 13, 4}}) {
    const auto point =
        geometry.position_m(static_cast<double>(ijk[0]) + 0.3, static_cast<double>(ijk[1]) - 0.4,
                            static_cast<double>(ijk[2]) + 0.2);
    EXPECT_EQ(voxel_of(geometry, point, "seed"), ijk);
  }
  EXPECT_THROW((void)voxel_of(geometry, geometry.position_m(-0.6, 0, 0), "seed"), InputError);
  EXPECT_THROW((void)voxel_of(geometry, geometry.position_m(0, 0, 9.6), "seed"), InputError);
}

TEST(SegmentationSettings, SeedOutsideTheImageIsRejectedWithItsIndex) {
  Settings settings;
  settings.seeds_m = {{0.5, 0.0, 0.0}};
  const ClassicalSegmenter segmenter(settings);
  try {
    (void)segmenter.segment(rod_image());
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "segmentation settings: seeds_m[0]");
    EXPECT_NE(error.rule().find("outside"), std::string::npos) << error.what();
  }
}

TEST(SegmentationSettings, SeedOutsideTheLumenWindowIsRejectedWithItsValue) {
  Settings settings;
  const auto image = rod_image();
  settings.seeds_m = {image.geometry.position_m(15, 2, 10)};  // tissue
  const ClassicalSegmenter segmenter(settings);
  try {
    (void)segmenter.segment(image);
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "segmentation settings: seeds_m[0]");
    EXPECT_EQ(error.value().substr(0, 5), "40 HU");
  }
}

TEST(AutomaticSeed, FindsTheVesselCentreOnTheInletSlice) {
  const auto seed = find_inlet_seed(rod_image(), Settings{});
  EXPECT_EQ(seed, (std::array<std::size_t, 3>{6, 12, 0}));
  Settings from_top;
  from_top.inlet_face = ImageFace::kKMax;
  EXPECT_EQ(find_inlet_seed(rod_image(), from_top), (std::array<std::size_t, 3>{6, 12, 19}));
}

TEST(AutomaticSeed, NoRegionInTheWindowIsAnErrorThatSaysWhatToChange) {
  auto image = rod_image();
  for (auto& value : image.values) value = 40.0F;
  try {
    (void)find_inlet_seed(image, Settings{});
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "segmentation: automatic seed");
    EXPECT_NE(error.rule().find("seeds_m"), std::string::npos);
  }
}

TEST(ClassicalSegmenter, UserSeedInPatientCoordinatesSegmentsTheRod) {
  const auto image = rod_image();
  Settings settings;
  settings.seeds_m = {image.geometry.position_m(6, 12, 10)};
  settings.smoothing = SmoothingMethod::kNone;
  settings.refine_with_level_set = false;
  const auto result = ClassicalSegmenter(settings).segment(image);
  EXPECT_EQ(result.report.seed_source, "user");
  EXPECT_EQ(result.report.seeds_ijk.front(), (std::array<std::size_t, 3>{6, 12, 10}));
  EXPECT_EQ(result.report.final_voxels, 5U * 5U * 20U);
  EXPECT_DOUBLE_EQ(dice_coefficient(result.labels, threshold_labels(image, 200.0, 1000.0)), 1.0);
}

TEST(LabelMetrics, KeepLargestComponentRemovesTheSmallerOnes) {
  auto labels = threshold_labels(rod_image(), 200.0, 1000.0);
  labels.at(18, 2, 3) = kLumen;
  labels.at(18, 3, 3) = kLumen;
  EXPECT_EQ(keep_largest_component(labels), 2U);
  EXPECT_EQ(lumen_voxel_count(labels), 500U);
}

}  // namespace
}  // namespace ptwin::geometry::segmentation
