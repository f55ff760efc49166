// SPDX-License-Identifier: Apache-2.0
#pragma once
// A synthetic CT-like volume of a branching vessel tree with known geometry, for testing the
// imaging pipeline (DICOM I/O, segmentation, centerline extraction) against ground truth.
//
// The tree is a Y bifurcation: a parent vessel enters through the bottom slice along +k and
// splits into two daughters that leave through the top slice, bending apart in the i-k plane.
// Daughter radii follow Murray's law (r_parent^3 = r_1^3 + r_2^3). One daughter carries a
// stenosis with a cosine profile: r(s) = r_ref * (1 - D * (1 + cos(2 pi (s - s_c) / L)) / 2)
// for |s - s_c| < L / 2, so the diameter reduction at s_c is exactly D. Centerlines extend two
// parent radii beyond the field of view so that no end cap shows inside it.
//
// Image formation: each voxel's lumen fraction is the share of its supersampling points
// (n^3 per voxel) inside the tree (partial volume); the value is
//   tissue + fraction * (lumen - tissue)
// then blurred with a Gaussian point spread function and given white Gaussian noise, in HU.
// Deterministic for a given spec (seeded std::mt19937_64).

#include <array>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ptwin/ingest/dicom/image_volume.hpp"

namespace ptwin::geometry::phantom {

using ingest::dicom::Vector3;

struct StenosisSpec {
  double position_fraction = 0.5;   // of the stenosed daughter's arc length inside the field of view
  double diameter_reduction = 0.5;  // D: 0.5 = 50 % diameter stenosis
  double length_m = 4e-3;           // L
};

struct VesselPhantomSpec {
  std::array<std::size_t, 3> size{64, 64, 48};  // columns, rows, slices
  double pixel_spacing_m = 0.5e-3;
  double slice_spacing_m = 0.5e-3;
  double parent_radius_m = 2.5e-3;
  double bifurcation_height_fraction = 0.4;  // of the field of view along k
  double daughter_spread_fraction = 0.3;     // end offset of each daughter along i, of the width
  StenosisSpec stenosis;
  double lumen_hu = 350.0;  // contrast-enhanced blood
  double tissue_hu = 40.0;  // surrounding soft tissue
  double noise_sd_hu = 15.0;
  double blur_sigma_m = 0.3e-3;  // point spread function; 0 for none
  int supersampling = 3;         // points per voxel edge, 1 to 3
  double centerline_step_m = 0.2e-3;
  std::uint64_t seed = 20261120;
};

struct VesselBranch {
  std::string name;
  int parent = -1;  // index into the branches, -1 for the root
  std::vector<Vector3> centerline_m;  // patient frame (LPS), metres
  std::vector<double> radius_m;       // at each centerline point
};

struct StenosisTruth {
  std::size_t branch = 0;
  double arc_length_m = 0.0;  // s_c from the branch's first point
  Vector3 center_m{};
  double reference_radius_m = 0.0;
  double minimal_radius_m = 0.0;
  double diameter_reduction = 0.0;
  double length_m = 0.0;
};

struct VesselPhantom {
  VesselPhantomSpec spec;
  ingest::dicom::ImageVolume volume;  // HU
  std::vector<VesselBranch> branches;
  StenosisTruth stenosis;
};

/// Builds the phantom; a spec outside its documented ranges throws InputError naming the field.
[[nodiscard]] VesselPhantom make_vessel_phantom(const VesselPhantomSpec& spec);

/// The ground truth as JSON (format "ptwin.vessel-phantom/1", SI units): grid, branches with
/// centerlines and radii, the stenosis, intensities, noise and blur.
[[nodiscard]] nlohmann::json ground_truth_json(const VesselPhantom& phantom);

/// The radius of `branch` at arc length `s_m` (linear between centerline points).
[[nodiscard]] double radius_at(const VesselBranch& branch, double s_m);

}  // namespace ptwin::geometry::phantom
