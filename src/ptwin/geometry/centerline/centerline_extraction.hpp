// SPDX-License-Identifier: Apache-2.0
#pragma once
// From a lumen segmentation to a VesselNetwork: centerlines, radii, branch topology, stenoses
// (docs/geometry.md#centerlines-and-networks).
//
//  1. Crop the lumen (lumen_grid.hpp) and compute its exact Euclidean distance map
//     (distance_map.hpp).
//  2. Openings: where the lumen meets the faces of the volume; the inlet is the largest
//     (or the one nearest a given point), the others are outlets (minimal_paths.hpp).
//  3. Minimal paths from the inlet to every outlet through a medialness cost, merged into a tree
//     where they part by more than half the local radius (path_tree.hpp).
//  4. Each segment: voxel centres -> resampled at `point_spacing_m`, smoothed, re-centred on the
//     centroid of its cross-section (away from bifurcations), smoothed and resampled again.
//  5. Radius at each point: the cross-sectional equivalent radius sqrt(A / pi) in the plane
//     normal to the centerline (cross_section.hpp); where a point falls outside the mask, the
//     inscribed-sphere radius from the distance map minus half the smallest spacing (the wall lies
//     about half a voxel inside the nearest background centre), counted in the result.
//  6. Stenoses per segment (stenosis_detection.hpp).
// Node positions: inlet and outlets at the centroid of their opening, bifurcations at the voxel
// where the paths part.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "ptwin/geometry/centerline/stenosis_detection.hpp"
#include "ptwin/geometry/centerline/vessel_network.hpp"
#include "ptwin/geometry/segmentation/label_volume.hpp"

namespace ptwin::geometry::centerline {

struct CenterlineOptions {
  /// Inlet: the largest opening, or, when set, the opening whose centroid is nearest this point.
  std::optional<Vector3> inlet_near_m;
  /// Openings with fewer voxels are not vessels (segmentation specks on a face); they are
  /// listed in the result, not silently dropped.
  std::size_t min_opening_voxels = 4;
  double cost_exponent = 2.0;          // p in c = (h_min / d)^p
  /// A path joins the tree where it comes within this many local radii of it (path_tree.hpp).
  double merge_radii = 0.5;
  double point_spacing_m = 0.0;        // 0: half the smallest voxel spacing
  double smoothing_sigma_m = 0.0;      // 0: the largest voxel spacing
  int recentring_passes = 2;
  int rays = 32;                       // per cross-section
  /// Within this many node radii (inscribed, from the distance map) of a bifurcation, points are
  /// not re-centred and not searched for stenoses.
  double bifurcation_exclusion_radii = 2.0;
  StenosisCriteria stenosis;
};

struct IgnoredOpening {
  Vector3 centroid_m{};
  double area_m2 = 0.0;
  std::size_t voxels = 0;
  std::string_view reason;  // "smaller than min_opening_voxels" or "not connected to the inlet"
};

struct CenterlineExtraction {
  VesselNetwork network;
  std::size_t lumen_voxels = 0;
  std::size_t disconnected_lumen_voxels = 0;  // lumen not connected to the inlet (not used)
  std::vector<IgnoredOpening> ignored_openings;
  std::size_t radius_from_distance_map_points = 0;  // step 5's fallback, counted
};

/// Extracts the network. Throws InputError naming the field when the label volume is malformed,
/// has no lumen, fewer than two usable openings, or branches at its inlet opening.
[[nodiscard]] CenterlineExtraction extract_centerlines(const segmentation::LabelVolume& labels,
                                                       const CenterlineOptions& options = {});

}  // namespace ptwin::geometry::centerline
