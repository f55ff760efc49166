// SPDX-License-Identifier: Apache-2.0
// Peeling of flat boundary tetrahedra and relocation of interior nodes (tetra_mesh_repair.hpp)
// on meshes of a few tetrahedra built by hand.
#include "ptwin/geometry/mesh/tetra_mesh_repair.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/geometry/mesh/labelled_surface.hpp"
#include "ptwin/geometry/surface/surface_check.hpp"

namespace ptwin::geometry::mesh {
namespace {

// Orders each tetrahedron positively and takes as boundary every face of one tetrahedron only,
// turned outward: the record mesh_volume would hand back.
TetraMesh make_mesh(std::vector<Vector3> nodes, std::vector<std::array<std::uint32_t, 4>> tets) {
  TetraMesh mesh;
  mesh.nodes_m = std::move(nodes);
  for (auto& tet : tets) {
    if (tetrahedron_volume_m3(mesh.nodes_m[tet[0]], mesh.nodes_m[tet[1]], mesh.nodes_m[tet[2]],
                              mesh.nodes_m[tet[3]]) < 0.0) {
      std::swap(tet[2], tet[3]);
    }
  }
  mesh.tetrahedra = tets;
  std::map<std::array<std::uint32_t, 3>, std::pair<int, std::array<std::uint32_t, 3>>> faces;
  for (const auto& tet : tets) {
    for (std::size_t v = 0; v < 4; ++v) {
      std::array<std::uint32_t, 3> face{tet[(v + 1) % 4], tet[(v + 2) % 4], tet[(v + 3) % 4]};
      auto key = face;
      std::sort(key.begin(), key.end());
      auto& entry = faces[key];
      ++entry.first;
      entry.second = face;
    }
  }
  for (const auto& [key, entry] : faces) {
    if (entry.first != 1) continue;
    mesh.boundary_triangles.push_back(entry.second);
    mesh.boundary_patch.push_back(0);
  }
  mesh.patches = {{"wall", BoundaryKind::Wall, kWallLabel, kWallPhysicalTag}};
  (void)orient_boundary_outward(mesh);
  return mesh;
}

double boundary_volume_m3(const TetraMesh& mesh) {
  return surface::enclosed_volume_m3({mesh.nodes_m, mesh.boundary_triangles});
}

TEST(BoundarySliverPeeling, AFlatTetrahedronOnTwoWallFacesIsPeeled) {
  // a-b is a ridge 0.02 above c and d: tetrahedron (a, b, c, d) is the flat wedge between the
  // wall faces abc, abd and the faces acd, bcd of the two tetrahedra below it (apex e).
  TetraMesh mesh = make_mesh({{0.0, 0.0, 0.02}, {1.0, 0.0, 0.02}, {0.5, 0.5, 0.0},
                              {0.5, -0.5, 0.0}, {0.5, 0.0, -1.0}},
                             {{0, 1, 2, 3}, {0, 2, 3, 4}, {1, 2, 3, 4}});
  ASSERT_TRUE(check_conformity(mesh).is_conforming());
  ASSERT_EQ(mesh.boundary_triangles.size(), 6U);
  const double flat_m3 = tetrahedron_volume_m3(mesh.nodes_m[0], mesh.nodes_m[1],
                                               mesh.nodes_m[2], mesh.nodes_m[3]);
  const double before_m3 = mesh_volume_m3(mesh);
  const PeelingResult peeled = peel_boundary_slivers(mesh, MeshQualityThresholds{});
  EXPECT_EQ(peeled.removed, 1U);
  EXPECT_NEAR(peeled.removed_volume_m3, std::abs(flat_m3), 1e-15);
  EXPECT_EQ(mesh.tetrahedra.size(), 2U);
  EXPECT_EQ(mesh.boundary_triangles.size(), 6U);  // abc, abd out; acd, bcd in
  EXPECT_TRUE(check_conformity(mesh).is_conforming());
  EXPECT_NEAR(mesh_volume_m3(mesh), before_m3 - std::abs(flat_m3), 1e-12);
  EXPECT_NEAR(boundary_volume_m3(mesh), mesh_volume_m3(mesh), 1e-12);  // outward, closed
}

TEST(BoundarySliverPeeling, AFlatTetrahedronOnThreeWallFacesIsPeeledWithItsApex) {
  // Apex e sits 0.01 above face bcd of a good tetrahedron: (b, c, d, e) has three wall faces.
  TetraMesh mesh = make_mesh({{0.0, 0.0, -1.0}, {1.0, 0.0, 0.0}, {-0.5, 0.87, 0.0},
                              {-0.5, -0.87, 0.0}, {0.0, 0.0, 0.01}},
                             {{0, 1, 2, 3}, {1, 2, 3, 4}});
  ASSERT_TRUE(check_conformity(mesh).is_conforming());
  const PeelingResult peeled = peel_boundary_slivers(mesh, MeshQualityThresholds{});
  EXPECT_EQ(peeled.removed, 1U);
  ASSERT_EQ(mesh.tetrahedra.size(), 1U);
  EXPECT_EQ(mesh.nodes_m.size(), 4U);  // the apex is dropped
  EXPECT_EQ(mesh.boundary_triangles.size(), 4U);
  EXPECT_TRUE(check_conformity(mesh).is_conforming());
  EXPECT_NEAR(boundary_volume_m3(mesh), mesh_volume_m3(mesh), 1e-12);
  EXPECT_GT(mesh_volume_m3(mesh), 0.0);
}

TEST(BoundarySliverPeeling, GoodTetrahedraAndOtherPatchesAreLeftAlone) {
  TetraMesh regular = make_mesh({{1.0, 1.0, 1.0}, {1.0, -1.0, -1.0}, {-1.0, 1.0, -1.0},
                                 {-1.0, -1.0, 1.0}},
                                {{0, 1, 2, 3}});
  EXPECT_EQ(peel_boundary_slivers(regular, MeshQualityThresholds{}).removed, 0U);
  TetraMesh wedge = make_mesh({{0.0, 0.0, 0.02}, {1.0, 0.0, 0.02}, {0.5, 0.5, 0.0},
                               {0.5, -0.5, 0.0}, {0.5, 0.0, -1.0}},
                              {{0, 1, 2, 3}, {0, 2, 3, 4}, {1, 2, 3, 4}});
  // One of the flat tetrahedron's wall faces on a cap: peeling would move the rim.
  wedge.patches.push_back({"inlet", BoundaryKind::Inlet, 1, kInletPhysicalTag});
  for (std::size_t t = 0; t < wedge.boundary_triangles.size(); ++t) {
    const auto& triangle = wedge.boundary_triangles[t];
    const bool has_c = std::find(triangle.begin(), triangle.end(), 2U) != triangle.end();
    const bool has_a = std::find(triangle.begin(), triangle.end(), 0U) != triangle.end();
    const bool has_b = std::find(triangle.begin(), triangle.end(), 1U) != triangle.end();
    if (has_a && has_b && has_c) wedge.boundary_patch[t] = 1;
  }
  EXPECT_EQ(peel_boundary_slivers(wedge, MeshQualityThresholds{}).removed, 0U);
  EXPECT_EQ(wedge.tetrahedra.size(), 3U);
}

TEST(InteriorNodeRelocation, AnInteriorNodeNearAFaceMovesAndTheThresholdsHold) {
  // A regular tetrahedron split at an interior node placed near face (1, 2, 3): the tetrahedron
  // on that face is flat until the node moves towards the centre.
  const std::vector<Vector3> corners{{1.0, 1.0, 1.0}, {1.0, -1.0, -1.0}, {-1.0, 1.0, -1.0},
                                     {-1.0, -1.0, 1.0}};
  std::vector<Vector3> nodes = corners;
  nodes.push_back({-0.33, -0.33, -0.33});  // 0.99 of the way from the centre to face 123
  TetraMesh mesh = make_mesh(nodes, {{4, 1, 2, 3}, {0, 4, 2, 3}, {0, 1, 4, 3}, {0, 1, 2, 4}});
  ASSERT_TRUE(check_conformity(mesh).is_conforming());
  ASSERT_FALSE(check_quality(assess_quality(mesh), MeshQualityThresholds{}).passed());
  const double volume_m3 = mesh_volume_m3(mesh);
  EXPECT_GT(relocate_interior_nodes(mesh, MeshQualityThresholds{}), 0U);
  const QualityCheck check = check_quality(assess_quality(mesh), MeshQualityThresholds{});
  EXPECT_TRUE(check.passed()) << check.describe();
  EXPECT_NEAR(mesh_volume_m3(mesh), volume_m3, 1e-12);  // boundary nodes did not move
  for (std::size_t n = 0; n < 4; ++n) EXPECT_EQ(mesh.nodes_m[n], corners[n]);
}

TEST(InteriorNodeRelocation, ThresholdScoreIsOneOnALimitAndBelowBeyondIt) {
  TetQuality quality;
  quality.volume_m3 = 1.0;
  quality.radius_ratio = 0.1;
  quality.min_dihedral_deg = 60.0;
  quality.max_dihedral_deg = 80.0;
  EXPECT_NEAR(threshold_score(quality, MeshQualityThresholds{}), 1.0, 1e-12);
  quality.radius_ratio = 0.05;
  EXPECT_NEAR(threshold_score(quality, MeshQualityThresholds{}), 0.5, 1e-12);
  quality.volume_m3 = -1.0;
  EXPECT_EQ(threshold_score(quality, MeshQualityThresholds{}), 0.0);
}

}  // namespace
}  // namespace ptwin::geometry::mesh
