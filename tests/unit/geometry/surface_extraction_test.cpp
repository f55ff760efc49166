// SPDX-License-Identifier: Apache-2.0
// Surface extraction keeps the patient frame (origin, spacing, direction cosines), closes
// vessels that leave the image with planar caps labelled inlet/outlet, rejects bad settings
// with the field, and writes .vtp.
#include "ptwin/geometry/surface/surface_extraction.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/surface/vtp_writer.hpp"

namespace ptwin::geometry::surface {
namespace {

using segmentation::LabelVolume;

// A 1/sqrt(2) rotation about the patient z axis, and a mirrored (left-handed) frame.
LabelVolume empty_labels(std::array<std::size_t, 3> size, bool is_mirrored) {
  LabelVolume labels;
  labels.geometry.size = size;
  labels.geometry.spacing_m = {0.5e-3, 0.6e-3, 0.8e-3};
  labels.geometry.origin_m = {0.1, -0.05, 0.2};
  const double c = std::sqrt(0.5);
  labels.geometry.direction_i = {c, c, 0.0};
  labels.geometry.direction_j = {-c, c, 0.0};
  labels.geometry.direction_k = {0.0, 0.0, is_mirrored ? -1.0 : 1.0};
  labels.labels.assign(size[0] * size[1] * size[2], segmentation::kBackground);
  return labels;
}

// Lumen where the patient-frame distance to `centre_m` is below `radius_m`.
void add_ball(LabelVolume& labels, const Vector3& centre_m, double radius_m) {
  const auto& s = labels.geometry.size;
  for (std::size_t k = 0; k < s[2]; ++k) {
    for (std::size_t j = 0; j < s[1]; ++j) {
      for (std::size_t i = 0; i < s[0]; ++i) {
        const auto p = labels.geometry.position_m(static_cast<double>(i), static_cast<double>(j),
                                                  static_cast<double>(k));
        const double d2 = std::pow(p[0] - centre_m[0], 2) + std::pow(p[1] - centre_m[1], 2) +
                          std::pow(p[2] - centre_m[2], 2);
        if (d2 < radius_m * radius_m) labels.at(i, j, k) = segmentation::kLumen;
      }
    }
  }
}

Vector3 mean_point(const TriangleSurface& surface) {
  Vector3 mean{0.0, 0.0, 0.0};
  for (const auto& p : surface.points_m) {
    for (std::size_t a = 0; a < 3; ++a)
      mean[a] += p[a] / static_cast<double>(surface.points_m.size());
  }
  return mean;
}

class BallInAnyFrame : public ::testing::TestWithParam<bool> {};

TEST_P(BallInAnyFrame, IsClosedOutwardAndWhereThePatientFrameSaysItIs) {
  auto labels = empty_labels({40, 36, 30}, GetParam());
  const Vector3 centre = labels.geometry.position_m(20.3, 17.6, 15.2);
  const double radius_m = 5e-3;
  add_ball(labels, centre, radius_m);
  const auto extracted = extract_surface(labels);
  const auto& report = extracted.report;
  EXPECT_EQ(report.check.problem_count(), 0U) << report.check.summary();
  EXPECT_EQ(report.check.euler_characteristic, 2);
  EXPECT_TRUE(report.capped_faces.empty());
  EXPECT_TRUE(extracted.labels.caps.empty());
  // Volume of a ball voxelised at 0.5-0.8 mm and smoothed: within 3 % of 4/3 pi r^3 (the
  // voxelisation error of a 5 mm ball at these spacings is about 1 %, x3 margin).
  const double expected = 4.0 / 3.0 * std::numbers::pi * std::pow(radius_m, 3);
  EXPECT_NEAR(report.final_volume_m3 / expected, 1.0, 0.03);
  const auto mean = mean_point(extracted.surface);
  for (std::size_t a = 0; a < 3; ++a) EXPECT_NEAR(mean[a], centre[a], 0.2e-3) << "axis " << a;
}

INSTANTIATE_TEST_SUITE_P(RightAndLeftHanded, BallInAnyFrame, ::testing::Values(false, true));

TEST(SurfaceExtraction, RodThroughTheImageGetsAnInletAndAnOutletCap) {
  auto labels = empty_labels({30, 30, 24}, false);
  const auto& g = labels.geometry;
  const double radius_m = 4e-3;
  for (std::size_t k = 0; k < 24; ++k) {
    for (std::size_t j = 0; j < 30; ++j) {
      for (std::size_t i = 0; i < 30; ++i) {
        const double x = (static_cast<double>(i) - 14.5) * g.spacing_m[0];
        const double y = (static_cast<double>(j) - 14.5) * g.spacing_m[1];
        if (x * x + y * y < radius_m * radius_m) labels.at(i, j, k) = segmentation::kLumen;
      }
    }
  }
  const auto extracted = extract_surface(labels);
  const auto& report = extracted.report;
  EXPECT_EQ(report.check.problem_count(), 0U) << report.check.summary();
  ASSERT_EQ(extracted.labels.caps.size(), 2U);
  const auto& inlet = extracted.labels.caps[0];
  const auto& outlet = extracted.labels.caps[1];
  EXPECT_EQ(inlet.role, CapRole::kInlet);
  EXPECT_EQ(inlet.image_face, "k_min");
  EXPECT_EQ(inlet.label, 1);
  EXPECT_EQ(outlet.role, CapRole::kOutlet);
  EXPECT_EQ(outlet.image_face, "k_max");
  // Caps lie on the image faces: half a slice beyond the first and last slice centres.
  const Vector3 first = g.position_m(14.5, 14.5, -0.5);
  const Vector3 last = g.position_m(14.5, 14.5, 23.5);
  for (std::size_t a = 0; a < 3; ++a) {
    EXPECT_NEAR(inlet.centroid_m[a], first[a], 0.1e-3);
    EXPECT_NEAR(outlet.centroid_m[a], last[a], 0.1e-3);
  }
  EXPECT_EQ(inlet.outward_normal, (Vector3{0.0, 0.0, -1.0}));
  // Cap area: pi r^2 of a 4 mm disc voxelised at 0.5 x 0.6 mm, within 5 % (about 1 % from
  // voxelisation, plus the smoothing of the wall near the rim).
  const double disc = std::numbers::pi * radius_m * radius_m;
  EXPECT_NEAR(inlet.area_m2 / disc, 1.0, 0.05);
  EXPECT_NEAR(outlet.area_m2 / disc, 1.0, 0.05);
  std::size_t cap_triangles = 0;
  for (const auto label : extracted.labels.per_triangle)
    cap_triangles += label != kWallLabel ? 1 : 0;
  EXPECT_EQ(cap_triangles, inlet.triangle_count + outlet.triangle_count);
  // Length 24 slices x 0.8 mm between the caps: volume pi r^2 L within 5 %.
  EXPECT_NEAR(report.final_volume_m3 / (disc * 24 * g.spacing_m[2]), 1.0, 0.05);
}

TEST(SurfaceExtraction, EmptyLabelsAndBadSettingsAreRejectedWithTheField) {
  auto labels = empty_labels({10, 10, 10}, false);
  try {
    (void)extract_surface(labels);
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "surface extraction: labels");
  }
  SurfaceExtractionSettings settings;
  settings.decimation_target_reduction = 1.0;
  try {
    validate(settings);
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "surface settings: decimation_target_reduction");
    EXPECT_EQ(error.value(), "1");
  }
  settings = {};
  settings.smoothing_pass_band = 0.0;
  EXPECT_THROW(validate(settings), InputError);
  settings = {};
  settings.anti_alias_sigma_voxels = -0.5;
  EXPECT_THROW(validate(settings), InputError);
}

