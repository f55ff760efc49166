// SPDX-License-Identifier: Apache-2.0
// The labelled surface checks that volume meshing relies on, the analytic capped cylinder, and
// the mesher's settings validation (which needs no Gmsh run).
#include "ptwin/geometry/mesh/labelled_surface.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/mesh/gmsh_tetra_mesher.hpp"
#include "ptwin/geometry/mesh/tube_surfaces.hpp"
#include "ptwin/geometry/surface/surface_check.hpp"

namespace ptwin::geometry::mesh {
namespace {

const CappedCylinderSpec kCylinder{.radius_m = 2e-3, .length_m = 10e-3, .segments = 24};

// Runs `call` and checks that it throws InputError whose message contains each of `parts`.
template <typename Call>
void expect_input_error(Call&& call, std::initializer_list<std::string> parts) {
  try {
    call();
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    for (const std::string& part : parts) {
      EXPECT_NE(std::string(error.what()).find(part), std::string::npos)
          << "'" << part << "' not in: " << error.what();
    }
  }
}

TEST(CappedCylinderSurface, IsClosedOutwardAndEnclosesThePolygonalPrism) {
  const LabelledSurface cylinder = capped_cylinder_surface(kCylinder);
  EXPECT_NO_THROW(validate_labelled_surface(cylinder, "cylinder"));
  // V = (n / 2) r^2 sin(2 pi / n) L, summed from the triangles in double precision.
  EXPECT_NEAR(enclosed_volume_m3(cylinder.surface) / polygonal_prism_volume_m3(kCylinder), 1.0,
              1e-12);
  const auto areas = label_areas_m2(cylinder);
  ASSERT_EQ(areas.size(), 3U);
  const double polygon_m2 = 0.5 * 24 * 4e-6 * std::sin(2.0 * std::numbers::pi / 24);
  EXPECT_NEAR(areas.at(1) / polygon_m2, 1.0, 1e-12);
  EXPECT_NEAR(areas.at(2) / polygon_m2, 1.0, 1e-12);
  const double perimeter_m = 24 * 2.0 * 2e-3 * std::sin(std::numbers::pi / 24);
  EXPECT_NEAR(areas.at(0) / (perimeter_m * 10e-3), 1.0, 1e-12);
}

TEST(CappedCylinderSurface, SegmentsMustBeAMultipleOfSix) {
  expect_input_error([] { (void)capped_cylinder_surface({.segments = 20}); },
                     {"CappedCylinderSpec.segments", "20", "multiple of 6"});
}

TEST(YBifurcationSurface, BadSpecIsRefusedNamingTheField) {
  expect_input_error([] { (void)y_bifurcation_surface({.half_angle_deg = 85.0}); },
                     {"YBifurcationSpec.half_angle_deg", "85"});
  expect_input_error(
      [] { (void)y_bifurcation_surface({.parent_radius_m = 1e-3, .daughter_radius_m = 2e-3}); },
      {"YBifurcationSpec.daughter_radius_m", "parent_radius_m"});
  expect_input_error([] { (void)y_bifurcation_surface({.element_size_m = 0.0}); },
                     {"YBifurcationSpec.element_size_m"});
}

TEST(LabelledSurface, FlippedTriangleIsRefusedNamingIt) {
  LabelledSurface cylinder = capped_cylinder_surface(kCylinder);
  std::swap(cylinder.surface.triangles[5][1], cylinder.surface.triangles[5][2]);
  expect_input_error([&] { validate_labelled_surface(cylinder, "cyl.vtp"); },
                     {"cyl.vtp", "triangles[", "oriented"});
}

TEST(LabelledSurface, OpenSurfaceIsRefused) {
  LabelledSurface cylinder = capped_cylinder_surface(kCylinder);
  cylinder.surface.triangles.pop_back();
  cylinder.triangle_labels.pop_back();
  expect_input_error([&] { validate_labelled_surface(cylinder, "cyl"); }, {"not closed"});
}

TEST(LabelledSurface, InwardSurfaceIsRefusedAndOrientOutwardRepairsIt) {
  LabelledSurface cylinder = capped_cylinder_surface(kCylinder);
  for (auto& triangle : cylinder.surface.triangles) std::swap(triangle[1], triangle[2]);
  expect_input_error([&] { validate_labelled_surface(cylinder, "cyl"); }, {"outward"});
  // Scramble half the triangles too: orientation is restored by propagation across edges.
  for (std::size_t t = 0; t < cylinder.surface.triangles.size(); t += 2) {
    std::swap(cylinder.surface.triangles[t][0], cylinder.surface.triangles[t][1]);
  }
  orient_outward(cylinder.surface);
  EXPECT_NO_THROW(validate_labelled_surface(cylinder, "cyl"));
  EXPECT_GT(enclosed_volume_m3(cylinder.surface), 0.0);
}

TEST(LabelledSurface, LabelsMustMatchTrianglesAndIncludeWallAndCap) {
  LabelledSurface cylinder = capped_cylinder_surface(kCylinder);
  cylinder.triangle_labels.pop_back();
  expect_input_error([&] { validate_labelled_surface(cylinder, "cyl"); },
                     {"triangle_labels", "one label per triangle"});
  cylinder = capped_cylinder_surface(kCylinder);
  for (int& label : cylinder.triangle_labels) label = kWallLabel;
  expect_input_error([&] { validate_labelled_surface(cylinder, "cyl"); }, {"no cap"});
  cylinder.triangle_labels[3] = -2;
  expect_input_error([&] { validate_labelled_surface(cylinder, "cyl"); },
                     {"triangle_labels[3]", "-2"});
}

TEST(TetraMeshSettings, BadValuesAreRefusedNamingTheSetting) {
  const LabelledSurface cylinder = capped_cylinder_surface(kCylinder);
  TetraMeshSettings settings;
  settings.element_size = -1.0;
  expect_input_error([&] { (void)target_element_size_m(cylinder, settings); },
                     {"TetraMeshSettings.element_size", "-1"});
  settings = TetraMeshSettings{};
  settings.threads = 0;
  expect_input_error([&] { (void)mesh_volume(cylinder, settings); },
                     {"TetraMeshSettings.threads", "0"});
  settings = TetraMeshSettings{};
  settings.inlet_label = 7;
  expect_input_error([&] { (void)mesh_volume(cylinder, settings); },
                     {"TetraMeshSettings.inlet_label", "7"});
}

TEST(TetraMeshSettings, RelativeSizeIsAFractionOfTheSmallestCapsEquivalentRadius) {
  const LabelledSurface cylinder = capped_cylinder_surface(kCylinder);
  TetraMeshSettings settings;
  settings.element_size = 0.5;
  const double polygon_m2 = 0.5 * 24 * 4e-6 * std::sin(2.0 * std::numbers::pi / 24);
  EXPECT_NEAR(target_element_size_m(cylinder, settings),
              0.5 * std::sqrt(polygon_m2 / std::numbers::pi), 1e-15);
  settings.size_mode = ElementSizeMode::Absolute;
  settings.element_size = 3e-4;
  EXPECT_EQ(target_element_size_m(cylinder, settings), 3e-4);
}

}  // namespace
}  // namespace ptwin::geometry::mesh
