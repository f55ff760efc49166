// SPDX-License-Identifier: Apache-2.0
// Centerline extraction on the Y-bifurcation phantom (geometry/phantom) against its ground truth:
// topology, centerline position, radius and stenosis. The label volume is the phantom's lumen
// fraction thresholded at 1/2 (what an ideal segmentation gives at this resolution), and a
// perturbed copy whose wall voxels are re-drawn with a random threshold (segmentation noise of
// up to a quarter of a voxel in the wall position).
//
// Phantom: 64 x 64 x 48 voxels of 0.5 mm (the default spec): parent radius 2.5 mm = 5 voxels,
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

// The phantom's lumen fraction thresholded at 1/2; with `wall_jitter` > 0 each voxel's threshold
// is drawn from U(1/2 - wall_jitter, 1/2 + wall_jitter) (seeded), which moves the wall by up to
// about wall_jitter voxels.
Fixture make_fixture(double wall_jitter) {
  phantom::VesselPhantomSpec spec;
  spec.noise_sd_hu = 0.0;
  spec.blur_sigma_m = 0.0;
  Fixture f{phantom::make_vessel_phantom(spec), {}};
  f.labels = segmentation::empty_labels_like(f.phantom.volume);
  const auto fraction = phantom::lumen_fraction(f.phantom.volume.geometry, f.phantom.branches, spec.supersampling);
  std::mt19937_64 random(20261125);
  std::uniform_real_distribution<double> threshold(0.5 - wall_jitter, 0.5 + wall_jitter);
  for (std::size_t v = 0; v < fraction.size(); ++v) {
    const double t = wall_jitter > 0.0 ? threshold(random) : 0.5;
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

TEST(CenterlinePhantom, Explore) {
  for (const double jitter : {0.0, 0.25}) {
    const auto f = make_fixture(jitter);
    const auto result = extract_centerlines(f.labels);
    const auto& net = result.network;
    std::printf("jitter %g: nodes %zu segments %zu fallback %zu ignored %zu\n", jitter, net.nodes.size(),
                net.segments.size(), result.radius_from_distance_map_points, result.ignored_openings.size());
    const Vector3 fork = f.phantom.branches[1].centerline_m.front();
    for (const auto& node : net.nodes) std::printf("  node %s at %g %g %g (fork dist %g mm)\n", node.name.c_str(), node.position_m[0], node.position_m[1], node.position_m[2], distance_m(node.position_m, fork) * 1e3);
    for (const auto& seg : net.segments) {
      double sum = 0, mx = 0, rsum = 0, rmx = 0; int n = 0;
      for (std::size_t i = 0; i < seg.points_m.size(); ++i) {
        const auto& p = seg.points_m[i];
        if (distance_m(p, fork) < 3 * 2.5e-3) continue;
        if (distance_m(p, seg.points_m.front()) < 2.5e-3 && seg.proximal_node == 0) continue;
        if (distance_m(p, seg.points_m.back()) < 2.5e-3) continue;
        const auto t = nearest_truth(f.phantom, p);
        sum += t.distance_m; mx = std::max(mx, t.distance_m);
        const double e = std::abs(seg.radius_m[i] - t.radius_m);
        rsum += seg.radius_m[i] - t.radius_m; rmx = std::max(rmx, e); ++n;
      }
      std::printf("  %s len %g mm r %g n=%d dist mean %.3f max %.3f vox; radius bias %.3f maxerr %.3f vox; stenoses %zu\n", seg.name.c_str(), seg.length_m()*1e3, seg.mean_radius_m()*1e3, n,
                  sum / n / kVoxel_m, mx / kVoxel_m, rsum / n / kVoxel_m, rmx / kVoxel_m, seg.stenoses.size());
      for (const auto& st : seg.stenoses) std::printf("    stenosis D %.3f (truth %.3f) at %g mm from truth, rmin %g ref %g len %g mm (truth L/2 %g)\n", st.diameter_reduction, f.phantom.stenosis.diameter_reduction, distance_m(st.position_m, f.phantom.stenosis.center_m)*1e3, st.minimal_radius_m*1e3, st.reference_radius_m*1e3, st.length_m*1e3, f.phantom.stenosis.length_m*0.5e3);
    }
  }
}

}  // namespace
}  // namespace ptwin::geometry::centerline
