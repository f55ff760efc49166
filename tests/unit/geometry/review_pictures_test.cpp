// SPDX-License-Identifier: Apache-2.0
// Review pictures on shapes whose pictures are known: a square lumen in a slice, a box seen from
// the front.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/review/png_writer.hpp"
#include "ptwin/geometry/review/slice_picture.hpp"
#include "ptwin/geometry/review/surface_picture.hpp"

namespace {

namespace review = ptwin::geometry::review;
namespace seg = ptwin::geometry::segmentation;
namespace srf = ptwin::geometry::surface;
using ptwin::ingest::dicom::ImageVolume;

// 32 x 16 x 8 voxels of 1 mm; lumen (400 HU) is the box i in [8, 16), j in [4, 8), k in [2, 6),
// tissue 0 HU.
struct Scene {
  ImageVolume image;
  seg::LabelVolume labels;
};

Scene box_scene() {
  Scene scene;
  auto& g = scene.image.geometry;
  g.size = {32, 16, 8};
  g.spacing_m = {1e-3, 1e-3, 1e-3};
  scene.image.value_unit = "HU";
  scene.image.values.assign(g.voxel_count(), 0.0F);
  scene.labels = seg::empty_labels_like(scene.image);
  for (std::size_t k = 2; k < 6; ++k) {
    for (std::size_t j = 4; j < 8; ++j) {
      for (std::size_t i = 8; i < 16; ++i) {
        scene.image.at(i, j, k) = 400.0F;
        scene.labels.at(i, j, k) = seg::kLumen;
      }
    }
  }
  return scene;
}

TEST(SlicePicture, OutlinesTheLumenBoundaryAtTheStatedZoom) {
  const Scene scene = box_scene();
  EXPECT_EQ(review::lumen_centroid_index(scene.labels, review::SlicePlane::kAxial), 4U);  // (2+5)/2 = 3.5 -> 4
  EXPECT_EQ(review::lumen_centroid_index(scene.labels, review::SlicePlane::kSagittal), 12U);
  review::SlicePictureSettings whole;
  whole.lumen_margin_m = 0.0;
  const auto axial = review::slice_picture(scene.image, scene.labels, review::SlicePlane::kAxial, 4, whole);
  // zoom = ceil(256 / 32) = 8: 256 x 128 pixels; the 8 x 4 voxel lumen is 64 x 32 pixels whose
  // boundary ring holds 2 * (64 + 32) - 4 pixels.
  EXPECT_EQ(axial.zoom, 8U);
  EXPECT_EQ(axial.image.width, 256U);
  EXPECT_EQ(axial.image.height, 128U);
  EXPECT_EQ(axial.outline_pixels, 2U * (64 + 32) - 4);
  const review::SlicePictureSettings window;
  EXPECT_EQ(axial.image.get(8 * 8, 4 * 8), window.outline);             // lumen corner
  EXPECT_EQ(axial.image.get(12 * 8, 6 * 8), (review::Rgb{191, 191, 191}));  // 400 HU inside
  EXPECT_EQ(axial.image.get(0, 0), (review::Rgb{64, 64, 64}));              // 0 HU
  // Coronal: k grows upwards, so lumen slices 2..5 are rows (8 - 6) * 8 .. (8 - 2) * 8.
  const auto coronal = review::slice_picture(scene.image, scene.labels, review::SlicePlane::kCoronal, 5, whole);
  EXPECT_EQ(coronal.image.height, 64U);
  EXPECT_EQ(coronal.image.get(12 * 8, 2 * 8), window.outline);
  EXPECT_EQ(coronal.image.get(12 * 8, 2 * 8 - 1), (review::Rgb{64, 64, 64}));
}

TEST(SlicePicture, CropsToTheLumenBoxAndMargin) {
  const Scene scene = box_scene();
  review::SlicePictureSettings settings;
  settings.lumen_margin_m = 2e-3;  // 2 voxels: i 6..17, j 2..9 around the lumen's i 8..15, j 4..7
  const auto axial = review::slice_picture(scene.image, scene.labels, review::SlicePlane::kAxial, 4, settings);
  EXPECT_EQ(axial.voxel_count, (std::array<std::size_t, 2>{12, 8}));
  EXPECT_EQ(axial.first_voxel, (std::array<std::size_t, 2>{6, 2}));
  EXPECT_EQ(axial.zoom, 22U);  // ceil(256 / 12)
  EXPECT_EQ(axial.image.width, 12U * 22);
  EXPECT_EQ(axial.image.height, 8U * 22);
  EXPECT_EQ(axial.outline_pixels, 2U * (8 * 22 + 4 * 22) - 4);
  EXPECT_EQ(axial.image.get(2 * 22, 2 * 22), settings.outline);  // the lumen's corner voxel (8, 4)
  EXPECT_EQ(axial.image.get(2 * 22 - 1, 2 * 22), (review::Rgb{64, 64, 64}));
  // Coronal: k 0..7 (the margin reaches both ends), the top row is k = 7.
  const auto coronal = review::slice_picture(scene.image, scene.labels, review::SlicePlane::kCoronal, 5, settings);
  EXPECT_EQ(coronal.first_voxel, (std::array<std::size_t, 2>{6, 7}));
  EXPECT_EQ(coronal.voxel_count, (std::array<std::size_t, 2>{12, 8}));
}

TEST(SlicePicture, RefusesAnIndexOutsideAndAnotherGrid) {
  Scene scene = box_scene();
  try {
    (void)review::slice_picture(scene.image, scene.labels, review::SlicePlane::kAxial, 8);
    FAIL() << "index 8 of 8 slices accepted";
  } catch (const ptwin::InputError& error) {
    EXPECT_EQ(error.where(), "slice picture: axial index");
    EXPECT_EQ(error.value(), "8");
  }
  scene.labels.geometry.size = {16, 16, 8};
  EXPECT_THROW((void)review::slice_picture(scene.image, scene.labels, review::SlicePlane::kAxial, 0),
               ptwin::InputError);
}

// An axis-aligned box of 20 x 10 x 40 mm (x, y, z) with outward triangles.
srf::TriangleSurface box_surface() {
  srf::TriangleSurface box;
  for (int c = 0; c < 8; ++c) {
    box.points_m.push_back({(c & 1) ? 0.02 : 0.0, (c & 2) ? 0.01 : 0.0, (c & 4) ? 0.04 : 0.0});
  }
  const std::array<std::array<std::uint32_t, 4>, 6> faces{{{0, 2, 3, 1}, {4, 5, 7, 6}, {0, 1, 5, 4},
                                                          {2, 6, 7, 3}, {0, 4, 6, 2}, {1, 3, 7, 5}}};
  for (const auto& f : faces) {
    box.triangles.push_back({f[0], f[1], f[2]});
    box.triangles.push_back({f[0], f[2], f[3]});
  }
  return box;
}

TEST(SurfacePicture, ABoxSeenFromTheFrontCoversItsProjectedArea) {
  const auto picture = review::surface_picture(box_surface(), {});
  // 40 mm tall fills 90 % of 512 pixels: 460.8 px; 20 mm wide: 230.4 px. Pixel centres inside
  // the projected rectangle: about 460 x 230, within one row and column.
  const double expected = 460.8 * 230.4;
  EXPECT_NEAR(static_cast<double>(picture.covered_pixels), expected, 460.8 + 230.4 + 1.0);
  const review::SurfacePictureSettings settings;
  EXPECT_EQ(picture.image.get(0, 0), settings.background);
  // The front face (normal -y) faces the light: full wall colour.
  EXPECT_EQ(picture.image.get(256, 256), settings.wall);
}

TEST(SurfacePicture, CapsAreColouredByRoleAndBadLabelsAreRefused) {
  const auto box = box_surface();
  srf::SurfaceFaceLabels labels;
  labels.per_triangle.assign(box.triangles.size(), srf::kWallLabel);
  labels.per_triangle[4] = labels.per_triangle[5] = 1;  // the y = 0 face, towards the eye
  labels.caps.push_back({});
  labels.caps[0].label = 1;
  labels.caps[0].role = srf::CapRole::kInlet;
  const review::SurfacePictureSettings settings;
  EXPECT_EQ(review::surface_picture(box, labels).image.get(256, 256), settings.inlet);
  labels.per_triangle.pop_back();
  EXPECT_THROW((void)review::surface_picture(box, labels), ptwin::InputError);
  EXPECT_THROW((void)review::surface_picture(srf::TriangleSurface{}, {}), ptwin::InputError);
}

TEST(PngWriter, WritesAPngAndNamesAMissingFolder) {
  const auto dir = std::filesystem::temp_directory_path() / ("ptwin_png_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  review::RgbImage image(3, 2, review::Rgb{1, 2, 3});
  review::write_png(dir / "a.png", image);
  std::ifstream in(dir / "a.png", std::ios::binary);
  std::string head(8, '\0');
  in.read(head.data(), 8);
  EXPECT_EQ(head, std::string("\x89PNG\r\n\x1a\n", 8));
  try {
    review::write_png(dir / "absent" / "b.png", image);
    FAIL() << "a missing folder was accepted";
  } catch (const ptwin::Error& error) {
    EXPECT_NE(std::string(error.what()).find("absent"), std::string::npos) << error.what();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
