// SPDX-License-Identifier: Apache-2.0
// Surface remeshing (SurfaceRemeshing::Remesh) on a deliberately bad surface: a 36-gon cylinder
// whose wall is one band of long thin triangles (smallest angle 1.7 deg) and whose caps are fans
// of 10 deg needles. Kept as it is, that surface gives tetrahedra that break the default quality
// thresholds; remeshed, the mesh meets them, keeps its labels and planar caps, and encloses the
// polygonal prism's volume within the chordal tolerance stated below.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/mesh/gmsh_surface_remesher.hpp"
#include "ptwin/geometry/mesh/gmsh_tetra_mesher.hpp"
#include "ptwin/geometry/mesh/tetra_quality.hpp"
#include "ptwin/geometry/surface/surface_check.hpp"

namespace ptwin::geometry::mesh {
namespace {

constexpr double kRadiusM = 2e-3;
constexpr double kLengthM = 12e-3;
constexpr int kSegments = 36;

// Points 0..n-1 on z = 0, n..2n-1 on z = L, 2n and 2n+1 the cap centres. Cap 1 at z = 0, cap 2
// at z = L; all triangles outward.
LabelledSurface sliver_cylinder() {
  LabelledSurface cylinder;
  auto& points = cylinder.surface.points_m;
  for (const double z : {0.0, kLengthM}) {
    for (int k = 0; k < kSegments; ++k) {
      const double angle = 2.0 * std::numbers::pi * k / kSegments;
      points.push_back({kRadiusM * std::cos(angle), kRadiusM * std::sin(angle), z});
    }
  }
  points.push_back({0.0, 0.0, 0.0});
  points.push_back({0.0, 0.0, kLengthM});
  const auto n = static_cast<std::uint32_t>(kSegments);
  for (std::uint32_t k = 0; k < n; ++k) {
    const std::uint32_t next = (k + 1) % n;
    cylinder.surface.triangles.push_back({k, next, n + next});  // wall, one band
    cylinder.surface.triangles.push_back({k, n + next, n + k});
    cylinder.triangle_labels.insert(cylinder.triangle_labels.end(), {kWallLabel, kWallLabel});
    cylinder.surface.triangles.push_back({2 * n, next, k});  // bottom fan, normal -z
    cylinder.triangle_labels.push_back(1);
    cylinder.surface.triangles.push_back({2 * n + 1, n + k, n + next});  // top fan, normal +z
    cylinder.triangle_labels.push_back(2);
  }
  return cylinder;
}

double prism_volume_m3() {
  return 0.5 * kSegments * kRadiusM * kRadiusM * std::sin(2.0 * std::numbers::pi / kSegments) *
         kLengthM;
}

TetraMeshSettings remeshing() {
  TetraMeshSettings settings;
  settings.surface_remeshing = SurfaceRemeshing::Remesh;
  return settings;
}

TEST(SurfaceRemeshing, TheSliverCylinderIsValidAndBadWhenKept) {
  const LabelledSurface cylinder = sliver_cylinder();
  ASSERT_NO_THROW(validate_labelled_surface(cylinder, "sliver cylinder"));
  EXPECT_NEAR(surface::enclosed_volume_m3(cylinder.surface) / prism_volume_m3(), 1.0, 1e-12);
  EXPECT_LT(min_triangle_angle_deg(cylinder.surface), 2.0);
  const TetraMesh kept = mesh_volume(cylinder, TetraMeshSettings{});
  EXPECT_FALSE(check_quality(assess_quality(kept), MeshQualityThresholds{}).passed());
}

TEST(SurfaceRemeshing, RemeshedCylinderMeetsTheThresholdsAndKeepsItsVolumeAndCaps) {
  const LabelledSurface cylinder = sliver_cylinder();
  const TetraMesh mesh = mesh_volume(cylinder, remeshing());
  const QualityCheck check = check_quality(assess_quality(mesh), MeshQualityThresholds{});
  EXPECT_TRUE(check.passed()) << check.describe();
  EXPECT_TRUE(check_conformity(mesh).is_conforming());

  // The new nodes lie on the prism's faces, so the new surface is inscribed in it. Its chords
  // at h = 0.2 r cut at most what an inscribed polygon of edge h cuts from a circle,
  // 1 - sin(0.2) / 0.2 = 0.67 %; 1 % allows for the rim, where chords of the rim polygon and
  // of the wall meet.
  const double change = mesh_volume_m3(mesh) / prism_volume_m3() - 1.0;
  EXPECT_LE(change, 1e-9) << "a surface inscribed in the prism cannot enclose more";
  EXPECT_GT(change, -0.01);

  ASSERT_EQ(mesh.patches.size(), 3U);
  EXPECT_EQ(mesh.patches[0].name, "wall");
  EXPECT_EQ(mesh.patches[1].kind, BoundaryKind::Inlet);
  EXPECT_EQ(mesh.patches[1].surface_label, 1);  // equal caps: the lower label is the inlet
  EXPECT_EQ(mesh.patches[2].kind, BoundaryKind::Outlet);
  // Caps stay planar and keep their area up to the rim's chords (0.67 % as above).
  const double polygon_m2 = 0.5 * kSegments * kRadiusM * kRadiusM *
                            std::sin(2.0 * std::numbers::pi / kSegments);
  for (std::size_t p = 1; p < 3; ++p) {
    const double plane_z_m = mesh.patches[p].surface_label == 1 ? 0.0 : kLengthM;
    for (std::size_t t = 0; t < mesh.boundary_triangles.size(); ++t) {
      if (mesh.boundary_patch[t] != p) continue;
      for (const std::uint32_t node : mesh.boundary_triangles[t]) {
        EXPECT_NEAR(mesh.nodes_m[node][2], plane_z_m, 1e-12) << mesh.patches[p].name;
      }
    }
    EXPECT_NEAR(patch_area_m2(mesh, p) / polygon_m2, 1.0, 0.01) << mesh.patches[p].name;
  }
}

TEST(SurfaceRemeshing, RemeshedSurfaceIsClosedOutwardAndWellShaped) {
  const LabelledSurface cylinder = sliver_cylinder();
  const RemeshedSurface remeshed = remesh_surface(cylinder, remeshing());
  EXPECT_NO_THROW(validate_labelled_surface(remeshed.labelled, "remeshed"));
  // Frontal-Delaunay triangles of a smooth patch: no needle or sliver is left.
  EXPECT_GT(min_triangle_angle_deg(remeshed.labelled.surface), 20.0);
  // About 2 pi r / h = 31 edges round the rim at h = 0.2 r, against 36 input edges.
  std::size_t wall = 0;
  for (const int label : remeshed.labelled.triangle_labels) wall += label == kWallLabel ? 1 : 0;
  const double wall_area_m2 = 2.0 * std::numbers::pi * kRadiusM * kLengthM;
  const double triangle_m2 = std::sqrt(3.0) / 4.0 * 0.4e-3 * 0.4e-3;  // equilateral, h = 0.4 mm
  EXPECT_NEAR(static_cast<double>(wall) * triangle_m2 / wall_area_m2, 1.0, 0.35);
}

TEST(SurfaceRemeshing, BadRemeshingSettingsAreRefusedNamingTheField) {
  const LabelledSurface cylinder = sliver_cylinder();
  for (const double angle : {0.0, 190.0}) {
    TetraMeshSettings settings = remeshing();
    settings.feature_angle_deg = angle;
    try {
      (void)mesh_volume(cylinder, settings);
      ADD_FAILURE() << "accepted feature angle " << angle;
    } catch (const InputError& error) {
      EXPECT_NE(std::string(error.what()).find("TetraMeshSettings.feature_angle_deg"),
                std::string::npos)
          << error.what();
    }
  }
  TetraMeshSettings settings = remeshing();
  settings.remesh_volume_tolerance = -0.1;
  EXPECT_THROW((void)mesh_volume(cylinder, settings), InputError);
}

TEST(SurfaceRemeshing, AVolumeChangeAboveTheToleranceFailsNamingIt) {
  // The remeshed cylinder loses 0.34 % of the prism's volume (measured): 1e-4 must refuse it.
  TetraMeshSettings settings = remeshing();
  settings.remesh_volume_tolerance = 1e-4;
  try {
    (void)mesh_volume(sliver_cylinder(), settings);
    ADD_FAILURE() << "accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::MeshingFailed) << error.what();
    EXPECT_NE(std::string(error.what()).find("remesh_volume_tolerance"), std::string::npos)
        << error.what();
    ::testing::Test::RecordProperty("message", error.what());
  }
}

TEST(TetraMeshBoundary, OrientBoundaryOutwardTurnsInwardTriangles) {
  TetraMesh mesh = mesh_volume(sliver_cylinder(), remeshing());
  const std::size_t count = mesh.boundary_triangles.size();
  for (std::size_t t = 0; t < count; t += 2) {
    std::swap(mesh.boundary_triangles[t][1], mesh.boundary_triangles[t][2]);
  }
  EXPECT_EQ(orient_boundary_outward(mesh), (count + 1) / 2);
  const surface::TriangleSurface boundary{mesh.nodes_m, mesh.boundary_triangles};
  EXPECT_NEAR(surface::enclosed_volume_m3(boundary) / mesh_volume_m3(mesh), 1.0, 1e-9);
  EXPECT_EQ(orient_boundary_outward(mesh), 0U);
}

}  // namespace
}  // namespace ptwin::geometry::mesh
