// SPDX-License-Identifier: Apache-2.0
// The vessel network picture (geometry/review/centerline_picture.hpp) on a Y network whose
// projections are known: the bands lie where the centerlines project and nowhere else, markers sit
// at the nodes and the stenosis, and the panels follow the documented orientation and scale.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/review/centerline_picture.hpp"

namespace {

namespace review = ptwin::geometry::review;
namespace cl = ptwin::geometry::centerline;
using ptwin::ingest::dicom::Vector3;

cl::VesselSegment straight(std::string name, std::size_t from, std::size_t to, const Vector3& a, const Vector3& b,
                           double radius_m) {
  cl::VesselSegment segment{std::move(name), from, to, {}, {}, {}};
  const int pieces = 30;
  for (int p = 0; p <= pieces; ++p) {
    const double t = static_cast<double>(p) / pieces;
    segment.points_m.push_back({a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])});
    segment.radius_m.push_back(radius_m);
  }
  return segment;
}

// Trunk along +z (r = 3 mm, 40 mm), daughters to patient left-posterior and right-anterior
// (r = 2 mm), the first with a 50 % stenosis at its middle.
cl::VesselNetwork y_network() {
  cl::VesselNetwork network;
  network.point_spacing_m = 1e-3;
  const Vector3 inlet{0, 0, 0}, fork{0, 0, 0.04}, end1{0.02, 0.006, 0.07}, end2{-0.02, -0.006, 0.065};
  network.nodes = {{"inlet", cl::NodeKind::Inlet, inlet}, {"bifurcation1", cl::NodeKind::Bifurcation, fork},
                   {"outlet1", cl::NodeKind::Outlet, end1}, {"outlet2", cl::NodeKind::Outlet, end2}};
  network.segments = {straight("segment1", 0, 1, inlet, fork, 0.003), straight("segment2", 1, 2, fork, end1, 0.002),
                      straight("segment3", 1, 3, fork, end2, 0.002)};
  auto& stenosed = network.segments[1];
  for (std::size_t p = 13; p <= 17; ++p) stenosed.radius_m[p] = 0.001;
  stenosed.stenoses.push_back({15, 0.0, stenosed.points_m[15], 0.001, 0.002, 0.5, 0.004});
  return network;
}

double distance_to_polyline(const std::array<double, 2>& p, const std::vector<std::array<double, 2>>& line) {
  double best = 1e300;
  for (std::size_t n = 1; n < line.size(); ++n) {
    const double dx = line[n][0] - line[n - 1][0], dy = line[n][1] - line[n - 1][1];
    const double length2 = dx * dx + dy * dy;
    const double t = length2 > 0 ? std::clamp(((p[0] - line[n - 1][0]) * dx + (p[1] - line[n - 1][1]) * dy) / length2, 0.0, 1.0) : 0.0;
    best = std::min(best, std::hypot(line[n - 1][0] + t * dx - p[0], line[n - 1][1] + t * dy - p[1]));
  }
  return best;
}

bool is_annotated(const review::CenterlinePicture& picture, long x, long y) {
  return std::any_of(picture.annotation_boxes_px.begin(), picture.annotation_boxes_px.end(), [&](const auto& b) {
    return x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
  });
}

TEST(CenterlinePicture, BandsLieWhereTheCenterlinesProjectAndNowhereElse) {
  const auto network = y_network();
  const auto picture = review::centerline_picture(network);
  ASSERT_EQ(picture.image.width, 3 * 320U);
  ASSERT_EQ(picture.image.height, 320U);
  ASSERT_EQ(picture.segment_colours.size(), 3U);
  std::map<review::Rgb, std::size_t> segment_of;
  for (std::size_t n = 0; n < 3; ++n) segment_of[picture.segment_colours[n]] = n;
  ASSERT_EQ(segment_of.size(), 3U) << "segments must be told apart by colour";

  std::size_t own_colour = 0, checked = 0;
  for (std::size_t v = 0; v < 3; ++v) {
    const auto& view = picture.views[v];
    std::vector<std::vector<std::array<double, 2>>> projected(3);
    for (std::size_t n = 0; n < 3; ++n) {
      for (const auto& point : network.segments[n].points_m) projected[n].push_back(view.pixel_of(point));
    }
    // Every centerline point outside the markers and labels shows its own segment's colour, unless
    // another segment's band covers it there.
    for (std::size_t n = 0; n < 3; ++n) {
      for (std::size_t p = 0; p < projected[n].size(); ++p) {
        const auto x = static_cast<long>(std::floor(projected[n][p][0]));
        const auto y = static_cast<long>(std::floor(projected[n][p][1]));
        if (is_annotated(picture, x, y)) continue;
        bool is_covered_by_other = false;
        for (std::size_t m = 0; m < 3; ++m) {
          if (m != n && distance_to_polyline(projected[n][p], projected[m]) <= network.segments[m].radius_m[0] * view.scale_px_per_m + 2.0) {
            is_covered_by_other = true;
          }
        }
        const auto colour = picture.image.get(static_cast<std::size_t>(x), static_cast<std::size_t>(y));
        if (is_covered_by_other) {
          EXPECT_TRUE(segment_of.contains(colour)) << view.name << " segment " << n << " point " << p;
          continue;
        }
        ++checked;
        own_colour += colour == picture.segment_colours[n];
        EXPECT_EQ(colour, picture.segment_colours[n]) << view.name << " segment " << n << " point " << p;
      }
    }
    // Every pixel of a segment's colour is within that segment's band (radius + a pixel's reach).
    std::size_t band_pixels = 0;
    for (std::size_t y = 0; y < picture.image.height; ++y) {
      for (std::size_t x = view.x_offset_px; x < view.x_offset_px + view.panel_px; ++x) {
        const auto found = segment_of.find(picture.image.get(x, y));
        if (found == segment_of.end()) continue;
        ++band_pixels;
        const std::size_t n = found->second;
        const double reach = 0.003 * view.scale_px_per_m + 1.0;
        const double d = distance_to_polyline({static_cast<double>(x) + 0.5, static_cast<double>(y) + 0.5}, projected[n]);
        ASSERT_LE(d, reach) << view.name << " pixel " << x << "," << y << " of segment " << n;
      }
    }
    EXPECT_GT(band_pixels, 500U) << view.name;
  }
  EXPECT_GT(checked, 150U) << "most centerline points must be checked against their own colour";
  EXPECT_EQ(own_colour, checked);
}