TEST(VtpWriter, WritesPolyDataWithTheFaceLabels) {
  auto labels = empty_labels({20, 20, 20}, false);
  add_ball(labels, labels.geometry.position_m(10, 10, 10), 3e-3);
  const auto extracted = extract_surface(labels);
  const auto path =
      std::filesystem::temp_directory_path() / ("ptwin-vtp-" + std::to_string(getpid()) + ".vtp");
  write_vtp(path, extracted.surface, extracted.labels);
  std::ifstream stream(path);
  const std::string text{std::istreambuf_iterator<char>(stream), {}};
  std::filesystem::remove(path);
  EXPECT_NE(text.find("<PolyData>"), std::string::npos);
  EXPECT_NE(text.find("Name=\"face_label\""), std::string::npos);
  EXPECT_NE(text.find(fmt::format("NumberOfPolys=\"{}\"", extracted.surface.triangles.size())),
            std::string::npos);
  SurfaceFaceLabels wrong;
  wrong.per_triangle = {1};
  EXPECT_THROW(write_vtp(path, extracted.surface, wrong), InputError);
  EXPECT_THROW(write_vtp("/nonexistent-dir/x.vtp", extracted.surface, extracted.labels), Error);
}

}  // namespace
}  // namespace ptwin::geometry::surface
