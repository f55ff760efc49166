// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"

#include <fmt/format.h>

#include <cmath>
#include <numbers>
#include <random>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/phantom/phantom_rasteriser.hpp"

namespace ptwin::geometry::phantom {
namespace {

void require_range(double value, double low, double high, std::string_view field) {
  if (!(value >= low && value <= high)) {
    throw InputError(ErrorCode::BadInput, fmt::format("vessel phantom: {}", field),
                     fmt::format("{}", value), fmt::format("from {} to {}", low, high));
  }
}

void check_spec(const VesselPhantomSpec& spec) {
  for (int a = 0; a < 3; ++a) {
    require_range(static_cast<double>(spec.size[a]), 8, 4096, fmt::format("size[{}]", a));
  }
  require_range(spec.pixel_spacing_m, 1e-5, 1e-2, "pixel_spacing_m");
  require_range(spec.slice_spacing_m, 1e-5, 1e-2, "slice_spacing_m");
  require_range(spec.parent_radius_m, 1e-4, 5e-2, "parent_radius_m");
  require_range(spec.bifurcation_height_fraction, 0.1, 0.8, "bifurcation_height_fraction");
  require_range(spec.daughter_spread_fraction, 0.05, 0.45, "daughter_spread_fraction");
  require_range(spec.stenosis.position_fraction, 0.1, 0.9, "stenosis.position_fraction");
  require_range(spec.stenosis.diameter_reduction, 0.0, 0.95, "stenosis.diameter_reduction");
  require_range(spec.stenosis.length_m, 1e-4, 5e-2, "stenosis.length_m");
  require_range(spec.noise_sd_hu, 0.0, 500.0, "noise_sd_hu");
  require_range(spec.blur_sigma_m, 0.0, 1e-2, "blur_sigma_m");
  require_range(spec.supersampling, 1, 3, "supersampling");
  require_range(spec.centerline_step_m, 1e-5, 1e-3, "centerline_step_m");
}

Vector3 lerp(const Vector3& a, const Vector3& b, double t) {
  return {a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])};
}

double distance(const Vector3& a, const Vector3& b) {
  return std::sqrt(std::pow(a[0] - b[0], 2) + std::pow(a[1] - b[1], 2) + std::pow(a[2] - b[2], 2));
}

// Points of the quadratic Bezier curve a-c-b about `step` apart (by chord length).
std::vector<Vector3> bezier(const Vector3& a, const Vector3& c, const Vector3& b, double step) {
  const double estimate = distance(a, c) + distance(c, b);
  const auto segments = static_cast<std::size_t>(std::ceil(estimate / step));
  std::vector<Vector3> points;
  for (std::size_t n = 0; n <= segments; ++n) {
    const double t = static_cast<double>(n) / static_cast<double>(segments);
    points.push_back(lerp(lerp(a, c, t), lerp(c, b, t), t));
  }
  return points;
}

std::vector<double> arc_lengths(const std::vector<Vector3>& points) {
  std::vector<double> s(points.size(), 0.0);
  for (std::size_t n = 1; n < points.size(); ++n) s[n] = s[n - 1] + distance(points[n - 1], points[n]);
  return s;
}

}  // namespace

double radius_at(const VesselBranch& branch, double s_m) {
  const auto s = arc_lengths(branch.centerline_m);
  if (s_m <= 0.0) return branch.radius_m.front();
  for (std::size_t n = 1; n < s.size(); ++n) {
    if (s_m <= s[n]) {
      const double t = (s_m - s[n - 1]) / (s[n] - s[n - 1]);
      return branch.radius_m[n - 1] + t * (branch.radius_m[n] - branch.radius_m[n - 1]);
    }
  }
  return branch.radius_m.back();
}

