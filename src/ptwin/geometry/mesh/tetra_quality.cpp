// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/mesh/tetra_quality.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::geometry::mesh {
namespace {

constexpr double kDegPerRad = 180.0 / std::numbers::pi;

Vector3 minus(const Vector3& a, const Vector3& b) {
  return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}
double norm(const Vector3& a) { return std::sqrt(ingest::dicom::dot(a, a)); }
Vector3 scaled(const Vector3& a, double factor) {
  return {a[0] * factor, a[1] * factor, a[2] * factor};
}

// The angle (deg) at `apex` of the triangle (apex, p, q).
double corner_angle_deg(const Vector3& apex, const Vector3& p, const Vector3& q) {
  const Vector3 u = minus(p, apex);
  const Vector3 v = minus(q, apex);
  return std::atan2(norm(ingest::dicom::cross(u, v)), ingest::dicom::dot(u, v)) * kDegPerRad;
}

void dihedral_angles(const std::array<Vector3, 4>& vertex, TetQuality& quality) {
  // Outward normal of the face opposite each vertex.
  constexpr std::array<std::array<std::size_t, 3>, 4> kFaces{
      {{1, 2, 3}, {0, 3, 2}, {0, 1, 3}, {0, 2, 1}}};
  std::array<Vector3, 4> normal{};
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& face = kFaces[i];
    Vector3 n = ingest::dicom::cross(minus(vertex[face[1]], vertex[face[0]]),
                                     minus(vertex[face[2]], vertex[face[0]]));
    if (ingest::dicom::dot(n, minus(vertex[face[0]], vertex[i])) < 0.0) n = scaled(n, -1.0);
    const double length = norm(n);
    normal[i] = length > 0.0 ? scaled(n, 1.0 / length) : Vector3{0.0, 0.0, 0.0};
  }
  quality.min_dihedral_deg = 180.0;
  quality.max_dihedral_deg = 0.0;
  for (std::size_t k = 0; k < 4; ++k) {
    for (std::size_t l = k + 1; l < 4; ++l) {
      // The edge opposite faces k and l lies in both: interior angle = pi - angle(n_k, n_l).
      const double cosine = std::clamp(-ingest::dicom::dot(normal[k], normal[l]), -1.0, 1.0);
      const double angle_deg = std::acos(cosine) * kDegPerRad;
      quality.min_dihedral_deg = std::min(quality.min_dihedral_deg, angle_deg);
      quality.max_dihedral_deg = std::max(quality.max_dihedral_deg, angle_deg);
    }
  }
}

double equiangle_skewness(const std::array<Vector3, 4>& vertex) {
  constexpr double kEquilateralDeg = 60.0;
  double smallest = 180.0;
  double largest = 0.0;
  for (std::size_t apex = 0; apex < 4; ++apex) {
    for (std::size_t p = 0; p < 4; ++p) {
      for (std::size_t q = p + 1; q < 4; ++q) {
        if (p == apex || q == apex) continue;
        const double angle = corner_angle_deg(vertex[apex], vertex[p], vertex[q]);
        smallest = std::min(smallest, angle);
        largest = std::max(largest, angle);
      }
    }
  }
  return std::max((largest - kEquilateralDeg) / (180.0 - kEquilateralDeg),
                  (kEquilateralDeg - smallest) / kEquilateralDeg);
}

double circumradius_m(const Vector3& u, const Vector3& v, const Vector3& w, double six_volume) {
  // Circumcentre offset from the first vertex: (|u|^2 v x w + |v|^2 w x u + |w|^2 u x v) / (2 u.(v
  // x w)).
  const Vector3 vw = ingest::dicom::cross(v, w);
  const Vector3 wu = ingest::dicom::cross(w, u);
  const Vector3 uv = ingest::dicom::cross(u, v);
  const double uu = ingest::dicom::dot(u, u);
  const double vv = ingest::dicom::dot(v, v);
  const double ww = ingest::dicom::dot(w, w);
  const Vector3 numerator{uu * vw[0] + vv * wu[0] + ww * uv[0],
                          uu * vw[1] + vv * wu[1] + ww * uv[1],
                          uu * vw[2] + vv * wu[2] + ww * uv[2]};
  return norm(numerator) / (2.0 * std::abs(six_volume));
}

MetricSummary summarise(std::string name, const std::vector<TetQuality>& per_tet,
                        double TetQuality::*metric, double lower, double upper, std::size_t bins) {
  MetricSummary summary{std::move(name), INFINITY, -INFINITY, 0.0, {lower, upper, {}}};
  summary.histogram.counts.assign(bins, 0);
  for (const TetQuality& quality : per_tet) {
    const double value = quality.*metric;
    summary.min = std::min(summary.min, value);
    summary.max = std::max(summary.max, value);
    summary.mean += value;
    const double position = (value - lower) / (upper - lower) * static_cast<double>(bins);
    const auto bin = static_cast<std::size_t>(
        std::clamp(std::floor(position), 0.0, static_cast<double>(bins - 1)));
    ++summary.histogram.counts[bin];
  }
  summary.mean /= static_cast<double>(per_tet.size());
  return summary;
}

}  // namespace

