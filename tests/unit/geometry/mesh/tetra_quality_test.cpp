// SPDX-License-Identifier: Apache-2.0
// Tetrahedron quality metrics against closed forms on a regular tetrahedron, a sliver and a
// needle (Shewchuk 2002, "What is a good linear finite element?", figure 4's shapes).
#include "ptwin/geometry/mesh/tetra_quality.hpp"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::mesh {
namespace {

constexpr double kDegPerRad = 180.0 / std::numbers::pi;
constexpr double kTight = 1e-12;  // closed forms evaluated in double precision

// Regular tetrahedron: alternate corners of the unit cube (edge sqrt 2).
TetQuality regular() { return tet_quality({1, 1, 1}, {-1, 1, -1}, {1, -1, -1}, {-1, -1, 1}); }

TEST(TetQuality, RegularTetrahedronScoresIdeal) {
  const TetQuality quality = regular();
  const double dihedral_deg = std::acos(1.0 / 3.0) * kDegPerRad;  // 70.5288 deg
  EXPECT_NEAR(dihedral_deg, 70.528779, 1e-6);
  EXPECT_NEAR(quality.min_dihedral_deg, dihedral_deg, 1e-9);
  EXPECT_NEAR(quality.max_dihedral_deg, dihedral_deg, 1e-9);
  EXPECT_NEAR(quality.radius_ratio, 1.0, kTight);
  EXPECT_NEAR(quality.equiangle_skewness, 0.0, 1e-12);
  EXPECT_NEAR(quality.volume_skewness, 0.0, kTight);
  EXPECT_NEAR(quality.volume_m3, 8.0 / 3.0, kTight);  // cube 8 minus four corners of 4/3
}

// Sliver: the corners of a square, alternately lifted and lowered by eps.
TEST(TetQuality, SliverHasNearFlatDihedralsAndFullVolumeSkewness) {
  const double eps = 0.01;
  const TetQuality quality = tet_quality({1, 0, eps}, {-1, 0, eps}, {0, 1, -eps}, {0, -1, -eps});
  // Closed forms: the two diagonals carry the largest dihedral pi - 2 atan(2 eps); V = 4 eps / 3;
  // the circumcentre is the origin by symmetry, R = sqrt(1 + eps^2).
  EXPECT_NEAR(quality.max_dihedral_deg, 180.0 - 2.0 * std::atan(2.0 * eps) * kDegPerRad, 1e-9);
  EXPECT_NEAR(quality.volume_m3, 4.0 * eps / 3.0, kTight);
  const double circumradius = std::sqrt(1.0 + eps * eps);
  const double regular_volume = 8.0 * std::sqrt(3.0) * std::pow(circumradius, 3) / 27.0;
  EXPECT_NEAR(quality.volume_skewness, 1.0 - (4.0 * eps / 3.0) / regular_volume, kTight);
  EXPECT_LT(quality.min_dihedral_deg, 2.0);
  EXPECT_LT(quality.radius_ratio, 0.05);
  // Its faces are near right isosceles triangles: the face-angle skewness stays near
  // (90 - 60) / 120 = 0.25 and does not flag it, which is why dihedral angles are checked too.
  EXPECT_NEAR(quality.equiangle_skewness, 0.25, 0.01);
  const MeshQualityThresholds defaults;
  EXPECT_GT(quality.max_dihedral_deg, defaults.max_dihedral_deg);
}

// Needle: unit equilateral base in z = 0, apex on its axis at height H.
TEST(TetQuality, NeedleHasGoodDihedralsButPoorRadiusRatio) {
  const double height = 20.0;
  const double base_circumradius = 1.0 / std::sqrt(3.0);
  const double base_inradius = base_circumradius / 2.0;
  const Vector3 a{base_circumradius, 0, 0};
  const Vector3 b{-base_inradius, 0.5, 0};
  const Vector3 c{-base_inradius, -0.5, 0};
  const TetQuality quality = tet_quality(a, b, c, {0, 0, height});
  const double volume = std::sqrt(3.0) / 4.0 * height / 3.0;
  const double area = std::sqrt(3.0) / 4.0 + 3.0 * 0.5 * std::hypot(height, base_inradius);
  const double inradius = 3.0 * volume / area;
  const double circumradius =
      (height * height + base_circumradius * base_circumradius) / (2.0 * height);
  EXPECT_NEAR(quality.volume_m3, volume, kTight);
  EXPECT_NEAR(quality.radius_ratio, 3.0 * inradius / circumradius, kTight);
  EXPECT_LT(quality.radius_ratio, 0.1);
  // Base edges: the lateral faces rise at atan(H / base inradius), close to 90 deg.
  EXPECT_NEAR(quality.max_dihedral_deg, std::atan2(height, base_inradius) * kDegPerRad, 1e-9);
  EXPECT_GT(quality.min_dihedral_deg, 55.0);  // lateral edges tend to 60 deg
}

TEST(TetQuality, InvertedTetrahedronHasNegativeVolumeAndWorstScores) {
  const TetQuality quality = tet_quality({1, 1, 1}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1});
  EXPECT_NEAR(quality.volume_m3, -8.0 / 3.0, kTight);
  EXPECT_EQ(quality.radius_ratio, 0.0);
  EXPECT_EQ(quality.volume_skewness, 1.0);
}

