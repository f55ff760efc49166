// SPDX-License-Identifier: Apache-2.0
#include "ptwin/geometry/centerline/centerline_extraction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/centerline/cross_section.hpp"
#include "ptwin/geometry/centerline/distance_map.hpp"
#include "ptwin/geometry/centerline/lumen_grid.hpp"
#include "ptwin/geometry/centerline/minimal_paths.hpp"
#include "ptwin/geometry/centerline/path_tree.hpp"
#include "ptwin/geometry/centerline/polyline.hpp"

namespace ptwin::geometry::centerline {
namespace {

double distance_m(const Vector3& a, const Vector3& b) {
  return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

Vector3 difference(const Vector3& a, const Vector3& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }

// Everything the per-segment steps share.
struct Extraction {
  const LumenGrid& grid;
  const std::vector<float>& squared_distance_m2;
  const CenterlineOptions& options;
  double step_m = 0.0;
  double sigma_points = 0.0;
  std::size_t fallback_points = 0;

  // Distance from the nearest voxel centre to the nearest background centre (m).
  [[nodiscard]] double inscribed_distance_m(const Vector3& point_m) const {
    const auto x = grid.continuous_index(point_m);
    std::array<std::size_t, 3> at{};
    for (int a = 0; a < 3; ++a) {
      at[a] = static_cast<std::size_t>(std::clamp(std::lround(x[a]), 0L, static_cast<long>(grid.size[a]) - 1));
    }
    const double d2 = squared_distance_m2[grid.index(at[0], at[1], at[2])];
    const double extent = static_cast<double>(std::max({grid.size[0], grid.size[1], grid.size[2]})) *
                          std::max({grid.geometry.spacing_m[0], grid.geometry.spacing_m[1], grid.geometry.spacing_m[2]});
    return std::isfinite(d2) ? std::sqrt(d2) : extent;
  }

  [[nodiscard]] CrossSection section(const std::vector<Vector3>& points, std::size_t i) const {
    const std::size_t before = i > 0 ? i - 1 : i;
    const std::size_t after = i + 1 < points.size() ? i + 1 : i;
    const double reach_m = 3.0 * inscribed_distance_m(points[i]) + 2.0 * grid.min_spacing_m();
    return measure_cross_section(grid, points[i], difference(points[after], points[before]), options.rays, reach_m);
  }
};

// Exclusion lengths at a segment's two ends: around bifurcations only.
struct EndExclusion {
  double proximal_m = 0.0;
  double distal_m = 0.0;
};

std::vector<Vector3> trace_segment(const Extraction& x, const VoxelSegment& segment, const Vector3& proximal_m,
                                   const Vector3& distal_m, const EndExclusion& exclusion) {
  std::vector<Vector3> points;
  for (const auto v : segment.voxels) points.push_back(x.grid.position_m(v));
  points.front() = proximal_m;
  points.back() = distal_m;
  points = smooth(resample(points, x.step_m), x.sigma_points);
  for (int pass = 0; pass < x.options.recentring_passes; ++pass) {
    auto moved = points;
    for (std::size_t i = 1; i + 1 < points.size(); ++i) {
      if (distance_m(points[i], proximal_m) < exclusion.proximal_m ||
          distance_m(points[i], distal_m) < exclusion.distal_m) {
        continue;
      }
      const auto cut = x.section(points, i);
      if (cut.is_centre_inside) moved[i] = cut.centroid_m;
    }
    points = resample(smooth(moved, x.sigma_points), x.step_m);
  }
  return points;
}

std::vector<double> measure_radii(Extraction& x, const std::vector<Vector3>& points) {
  std::vector<double> radii(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto cut = x.section(points, i);
    if (cut.is_centre_inside) {
      radii[i] = cut.equivalent_radius_m;
    } else {
      radii[i] = std::max(x.inscribed_distance_m(points[i]) - 0.5 * x.grid.min_spacing_m(), 0.5 * x.grid.min_spacing_m());
      ++x.fallback_points;
    }
  }
  return radii;
}

// Segments in breadth-first order from the inlet, nodes numbered as they are met.
VesselNetwork build_network(Extraction& x, const VoxelTree& tree, const std::vector<Vector3>& node_positions) {
  VesselNetwork network;
  network.point_spacing_m = x.step_m;
  std::vector<std::size_t> node_index(tree.nodes.size(), std::numeric_limits<std::size_t>::max());
  std::size_t outlets = 0, bifurcations = 0;
  auto add_node = [&](std::size_t v) {
    const auto kind = tree.nodes[v].kind;
    const auto name = kind == NodeKind::Inlet ? std::string("inlet")
                      : kind == NodeKind::Outlet ? fmt::format("outlet{}", ++outlets)
                                                 : fmt::format("bifurcation{}", ++bifurcations);
    node_index[v] = network.nodes.size();
    network.nodes.push_back({name, kind, node_positions[v]});
  };
  auto exclusion_at = [&](std::size_t v) {
    return tree.nodes[v].kind == NodeKind::Bifurcation
               ? x.options.bifurcation_exclusion_radii * x.inscribed_distance_m(node_positions[v])
               : 0.0;
  };
  add_node(0);
  std::vector<std::size_t> frontier{0};
  for (std::size_t f = 0; f < frontier.size(); ++f) {
    for (const auto& segment : tree.segments) {
      if (segment.proximal_node != frontier[f]) continue;
      add_node(segment.distal_node);
      frontier.push_back(segment.distal_node);
      const EndExclusion exclusion{exclusion_at(segment.proximal_node), exclusion_at(segment.distal_node)};
      VesselSegment out;
      out.name = fmt::format("segment{}", network.segments.size() + 1);
      out.proximal_node = node_index[segment.proximal_node];
      out.distal_node = node_index[segment.distal_node];
      out.points_m = trace_segment(x, segment, node_positions[segment.proximal_node],
                                   node_positions[segment.distal_node], exclusion);
      out.radius_m = measure_radii(x, out.points_m);
      if (auto found = detect_stenosis(out, std::max(exclusion.proximal_m, x.step_m),
                                       std::max(exclusion.distal_m, x.step_m), x.options.stenosis)) {
        out.stenoses.push_back(*found);
      }
      network.segments.push_back(std::move(out));
    }
  }
  return network;
}

// Openings large enough to be vessels; the others are listed, not used. Needs two at least.
std::vector<LumenOpening> usable_openings(std::vector<LumenOpening> openings, const CenterlineOptions& options,
                                          std::vector<IgnoredOpening>& ignored) {
  std::vector<LumenOpening> usable;
  for (auto& opening : openings) {
    if (opening.voxels.size() < options.min_opening_voxels) {
      ignored.push_back({opening.centroid_m, opening.area_m2, opening.voxels.size(), "smaller than min_opening_voxels"});
    } else {
      usable.push_back(std::move(opening));
    }
  }
  if (usable.size() < 2) {
    throw InputError(ErrorCode::BadInput, "label volume: lumen", fmt::format("{} openings", usable.size()),
                     fmt::format("must meet the faces of the volume at least twice (an inlet and an outlet, "
                                 "each of at least {} voxels)", options.min_opening_voxels));
  }
  return usable;
}

}  // namespace

CenterlineExtraction extract_centerlines(const segmentation::LabelVolume& labels, const CenterlineOptions& options) {
  const LumenGrid grid = crop_lumen(labels);
  const auto squared_distance = squared_distance_to_background(grid);
  CenterlineExtraction result;
  result.lumen_voxels = grid.lumen_voxels;

  auto usable = usable_openings(find_openings(grid, squared_distance), options, result.ignored_openings);
  std::size_t inlet = 0;
  if (options.inlet_near_m) {
    for (std::size_t o = 1; o < usable.size(); ++o) {
      if (distance_m(usable[o].centroid_m, *options.inlet_near_m) < distance_m(usable[inlet].centroid_m, *options.inlet_near_m)) inlet = o;
    }
  }
  const auto tree = minimal_path_tree(grid, squared_distance, usable[inlet].seed, options.cost_exponent);
  result.disconnected_lumen_voxels = grid.lumen_voxels - tree.reached;

  std::vector<std::vector<std::size_t>> paths;
  std::vector<Vector3> node_positions{usable[inlet].centroid_m};
  std::vector<Vector3> outlet_centroids;
  for (std::size_t o = 0; o < usable.size(); ++o) {
    if (o == inlet) continue;
    auto path = backtrack(tree, usable[o].seed);
    if (path.empty()) {
      result.ignored_openings.push_back({usable[o].centroid_m, usable[o].area_m2, usable[o].voxels.size(),
                                         "not connected to the inlet"});
      continue;
    }
    std::reverse(path.begin(), path.end());
    paths.push_back(std::move(path));
    outlet_centroids.push_back(usable[o].centroid_m);
  }
  if (paths.empty()) {
    throw InputError(ErrorCode::BadInput, "label volume: lumen", "no outlet connected to the inlet",
                     "must connect the inlet opening to at least one other opening through the lumen");
  }
  const auto voxel_tree = merge_paths(paths, grid, squared_distance, options.merge_radii);
  for (std::size_t v = 1; v < voxel_tree.nodes.size(); ++v) {
    const auto& node = voxel_tree.nodes[v];
    node_positions.push_back(node.kind == NodeKind::Outlet ? outlet_centroids[node.opening] : grid.position_m(node.voxel));
  }

  Extraction x{grid, squared_distance, options, 0.0, 0.0, 0};
  x.step_m = options.point_spacing_m > 0.0 ? options.point_spacing_m : 0.5 * grid.min_spacing_m();
  const auto& h = grid.geometry.spacing_m;
  const double sigma_m = options.smoothing_sigma_m > 0.0 ? options.smoothing_sigma_m : std::max({h[0], h[1], h[2]});
  x.sigma_points = sigma_m / x.step_m;
  result.network = build_network(x, voxel_tree, node_positions);
  result.network.series_uid = labels.identity.series_uid;
  result.network.frame_of_reference_uid = labels.identity.frame_of_reference_uid;
  result.radius_from_distance_map_points = x.fallback_points;
  validate(result.network, "centerline extraction");
  return result;
}

}  // namespace ptwin::geometry::centerline