VesselPhantom make_vessel_phantom(const VesselPhantomSpec& spec) {
  check_spec(spec);
  VesselPhantom phantom;
  phantom.spec = spec;
  auto& volume = phantom.volume;
  auto& geometry = volume.geometry;
  geometry.size = spec.size;
  geometry.spacing_m = {spec.pixel_spacing_m, spec.pixel_spacing_m, spec.slice_spacing_m};
  for (int a = 0; a < 3; ++a) {
    geometry.origin_m[a] = -0.5 * static_cast<double>(spec.size[a] - 1) * geometry.spacing_m[a];
  }
  volume.identity.modality = "CT";
  volume.value_unit = "HU";

  // Field of view along each axis (voxel centres), and the tree's key points.
  const double width = static_cast<double>(spec.size[0] - 1) * geometry.spacing_m[0];
  const double z_low = geometry.origin_m[2];
  const double z_high = -z_low;
  const double margin = 2.0 * spec.parent_radius_m;
  const Vector3 root{0.0, 0.0, z_low - margin};
  const Vector3 fork{0.0, 0.0, z_low + spec.bifurcation_height_fraction * (z_high - z_low)};
  const double daughter_radius = spec.parent_radius_m / std::cbrt(2.0);  // Murray's law

  VesselBranch parent{"parent", -1, bezier(root, lerp(root, fork, 0.5), fork, spec.centerline_step_m), {}};
  parent.radius_m.assign(parent.centerline_m.size(), spec.parent_radius_m);
  phantom.branches.push_back(std::move(parent));
  for (const double side : {-1.0, 1.0}) {
    const Vector3 end{side * spec.daughter_spread_fraction * width, 0.0, z_high + margin};
    const Vector3 control{0.5 * end[0], 0.0, fork[2] + 0.25 * (end[2] - fork[2])};
    VesselBranch daughter{side < 0 ? "daughter_left" : "daughter_right", 0,
                          bezier(fork, control, end, spec.centerline_step_m), {}};
    daughter.radius_m.assign(daughter.centerline_m.size(), daughter_radius);
    phantom.branches.push_back(std::move(daughter));
  }

  // The stenosis on the first daughter, at a fraction of its arc length.
  auto& stenosed = phantom.branches[1];
  const auto s = arc_lengths(stenosed.centerline_m);
  const double s_c = spec.stenosis.position_fraction * s.back();
  const double half = 0.5 * spec.stenosis.length_m;
  for (std::size_t n = 0; n < s.size(); ++n) {
    if (std::fabs(s[n] - s_c) < half) {
      const double shape = 0.5 * (1.0 + std::cos(std::numbers::pi * (s[n] - s_c) / half));
      stenosed.radius_m[n] = daughter_radius * (1.0 - spec.stenosis.diameter_reduction * shape);
    }
  }
  // Put a centerline point exactly at s_c so that the minimum is sampled.
  std::size_t at = 1;
  while (at < s.size() && s[at] < s_c) ++at;
  const double t = (s_c - s[at - 1]) / (s[at] - s[at - 1]);
  const Vector3 centre = lerp(stenosed.centerline_m[at - 1], stenosed.centerline_m[at], t);
  const double minimal = daughter_radius * (1.0 - spec.stenosis.diameter_reduction);
  if (t > 1e-9 && t < 1.0 - 1e-9) {
    stenosed.centerline_m.insert(stenosed.centerline_m.begin() + static_cast<long>(at), centre);
    stenosed.radius_m.insert(stenosed.radius_m.begin() + static_cast<long>(at), minimal);
  }
  phantom.stenosis = {1, s_c, centre, daughter_radius, minimal, spec.stenosis.diameter_reduction,
                      spec.stenosis.length_m};

  const auto fraction = lumen_fraction(geometry, phantom.branches, spec.supersampling);
  volume.values.resize(fraction.size());
  const double contrast = spec.lumen_hu - spec.tissue_hu;
  for (std::size_t v = 0; v < fraction.size(); ++v) {
    volume.values[v] = static_cast<float>(spec.tissue_hu + fraction[v] * contrast);
  }
  gaussian_blur(volume, spec.blur_sigma_m);
  if (spec.noise_sd_hu > 0.0) {
    std::mt19937_64 generator(spec.seed);
    std::normal_distribution<double> noise(0.0, spec.noise_sd_hu);
    for (auto& value : volume.values) value = static_cast<float>(value + noise(generator));
  }
  return phantom;
}

nlohmann::json ground_truth_json(const VesselPhantom& phantom) {
  const auto& spec = phantom.spec;
  const auto& g = phantom.volume.geometry;
  nlohmann::json branches = nlohmann::json::array();
  for (const auto& branch : phantom.branches) {
    nlohmann::json points = nlohmann::json::array();
    for (const auto& p : branch.centerline_m) points.push_back({p[0], p[1], p[2]});
    branches.push_back({{"name", branch.name},
                        {"parent", branch.parent},
                        {"centerline_m", points},
                        {"radius_m", branch.radius_m}});
  }
  const auto& st = phantom.stenosis;
  return {
      {"format", "ptwin.vessel-phantom/1"},
      {"frame", "DICOM patient coordinates (LPS), metres"},
      {"grid",
       {{"size", g.size},
        {"spacing_m", g.spacing_m},
        {"origin_m", g.origin_m},
        {"direction", {g.direction_i, g.direction_j, g.direction_k}}}},
      {"branches", branches},
      {"stenosis",
       {{"branch", phantom.branches[st.branch].name},
        {"arc_length_m", st.arc_length_m},
        {"center_m", st.center_m},
        {"reference_radius_m", st.reference_radius_m},
        {"minimal_radius_m", st.minimal_radius_m},
        {"diameter_reduction", st.diameter_reduction},
        {"length_m", st.length_m},
        {"profile", "r(s) = r_ref * (1 - D * (1 + cos(2 pi (s - s_c) / L)) / 2), |s - s_c| < L/2"}}},
      {"image",
       {{"lumen_hu", spec.lumen_hu},
        {"tissue_hu", spec.tissue_hu},
        {"noise_sd_hu", spec.noise_sd_hu},
        {"blur_sigma_m", spec.blur_sigma_m},
        {"supersampling", spec.supersampling},
        {"seed", spec.seed}}},
  };
}

}  // namespace ptwin::geometry::phantom