TetQuality tet_quality(const Vector3& a, const Vector3& b, const Vector3& c, const Vector3& d) {
  const std::array<Vector3, 4> vertex{a, b, c, d};
  TetQuality quality;
  const Vector3 u = minus(b, a);
  const Vector3 v = minus(c, a);
  const Vector3 w = minus(d, a);
  const double six_volume = ingest::dicom::dot(u, ingest::dicom::cross(v, w));
  quality.volume_m3 = six_volume / 6.0;
  dihedral_angles(vertex, quality);
  quality.equiangle_skewness = equiangle_skewness(vertex);
  if (!(six_volume > 0.0)) {
    quality.radius_ratio = 0.0;
    quality.volume_skewness = 1.0;
    return quality;
  }
  double area_sum_m2 = 0.0;
  for (std::size_t i = 0; i < 4; ++i) {
    const Vector3& p = vertex[(i + 1) % 4];
    const Vector3& q = vertex[(i + 2) % 4];
    const Vector3& r = vertex[(i + 3) % 4];
    area_sum_m2 += 0.5 * norm(ingest::dicom::cross(minus(q, p), minus(r, p)));
  }
  const double inradius_m = 3.0 * quality.volume_m3 / area_sum_m2;
  const double circumradius = circumradius_m(u, v, w, six_volume);
  quality.radius_ratio = 3.0 * inradius_m / circumradius;
  const double regular_volume_m3 =
      8.0 * std::sqrt(3.0) * circumradius * circumradius * circumradius / 27.0;
  quality.volume_skewness =
      std::clamp((regular_volume_m3 - quality.volume_m3) / regular_volume_m3, 0.0, 1.0);
  return quality;
}

MeshQualityReport assess_quality(const TetraMesh& mesh) {
  if (mesh.tetrahedra.empty()) {
    throw InputError(ErrorCode::BadInput, "assess_quality: TetraMesh.tetrahedra", "0",
                     "a mesh needs at least one tetrahedron");
  }
  MeshQualityReport report;
  report.per_tet.reserve(mesh.tetrahedra.size());
  for (const auto& tet : mesh.tetrahedra) {
    report.per_tet.push_back(tet_quality(mesh.nodes_m[tet[0]], mesh.nodes_m[tet[1]],
                                         mesh.nodes_m[tet[2]], mesh.nodes_m[tet[3]]));
    if (!(report.per_tet.back().volume_m3 > 0.0)) ++report.inverted_count;
  }
  report.radius_ratio =
      summarise("radius_ratio", report.per_tet, &TetQuality::radius_ratio, 0, 1, 10);
  report.min_dihedral_deg =
      summarise("min_dihedral_deg", report.per_tet, &TetQuality::min_dihedral_deg, 0, 180, 18);
  report.max_dihedral_deg =
      summarise("max_dihedral_deg", report.per_tet, &TetQuality::max_dihedral_deg, 0, 180, 18);
  report.equiangle_skewness =
      summarise("equiangle_skewness", report.per_tet, &TetQuality::equiangle_skewness, 0, 1, 10);
  report.volume_skewness =
      summarise("volume_skewness", report.per_tet, &TetQuality::volume_skewness, 0, 1, 10);
  return report;
}

namespace {

// `is_lower_bound`: values below `limit` violate it; otherwise values above do.
ThresholdCheck check_metric(std::string metric, const std::vector<TetQuality>& per_tet,
                            double TetQuality::*field, double limit, bool is_lower_bound) {
  ThresholdCheck check{std::move(metric), limit, is_lower_bound ? INFINITY : -INFINITY, 0, 0};
  for (std::size_t t = 0; t < per_tet.size(); ++t) {
    const double value = per_tet[t].*field;
    const bool is_worse = is_lower_bound ? value < check.worst : value > check.worst;
    if (is_worse) {
      check.worst = value;
      check.worst_tet = t;
    }
    if (is_lower_bound ? value < limit : value > limit) ++check.violations;
  }
  return check;
}

}  // namespace

QualityCheck check_quality(const MeshQualityReport& report,
                           const MeshQualityThresholds& thresholds) {
  QualityCheck result;
  const auto& per_tet = report.per_tet;
  result.checks.push_back(check_metric("min_dihedral_deg", per_tet, &TetQuality::min_dihedral_deg,
                                       thresholds.min_dihedral_deg, true));
  result.checks.push_back(check_metric("max_dihedral_deg", per_tet, &TetQuality::max_dihedral_deg,
                                       thresholds.max_dihedral_deg, false));
  result.checks.push_back(check_metric("radius_ratio", per_tet, &TetQuality::radius_ratio,
                                       thresholds.min_radius_ratio, true));
  result.checks.push_back(check_metric("volume_skewness", per_tet, &TetQuality::volume_skewness,
                                       thresholds.max_volume_skewness, false));
  result.checks.push_back(check_metric("equiangle_skewness", per_tet,
                                       &TetQuality::equiangle_skewness,
                                       thresholds.max_equiangle_skewness, false));
  ThresholdCheck inverted = check_metric("volume_m3", per_tet, &TetQuality::volume_m3, 0.0, true);
  inverted.metric = "inverted";
  inverted.violations = report.inverted_count;
  result.checks.push_back(inverted);
  return result;
}

bool QualityCheck::passed() const {
  return std::all_of(checks.begin(), checks.end(),
                     [](const ThresholdCheck& check) { return check.violations == 0; });
}

std::string QualityCheck::describe() const {
  std::string text;
  for (const ThresholdCheck& check : checks) {
    if (check.violations == 0) continue;
    if (!text.empty()) text.append("; ");
    text.append(fmt::format("{}: {} tetrahedra beyond {} (worst {:.4g} at tet {})", check.metric,
                            check.violations, check.limit, check.worst, check.worst_tet));
  }
  if (text.empty()) text.append("passed");
  return text;
}

}  // namespace ptwin::geometry::mesh
