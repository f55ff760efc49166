// SPDX-License-Identifier: Apache-2.0
#pragma once
// Shape quality of linear tetrahedra, computed by ptwin from the node coordinates (not taken from
// the mesher), their summaries, and a check against thresholds.
//
// Per tetrahedron with volume V, face areas A_i, inradius r = 3|V| / sum A_i, circumradius R:
// - radius_ratio = 3 r / R, normalised so that the regular tetrahedron scores 1 and a degenerate
//   one 0 (Shewchuk 2002, "What is a good linear finite element?", section 6: the radius ratio
//   penalises every kind of bad tetrahedron: needles, wedges, slivers and caps);
// - min/max dihedral angle (deg): between the two faces at each of the six edges; the regular
//   tetrahedron has arccos(1/3) = 70.53 deg at every edge. Small angles make the stiffness matrix
//   ill-conditioned, angles near 180 deg spoil the interpolated gradient (Shewchuk 2002,
//   sections 3 and 5; the maximum angle condition of Babuska and Aziz 1976);
// - equiangle_skewness = max((theta_max - 60) / 120, (60 - theta_min) / 60) over the twelve face
//   angles theta of the four triangles (ANSYS Fluent User's Guide, "Mesh Quality": theta_e = 60
//   deg for triangles and tetrahedra); 0 equilateral, 1 degenerate. It does not see slivers
//   (whose faces are near right triangles), hence the dihedral and volume measures beside it;
// - volume_skewness = (V_opt - |V|) / V_opt with V_opt = 8 sqrt(3) R^3 / 27, the volume of the
//   regular tetrahedron with the same circumradius (Fluent's "equilateral volume deviation"):
//   0 regular, 1 degenerate.
// Inverted (V <= 0) tetrahedra score radius_ratio 0 and volume_skewness 1 and are counted apart.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "ptwin/geometry/mesh/tetra_mesh.hpp"

namespace ptwin::geometry::mesh {

struct TetQuality {
  double volume_m3 = 0.0;  // signed
  double radius_ratio = 0.0;
  double min_dihedral_deg = 0.0;
  double max_dihedral_deg = 0.0;
  double equiangle_skewness = 0.0;
  double volume_skewness = 0.0;
};

/// The quality of tetrahedron (a, b, c, d), coordinates in metres.
[[nodiscard]] TetQuality tet_quality(const Vector3& a, const Vector3& b, const Vector3& c,
                                     const Vector3& d);

/// Counts of a metric in equal bins over [lower, upper]; values outside go to the end bins.
struct Histogram {
  double lower = 0.0;
  double upper = 1.0;
  std::vector<std::size_t> counts;
};

struct MetricSummary {
  std::string name;  // "radius_ratio", "min_dihedral_deg", ...
  double min = 0.0;
  double max = 0.0;
  double mean = 0.0;
  Histogram histogram;
};

struct MeshQualityReport {
  std::vector<TetQuality> per_tet;  // in the order of TetraMesh::tetrahedra
  std::size_t inverted_count = 0;   // volume <= 0
  // radius_ratio and skewness in 10 bins over [0, 1]; dihedral angles in 18 bins over [0, 180].
  MetricSummary radius_ratio;
  MetricSummary min_dihedral_deg;
  MetricSummary max_dihedral_deg;
  MetricSummary equiangle_skewness;
  MetricSummary volume_skewness;
};

/// Per-tetrahedron metrics and their summaries; a mesh without tetrahedra throws InputError.
[[nodiscard]] MeshQualityReport assess_quality(const TetraMesh& mesh);

/// Limits a usable mesh respects. Defaults, chosen for linear tetrahedra in blood-flow and
/// structural solvers and met by Gmsh Delaunay + optimisation on smooth vessel surfaces:
/// - min dihedral >= 5 deg and max dihedral <= 170 deg: Shewchuk 2002 (above) shows the
///   stiffness matrix's conditioning and the gradient error degrading like 1/sin(theta) as
///   the smallest angle goes to 0 or the largest to 180 deg; 5 and 170 deg keep 1/sin(theta)
///   below 11.5 and 5.8 (1.06 for the regular element);
/// - radius ratio >= 0.1: rejects needles and caps that the dihedral bounds let through;
/// - volume and equiangle skewness <= 0.95: the Fluent User's Guide's upper limit for
///   tetrahedral meshes (cells above 0.95 make the solver inaccurate or unstable).
struct MeshQualityThresholds {
  double min_dihedral_deg = 5.0;
  double max_dihedral_deg = 170.0;
  double min_radius_ratio = 0.1;
  double max_volume_skewness = 0.95;
  double max_equiangle_skewness = 0.95;
};

/// One threshold's outcome: how many tetrahedra break it, the worst value and where.
struct ThresholdCheck {
  std::string metric;
  double limit = 0.0;
  double worst = 0.0;
  std::size_t worst_tet = 0;
  std::size_t violations = 0;
};

struct QualityCheck {
  std::vector<ThresholdCheck> checks;  // one per threshold, plus "inverted" (limit 0)
  [[nodiscard]] bool passed() const;
  /// "min_dihedral_deg: 3 of 1200 tetrahedra below 5 (worst 2.1 at tet 17); ..." or "passed".
  [[nodiscard]] std::string describe() const;
};

[[nodiscard]] QualityCheck check_quality(const MeshQualityReport& report,
                                         const MeshQualityThresholds& thresholds);

}  // namespace ptwin::geometry::mesh
