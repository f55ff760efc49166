// SPDX-License-Identifier: Apache-2.0
// The surface check finds planted defects (a hole, a non-manifold edge, a flipped triangle, an
// inward surface, a self-intersection, a pinched vertex) and repair leaves a closed, manifold,
// outward surface whose check finds nothing.
#include "ptwin/geometry/surface/surface_check.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/surface/surface_repair.hpp"

namespace ptwin::geometry::surface {
namespace {

// An axis-aligned cube [x0, x0 + edge]^3 with 12 outward triangles, appended to `surface`.
void add_cube(TriangleSurface& surface, Vector3 corner, double edge) {
  const auto base = static_cast<std::uint32_t>(surface.points_m.size());
  for (int n = 0; n < 8; ++n) {
    surface.points_m.push_back({corner[0] + edge * (n & 1), corner[1] + edge * ((n >> 1) & 1),
                                corner[2] + edge * ((n >> 2) & 1)});
  }
  // Faces as quads (counter-clockwise seen from outside), split into two triangles each.
  const std::array<std::array<std::uint32_t, 4>, 6> quads{
      {{0, 2, 3, 1}, {4, 5, 7, 6}, {0, 1, 5, 4}, {2, 6, 7, 3}, {0, 4, 6, 2}, {1, 3, 7, 5}}};
  for (const auto& q : quads) {
    surface.triangles.push_back({base + q[0], base + q[1], base + q[2]});
    surface.triangles.push_back({base + q[0], base + q[2], base + q[3]});
  }
}

TriangleSurface cube() {
  TriangleSurface surface;
  add_cube(surface, {0.0, 0.0, 0.0}, 1.0);
  return surface;
}

TEST(SurfaceCheck, ClosedOutwardCubeHasNoProblems) {
  const auto report = check_surface(cube());
  EXPECT_EQ(report.problem_count(), 0U) << report.summary();
  EXPECT_TRUE(report.is_watertight());
  EXPECT_TRUE(report.is_manifold());
  EXPECT_TRUE(report.is_outward);
  EXPECT_EQ(report.euler_characteristic, 2);
  EXPECT_EQ(report.edge_count, 18U);
  EXPECT_DOUBLE_EQ(report.enclosed_volume_m3, 1.0);
  EXPECT_TRUE(report.self_intersections_checked);
}

TEST(SurfaceCheck, FindsAHoleAndRepairFillsIt) {
  auto surface = cube();
  surface.triangles.erase(surface.triangles.begin() + 4);
  const auto report = check_surface(surface);
  EXPECT_EQ(report.boundary_edges, 3U);
  EXPECT_EQ(report.boundary_loops, 1U);
  EXPECT_FALSE(report.is_watertight());
  SurfaceFaceLabels labels;
  const auto repair = repair_surface(surface, labels);
  EXPECT_EQ(repair.filled_holes, 1U);
  const auto after = check_surface(surface);
  EXPECT_EQ(after.problem_count(), 0U) << after.summary();
  EXPECT_NEAR(after.enclosed_volume_m3, 1.0, 1e-12);  // the fan lies in the cube's face
}

TEST(SurfaceCheck, FindsANonManifoldEdgeAndRepairRemovesIt) {
  auto surface = cube();
  // A fin on the edge (0, 1): a third triangle on that edge.
  surface.points_m.push_back({0.5, -1.0, -1.0});
  surface.triangles.push_back({0, 1, 8});
  const auto report = check_surface(surface);
  EXPECT_EQ(report.non_manifold_edges, 1U);
  EXPECT_FALSE(report.is_manifold());
  SurfaceFaceLabels labels;
  const auto repair = repair_surface(surface, labels);
  EXPECT_EQ(repair.removed_non_manifold_triangles, 3U);
  EXPECT_EQ(repair.removed_unused_points, 1U);
  const auto after = check_surface(surface);
  EXPECT_EQ(after.problem_count(), 0U) << after.summary();
  // The hole left by the two cube triangles on that edge is not planar: its centroid fan cuts
  // the corner, 1/12 of the cube.
  EXPECT_NEAR(after.enclosed_volume_m3, 11.0 / 12.0, 1e-12);
}

TEST(SurfaceCheck, FindsAFlippedTriangleAndRepairReorientsIt) {
  auto surface = cube();
  std::swap(surface.triangles[7][1], surface.triangles[7][2]);
  const auto report = check_surface(surface);
  EXPECT_EQ(report.inconsistent_edges, 3U);
  SurfaceFaceLabels labels;
  const auto repair = repair_surface(surface, labels);
  EXPECT_EQ(repair.flipped_triangles, 1U);
  EXPECT_EQ(check_surface(surface).problem_count(), 0U);
}

TEST(SurfaceCheck, FindsAnInwardSurfaceAndRepairTurnsItOut) {
  auto surface = cube();
  for (auto& t : surface.triangles) std::swap(t[1], t[2]);
  const auto report = check_surface(surface);
  EXPECT_FALSE(report.is_outward);
  EXPECT_EQ(report.problem_count(), 1U);
  SurfaceFaceLabels labels;
  EXPECT_EQ(repair_surface(surface, labels).flipped_triangles, 12U);
  EXPECT_DOUBLE_EQ(check_surface(surface).enclosed_volume_m3, 1.0);
}

TEST(SurfaceCheck, FindsSelfIntersectionsOfOverlappingPartsOnly) {
  TriangleSurface apart;
  add_cube(apart, {0.0, 0.0, 0.0}, 1.0);
  add_cube(apart, {2.0, 0.0, 0.0}, 1.0);
  EXPECT_EQ(check_surface(apart).self_intersecting_pairs, 0U);
  EXPECT_EQ(check_surface(apart).components, 2U);
  TriangleSurface overlapping;
  add_cube(overlapping, {0.0, 0.0, 0.0}, 1.0);
  add_cube(overlapping, {0.5, 0.3, 0.2}, 1.0);
  const auto report = check_surface(overlapping);
  EXPECT_GT(report.self_intersecting_pairs, 0U);
  EXPECT_GT(report.problem_count(), 0U);
  EXPECT_TRUE(report.is_watertight());  // closed and manifold, yet not a valid boundary
  const auto unchecked = check_surface(
      overlapping, {.find_self_intersections = false, .intersection_tolerance_fraction = 1e-6});
  EXPECT_FALSE(unchecked.self_intersections_checked);
  EXPECT_EQ(unchecked.self_intersecting_pairs, 0U);
}

TEST(SurfaceCheck, FindsAPinchedVertexAndRepairSplitsIt) {
  // Two cubes sharing only the corner (1, 1, 1): every edge is manifold, the vertex is not.
  TriangleSurface surface;
  add_cube(surface, {0.0, 0.0, 0.0}, 1.0);
  add_cube(surface, {1.0, 1.0, 1.0}, 1.0);
  for (auto& t : surface.triangles) {
    for (auto& v : t) {
      if (v == 8) v = 7;  // the second cube's first corner is the first cube's last
    }
  }
  const auto report = check_surface(surface);
  EXPECT_EQ(report.non_manifold_vertices, 1U);
  EXPECT_EQ(report.non_manifold_edges, 0U);
  EXPECT_FALSE(report.is_manifold());
  SurfaceFaceLabels labels;
  const auto repair = repair_surface(surface, labels);
  EXPECT_EQ(repair.split_pinched_vertices, 1U);
  const auto after = check_surface(surface);
  EXPECT_TRUE(after.is_manifold());
  EXPECT_TRUE(after.is_watertight());
  EXPECT_EQ(after.components, 2U);
  EXPECT_EQ(after.euler_characteristic, 4);
  // The two cubes still touch at the corner, now through two points: the self-intersection
  // search reports the contact, which repair does not resolve.
  EXPECT_GT(after.self_intersecting_pairs, 0U);
  EXPECT_EQ(after.problem_count(), after.self_intersecting_pairs);
}

TEST(SurfaceCheck, FindsDegenerateAndDuplicateTrianglesAndRepairDropsThem) {
  auto surface = cube();
  surface.triangles.push_back(surface.triangles[0]);
  surface.triangles.push_back({0, 0, 1});
  const auto report = check_surface(surface);
  EXPECT_EQ(report.duplicate_triangles, 1U);
  EXPECT_EQ(report.degenerate_triangles, 1U);
  SurfaceFaceLabels labels;
  labels.per_triangle.assign(surface.triangles.size(), kWallLabel);
  const auto repair = repair_surface(surface, labels);
  EXPECT_EQ(repair.removed_duplicate_triangles, 1U);
  EXPECT_EQ(repair.removed_degenerate_triangles, 1U);
  EXPECT_EQ(labels.per_triangle.size(), surface.triangles.size());
  EXPECT_EQ(check_surface(surface).problem_count(), 0U);
}

TEST(SurfaceCheck, TriangleIndexOutsideThePointsNamesTheTriangle) {
  auto surface = cube();
  surface.triangles[3][2] = 99;
  try {
    (void)check_surface(surface);
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "surface: triangles[3]");
    EXPECT_EQ(error.value(), "99");
  }
}

}  // namespace
}  // namespace ptwin::geometry::surface
