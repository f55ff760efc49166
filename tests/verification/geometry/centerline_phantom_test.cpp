// SPDX-License-Identifier: Apache-2.0
// Centerline extraction on the Y-bifurcation phantom (geometry/phantom) against its ground truth:
// topology, centerline position, radius and stenosis. Three label volumes: the phantom's lumen
// fraction thresholded at 1/2 (what an ideal segmentation gives at this resolution), a perturbed
// copy whose wall voxels are re-drawn with a random threshold (segmentation noise of up to a
// quarter of a voxel in the wall position), and the CT image itself (blur 0.3 mm, noise 40 HU)
// thresholded halfway between lumen and tissue (specks and holes of a naive segmentation).
//
// Phantom: 64 x 64 x 80 voxels of 0.5 mm (the default spec, taller): parent radius 2.5 mm = 5 voxels,
// daughters 1.98 mm (Murray), a 50 % diameter stenosis of 4 mm length on daughter 1, minimal
// radius 0.99 mm = 2 voxels. A few seconds in Release.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "ptwin/geometry/centerline/centerline_extraction.hpp"
#include "ptwin/geometry/phantom/phantom_rasteriser.hpp"
#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"
#include "verification/verification_case.hpp"

namespace ptwin::geometry::centerline {
namespace {

using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;

constexpr double kVoxel_m = 0.5e-3;

struct Fixture {
  phantom::VesselPhantom phantom;
  segmentation::LabelVolume labels;
};

struct Segmentation {
  const char* name;
  double wall_jitter;  // thresholds drawn from U(1/2 - jitter, 1/2 + jitter) on the lumen fraction
  double noise_hu;     // > 0: threshold the CT image itself (blur 0.3 mm, this noise) instead
};

// The phantom's lumen fraction thresholded at 1/2; with a wall jitter each voxel's threshold is
// drawn from U(1/2 - jitter, 1/2 + jitter) (seeded), which moves the wall by up to about jitter
// voxels. With noise, the phantom's CT image (blurred, with white noise) thresholded halfway
// between lumen and tissue HU: a naive segmentation with specks in the tissue and holes in the
// lumen.
Fixture make_fixture(const Segmentation& how) {
  phantom::VesselPhantomSpec spec;
  spec.size = {64, 64, 80};  // a 15.8 mm parent before the fork, so the trunk is compared too
  spec.noise_sd_hu = how.noise_hu;
  if (how.noise_hu == 0.0) spec.blur_sigma_m = 0.0;
  Fixture f{phantom::make_vessel_phantom(spec), {}};
  f.labels = segmentation::empty_labels_like(f.phantom.volume);
  if (how.noise_hu > 0.0) {
    const double threshold_hu = 0.5 * (spec.lumen_hu + spec.tissue_hu);
    for (std::size_t v = 0; v < f.labels.labels.size(); ++v) {
      f.labels.labels[v] = f.phantom.volume.values[v] > threshold_hu ? segmentation::kLumen : segmentation::kBackground;
    }
    return f;
  }
  const auto fraction = phantom::lumen_fraction(f.phantom.volume.geometry, f.phantom.branches, spec.supersampling);
  std::mt19937_64 random(20261125);
  std::uniform_real_distribution<double> threshold(0.5 - how.wall_jitter, 0.5 + how.wall_jitter);
  for (std::size_t v = 0; v < fraction.size(); ++v) {
    const double t = how.wall_jitter > 0.0 ? threshold(random) : 0.5;
    f.labels.labels[v] = fraction[v] > t ? segmentation::kLumen : segmentation::kBackground;
  }
  return f;
}

double distance_m(const Vector3& a, const Vector3& b) {
  return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

// Nearest point of a truth branch: distance and the radius there (linear along the piece).
struct Nearest {
  double distance_m = 1e9;
  double radius_m = 0.0;
  std::size_t branch = 0;
};

Nearest nearest_truth(const phantom::VesselPhantom& ph, const Vector3& p) {
  Nearest best;
  for (std::size_t b = 0; b < ph.branches.size(); ++b) {
    const auto& c = ph.branches[b].centerline_m;
    const auto& r = ph.branches[b].radius_m;
    for (std::size_t i = 0; i + 1 < c.size(); ++i) {
      Vector3 axis{}, offset{};
      double l2 = 0.0, t = 0.0;
      for (int a = 0; a < 3; ++a) {
        axis[a] = c[i + 1][a] - c[i][a];
        offset[a] = p[a] - c[i][a];
        l2 += axis[a] * axis[a];
        t += axis[a] * offset[a];
      }
      t = l2 > 0.0 ? std::clamp(t / l2, 0.0, 1.0) : 0.0;
      const Vector3 foot{c[i][0] + t * axis[0], c[i][1] + t * axis[1], c[i][2] + t * axis[2]};
      const double d = distance_m(p, foot);
      if (d < best.distance_m) best = {d, r[i] + t * (r[i + 1] - r[i]), b};
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// The cases. Points within 3 parent radii of the true fork are not compared (there the plane
// normal to one daughter cuts the common lumen of both, and the true centerlines meet at a
// point that no medial axis passes through), nor points within one parent radius of the inlet
// and outlets (the cut plane leaves the volume there).
// ---------------------------------------------------------------------------------------------
const VerificationCase kTopology{
    .id = "geometry.centerline.phantom.topology",
    .source = "ground truth of the Y phantom (src/ptwin/geometry/phantom/vessel_tree_phantom.hpp)",
    .quantity = "distance from the extracted bifurcation node to the true fork",
    .norm = "Euclidean distance / parent radius",
    .tolerance = 1.0,
    .tolerance_reason =
        "the minimal paths part inside the common lumen at the fork, whose extent is the parent "
        "radius; counts (1 inlet, 2 outlets, 1 bifurcation, 3 segments) are compared exactly",
};

const VerificationCase kCenterlineMean{
    .id = "geometry.centerline.phantom.position_mean",
    .source = "ground truth centerlines of the Y phantom",
    .quantity = "distance from each extracted centerline point to the nearest true centerline",
    .norm = "mean over points / voxel size",
    .tolerance = 0.25,
    .tolerance_reason =
        "the wall of a thresholded mask is off by up to 1/2 voxel per wall voxel, but a "
        "cross-section centroid averages ~30 of them; an uncentred voxel path (staircase) is off "
        "by ~0.4 voxel on average and fails",
};

const VerificationCase kCenterlineMax{
    .id = "geometry.centerline.phantom.position_max",
    .source = "ground truth centerlines of the Y phantom",
    .quantity = "distance from each extracted centerline point to the nearest true centerline",
    .norm = "max over points / voxel size",
    .tolerance = 0.5,
    .tolerance_reason = "half a voxel: the resolution of the mask; a voxel path reaches 0.87 (half diagonal)",
};

const VerificationCase kRadius{
    .id = "geometry.centerline.phantom.radius",
    .source = "ground truth radii of the Y phantom (Murray's law daughters, cosine stenosis)",
    .quantity = "equivalent radius sqrt(A/pi) against the true radius at the nearest true point",
    .norm = "max over points of |r - r_true| / voxel size",
    .tolerance = 0.3,
    .tolerance_reason =
        "wall position error up to 1/2 voxel per ray, averaged over 32 rays; the inscribed-sphere "
        "radius of the distance map without sub-voxel correction is 1/2 voxel too large and fails",
};

const VerificationCase kRadiusBias{
    .id = "geometry.centerline.phantom.radius_bias",
    .source = "ground truth radii of the Y phantom",
    .quantity = "equivalent radius against the true radius at the nearest true point",
    .norm = "|mean over points of (r - r_true)| / voxel size",
    .tolerance = 0.15,
    .tolerance_reason = "the thresholded mask holds the true area on average (partial volume 1/2), so only "
                        "the ray polygon's discretisation remains; a half-voxel offset fails",
};

const VerificationCase kStenosisDegree{
    .id = "geometry.centerline.phantom.stenosis_degree",
    .source = "phantom stenosis: 50 % diameter reduction, cosine profile of 4 mm",
    .quantity = "diameter reduction 1 - r_min / r_ref of the one detected stenosis",
    .norm = "|D - D_true| (fraction)",
    .tolerance = 0.10,
    .tolerance_reason = "10 percentage points (the issue's figure): the minimal radius is 2 voxels, so "
                        "a 0.2-voxel radius error is a 10 % change of it",
};

const VerificationCase kStenosisPosition{
    .id = "geometry.centerline.phantom.stenosis_position",
    .source = "phantom stenosis centre (ground_truth.json stenosis.center_m)",
    .quantity = "distance from the detected narrowest point to the true stenosis centre",
    .norm = "Euclidean distance / voxel size",
    .tolerance = 1.0,
    .tolerance_reason = "the cosine profile is flat at its minimum (r within 1 % over +-0.2 mm), "
                        "so the narrowest sample may sit a few 0.25 mm points away",
};

const VerificationCase kStenosisLength{
    .id = "geometry.centerline.phantom.stenosis_length",
    .source = "phantom stenosis: full width at half depth of the cosine profile = L/2 = 2 mm",
    .quantity = "stenosis length (full width at half depth)",
    .norm = "|length - L/2| / voxel size",
    .tolerance = 1.0,
    .tolerance_reason = "both ends of the width carry the radius error (0.3 voxel) divided by the "
                        "profile's slope at half depth (~0.8): about 0.4 voxel each",
};

struct Errors {
  double mean_distance_m = 0.0, max_distance_m = 0.0, max_radius_error_m = 0.0, radius_bias_m = 0.0;
  std::size_t compared = 0;
};

Errors compare(const Fixture& f, const VesselNetwork& net) {
  const Vector3 fork = f.phantom.branches[1].centerline_m.front();
  const double r_parent = f.phantom.spec.parent_radius_m;
  Errors e;
  double distance_sum = 0.0, radius_sum = 0.0;
  for (const auto& segment : net.segments) {
    for (std::size_t i = 0; i < segment.points_m.size(); ++i) {
      const auto& p = segment.points_m[i];
      if (distance_m(p, fork) < 3.0 * r_parent) continue;
      bool is_near_end = false;
      for (const auto& node : net.nodes) {
        is_near_end = is_near_end || (node.kind != NodeKind::Bifurcation && distance_m(p, node.position_m) < r_parent);
      }
      if (is_near_end) continue;
      const auto truth = nearest_truth(f.phantom, p);
      distance_sum += truth.distance_m;
      e.max_distance_m = std::max(e.max_distance_m, truth.distance_m);
      radius_sum += segment.radius_m[i] - truth.radius_m;
      e.max_radius_error_m = std::max(e.max_radius_error_m, std::abs(segment.radius_m[i] - truth.radius_m));
      ++e.compared;
    }
  }
  e.mean_distance_m = distance_sum / static_cast<double>(e.compared);
  e.radius_bias_m = radius_sum / static_cast<double>(e.compared);
  return e;
}

void check(const VerificationCase& c, double observed) {
  record_verification(c, observed);
  EXPECT_LE(observed, c.tolerance) << c.id << ": " << c.tolerance_reason;
}

class CenterlinePhantom : public ::testing::TestWithParam<Segmentation> {};

TEST_P(CenterlinePhantom, TopologyCenterlineRadiusAndStenosisMatchTheGroundTruth) {
  const auto how = GetParam();
  const auto f = make_fixture(how);
  const auto result = extract_centerlines(f.labels);
  const auto& net = result.network;
  std::printf("%s: %zu lumen voxels (%zu not connected), %zu points from the distance map, %zu openings ignored\n",
              how.name, result.lumen_voxels, result.disconnected_lumen_voxels, result.radius_from_distance_map_points,
              result.ignored_openings.size());

  // Topology, exactly.
  std::size_t inlets = 0, outlets = 0, bifurcations = 0;
  for (const auto& node : net.nodes) {
    inlets += node.kind == NodeKind::Inlet ? 1 : 0;
    outlets += node.kind == NodeKind::Outlet ? 1 : 0;
    bifurcations += node.kind == NodeKind::Bifurcation ? 1 : 0;
  }
  ASSERT_EQ(inlets, 1U);
  ASSERT_EQ(outlets, 2U);
  ASSERT_EQ(bifurcations, 1U);
  ASSERT_EQ(net.segments.size(), 3U);
  if (how.noise_hu == 0.0) {  // specks come only with image noise
    EXPECT_EQ(result.disconnected_lumen_voxels, 0U);
    EXPECT_TRUE(result.ignored_openings.empty());
  }
  const auto& inlet = net.nodes[net.inlet_node()];
  EXPECT_LT(inlet.position_m[2], f.phantom.volume.geometry.origin_m[2] + 1e-9) << "the parent enters through slice 0";
  const auto trunk = net.children_of(net.inlet_node());
  ASSERT_EQ(trunk.size(), 1U);
  const auto& fork_node = net.nodes[net.segments[trunk.front()].distal_node];
  ASSERT_EQ(fork_node.kind, NodeKind::Bifurcation);
  const Vector3 fork = f.phantom.branches[1].centerline_m.front();
  std::printf("  bifurcation node %.3f mm from the true fork\n", distance_m(fork_node.position_m, fork) * 1e3);
  check(kTopology, distance_m(fork_node.position_m, fork) / f.phantom.spec.parent_radius_m);

  const auto e = compare(f, net);
  std::printf("  %zu points compared: distance mean %.3f max %.3f voxel, radius max error %.3f bias %.3f voxel\n",
              e.compared, e.mean_distance_m / kVoxel_m, e.max_distance_m / kVoxel_m, e.max_radius_error_m / kVoxel_m,
              e.radius_bias_m / kVoxel_m);
  EXPECT_GT(e.compared, 80U) << "too few points compared for the statistics to mean anything";
  check(kCenterlineMean, e.mean_distance_m / kVoxel_m);
  check(kCenterlineMax, e.max_distance_m / kVoxel_m);
  check(kRadius, e.max_radius_error_m / kVoxel_m);
  check(kRadiusBias, std::abs(e.radius_bias_m) / kVoxel_m);

  // One stenosis, on the branch that carries it, and none elsewhere.
  std::size_t stenoses = 0;
  for (const auto& segment : net.segments) {
    for (const auto& st : segment.stenoses) {
      ++stenoses;
      const auto truth = f.phantom.stenosis;
      EXPECT_EQ(nearest_truth(f.phantom, segment.points_m[segment.points_m.size() / 2]).branch, truth.branch)
          << segment.name << " is not the stenosed daughter";
      std::printf("  stenosis on %s: D %.3f, %.3f mm from the truth, length %.2f mm\n", segment.name.c_str(),
                  st.diameter_reduction, distance_m(st.position_m, truth.center_m) * 1e3, st.length_m * 1e3);
      check(kStenosisDegree, std::abs(st.diameter_reduction - truth.diameter_reduction));
      check(kStenosisPosition, distance_m(st.position_m, truth.center_m) / kVoxel_m);
      check(kStenosisLength, std::abs(st.length_m - 0.5 * truth.length_m) / kVoxel_m);
    }
  }
  EXPECT_EQ(stenoses, 1U);
}

INSTANTIATE_TEST_SUITE_P(Segmentations, CenterlinePhantom,
                         ::testing::Values(Segmentation{"ideal", 0.0, 0.0}, Segmentation{"jittered", 0.25, 0.0},
                                           Segmentation{"noisy_ct", 0.0, 40.0}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// A healthy phantom (no stenosis) gives no stenosis: the detector does not invent one from the
// radius noise of the mask.
TEST(CenterlinePhantomHealthy, NoStenosisIsReported) {
  phantom::VesselPhantomSpec spec;
  spec.size = {64, 64, 80};
  spec.stenosis.diameter_reduction = 0.0;
  const auto ph = phantom::make_vessel_phantom(spec);
  auto labels = segmentation::empty_labels_like(ph.volume);
  const auto fraction = phantom::lumen_fraction(ph.volume.geometry, ph.branches, spec.supersampling);
  for (std::size_t v = 0; v < fraction.size(); ++v) labels.labels[v] = fraction[v] > 0.5 ? 1 : 0;
  const auto net = extract_centerlines(labels).network;
  ASSERT_EQ(net.segments.size(), 3U);
  for (const auto& segment : net.segments) EXPECT_TRUE(segment.stenoses.empty()) << segment.name;
}

}  // namespace
}  // namespace ptwin::geometry::centerline