TEST(CenterlinePicture, PanelsFollowTheDocumentedOrientationScaleAndMarkers) {
  const auto network = y_network();
  const review::CenterlinePictureSettings settings;
  const auto picture = review::centerline_picture(network, settings);
  // Bounding box with the radii: x -22..22 mm, y -8..8 mm, z -3..72 mm -> extent 75 mm, so
  // scale = 0.84 * 320 / 0.075 px/m, centred on (0, 0, 34.5 mm).
  const double scale = (1.0 - 2.0 * 0.08) * 320.0 / 0.075;
  const double cz = 0.0345;
  const auto& front = picture.views[0];
  EXPECT_EQ(front.name, "front");
  EXPECT_NEAR(front.scale_px_per_m, scale, 1e-9 * scale);
  const auto expect_colour = [&](double x, double y, review::Rgb colour, const char* what) {
    EXPECT_EQ(picture.image.get(static_cast<std::size_t>(x), static_cast<std::size_t>(y)), colour) << what;
  };
  // Front: right = +x, up = +z.
  expect_colour(160.0, 160.0 - (0.0 - cz) * scale, settings.inlet, "front inlet");
  expect_colour(160.0 + 0.02 * scale, 160.0 - (0.07 - cz) * scale, settings.outlet, "front outlet1 (patient left, up)");
  expect_colour(160.0, 160.0 - (0.04 - cz) * scale, settings.bifurcation, "front bifurcation");
  // Side (x from 320): right = +y; outlet1 is posterior (+y), outlet2 anterior.
  expect_colour(320.0 + 160.0 + 0.006 * scale, 160.0 - (0.07 - cz) * scale, settings.outlet, "side outlet1");
  expect_colour(320.0 + 160.0 - 0.006 * scale, 160.0 - (0.065 - cz) * scale, settings.outlet, "side outlet2");
  // Top (x from 640): right = +x, down = +y; the trunk is seen end-on at the centre.
  expect_colour(640.0 + 160.0 + 0.02 * scale, 160.0 + 0.006 * scale, settings.outlet, "top outlet1");
  // The stenosis ring, on the ring's radius right of the narrowest point.
  const auto at = front.pixel_of(network.segments[1].points_m[15]);
  expect_colour(at[0] + settings.marker_half_px + 1.5, at[1], settings.stenosis, "stenosis ring");
  EXPECT_EQ(picture.labels, (std::vector<std::string>{"IN", "B1", "O1", "O2", "S1 50%"}));
  // The labels are drawn: text pixels inside the label boxes.
  std::size_t text_pixels = 0;
  for (std::size_t y = 0; y < picture.image.height; ++y) {
    for (std::size_t x = 0; x < picture.image.width; ++x) text_pixels += picture.image.get(x, y) == settings.text;
  }
  EXPECT_GT(text_pixels, 3U * 5U * 4U * 10U) << "five labels in three panels";
}

TEST(CenterlinePicture, InvalidNetworksAndSettingsAreRefusedByName) {
  auto network = y_network();
  network.segments[2].radius_m[4] = -1.0;
  try {
    (void)review::centerline_picture(network);
    FAIL() << "accepted";
  } catch (const ptwin::InputError& error) {
    EXPECT_NE(std::string(error.what()).find("radius_m[4]"), std::string::npos) << error.what();
  }
  review::CenterlinePictureSettings settings;
  settings.panel_px = 10;
  try {
    (void)review::centerline_picture(y_network(), settings);
    FAIL() << "accepted";
  } catch (const ptwin::InputError& error) {
    EXPECT_NE(std::string(error.what()).find("panel_px"), std::string::npos) << error.what();
  }
}

}  // namespace