TetraMesh two_tet_mesh() {
  // A regular tetrahedron and a sliver sharing nothing.
  TetraMesh mesh;
  mesh.nodes_m = {{1, 1, 1},     {-1, 1, -1},  {1, -1, -1},    {-1, -1, 1},
                  {11, 0, 0.01}, {9, 0, 0.01}, {10, 1, -0.01}, {10, -1, -0.01}};
  mesh.tetrahedra = {{0, 1, 2, 3}, {4, 5, 6, 7}};
  return mesh;
}

TEST(MeshQuality, SummariesAndHistogramsCoverEveryTetrahedron) {
  const MeshQualityReport report = assess_quality(two_tet_mesh());
  ASSERT_EQ(report.per_tet.size(), 2U);
  EXPECT_EQ(report.inverted_count, 0U);
  EXPECT_NEAR(report.radius_ratio.max, 1.0, kTight);
  EXPECT_NEAR(report.radius_ratio.mean,
              (report.per_tet[0].radius_ratio + report.per_tet[1].radius_ratio) / 2.0, kTight);
  ASSERT_EQ(report.radius_ratio.histogram.counts.size(), 10U);
  EXPECT_EQ(report.radius_ratio.histogram.counts.back(), 1U);   // the regular one, ratio 1
  EXPECT_EQ(report.radius_ratio.histogram.counts.front(), 1U);  // the sliver
  ASSERT_EQ(report.min_dihedral_deg.histogram.counts.size(), 18U);
  EXPECT_EQ(report.min_dihedral_deg.histogram.counts[7], 1U);  // 70.5 deg in [70, 80)
}

TEST(MeshQuality, CheckNamesEveryViolatedThresholdAndTheWorstTetrahedron) {
  const QualityCheck check = check_quality(assess_quality(two_tet_mesh()), MeshQualityThresholds{});
  EXPECT_FALSE(check.passed());
  for (const ThresholdCheck& threshold : check.checks) {
    if (threshold.metric == "equiangle_skewness" || threshold.metric == "inverted") {
      EXPECT_EQ(threshold.violations, 0U) << threshold.metric;
    } else {
      EXPECT_EQ(threshold.violations, 1U) << threshold.metric;
      EXPECT_EQ(threshold.worst_tet, 1U) << threshold.metric;
    }
  }
  EXPECT_NE(check.describe().find("min_dihedral_deg: 1 tetrahedra beyond 5"), std::string::npos)
      << check.describe();
}

TEST(MeshQuality, RegularTetrahedronPassesDefaultThresholds) {
  TetraMesh mesh = two_tet_mesh();
  mesh.tetrahedra.pop_back();
  const QualityCheck check = check_quality(assess_quality(mesh), MeshQualityThresholds{});
  EXPECT_TRUE(check.passed()) << check.describe();
  EXPECT_EQ(check.describe(), "passed");
}

TEST(TetraMeshConformity, TwoTetrahedraSharingAFaceConformAndAGapIsCounted) {
  // Two tetrahedra glued on face (0, 1, 2): six boundary triangles, outward.
  TetraMesh mesh;
  mesh.nodes_m = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.4, 0.4, -1}};
  mesh.tetrahedra = {{0, 1, 2, 3}, {0, 2, 1, 4}};
  mesh.boundary_triangles = {{0, 3, 1}, {1, 3, 2}, {0, 2, 3}, {0, 1, 4}, {1, 2, 4}, {2, 0, 4}};
  EXPECT_TRUE(check_conformity(mesh).is_conforming());
  // Dropping a boundary triangle leaves a tetrahedron face unmatched.
  mesh.boundary_triangles.pop_back();
  Conformity conformity = check_conformity(mesh);
  EXPECT_EQ(conformity.unmatched_tet_faces, 1U);
  EXPECT_FALSE(conformity.is_conforming());
  // A third tetrahedron on the shared face overshares it and brings three unmatched faces; a
  // stray triangle matches no tetrahedron.
  mesh.boundary_triangles.push_back({2, 0, 4});
  mesh.nodes_m.push_back({0.3, 0.3, 0.5});
  mesh.tetrahedra.push_back({0, 1, 2, 5});
  mesh.boundary_triangles.push_back({1, 3, 4});
  conformity = check_conformity(mesh);
  EXPECT_EQ(conformity.overshared_faces, 1U);
  EXPECT_EQ(conformity.unmatched_tet_faces, 3U);
  EXPECT_EQ(conformity.unmatched_boundary, 1U);
}

TEST(MeshQuality, EmptyMeshIsRefusedNamingTheField) {
  try {
    (void)assess_quality(TetraMesh{});
    ADD_FAILURE() << "accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("TetraMesh.tetrahedra"), std::string::npos);
  }
}

}  // namespace
}  // namespace ptwin::geometry::mesh
