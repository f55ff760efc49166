// SPDX-License-Identifier: Apache-2.0
// The vessel phantom's ground truth is what its image shows: Murray's law at the fork, the
// stated stenosis, lumen areas from partial volume, the stated noise, and a DICOM round trip.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/phantom/phantom_series_writer.hpp"
#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"
#include "ptwin/ingest/dicom/dicom_series_reader.hpp"

namespace ptwin::geometry::phantom {
namespace {

namespace fs = std::filesystem;

VesselPhantomSpec clean_spec() {
  VesselPhantomSpec spec;
  spec.noise_sd_hu = 0.0;
  spec.blur_sigma_m = 0.0;
  return spec;
}

// Lumen area (m^2) in slice k within columns [i0, i1), from the partial-volume values.
double lumen_area_m2(const VesselPhantom& phantom, std::size_t k, std::size_t i0, std::size_t i1) {
  const auto& v = phantom.volume;
  const double contrast = phantom.spec.lumen_hu - phantom.spec.tissue_hu;
  double fraction = 0.0;
  for (std::size_t j = 0; j < v.geometry.size[1]; ++j) {
    for (std::size_t i = i0; i < i1; ++i) fraction += (v.at(i, j, k) - phantom.spec.tissue_hu) / contrast;
  }
  return fraction * v.geometry.spacing_m[0] * v.geometry.spacing_m[1];
}

TEST(VesselPhantom, TreeFollowsMurraysLawAndTheStatedStenosis) {
  const auto phantom = make_vessel_phantom(clean_spec());
  ASSERT_EQ(phantom.branches.size(), 3U);
  const double parent = phantom.branches[0].radius_m.front();
  const double left = phantom.branches[1].radius_m.front();
  const double right = phantom.branches[2].radius_m.front();
  EXPECT_NEAR(std::pow(parent, 3), std::pow(left, 3) + std::pow(right, 3), 1e-15);
  const auto& stenosis = phantom.stenosis;
  EXPECT_DOUBLE_EQ(stenosis.minimal_radius_m, left * 0.5);
  EXPECT_NEAR(radius_at(phantom.branches[1], stenosis.arc_length_m), stenosis.minimal_radius_m, 1e-12);
  // The narrowest point of the branch is the stated one, and the profile ends at L/2.
  double narrowest = 1.0;
  for (const double r : phantom.branches[1].radius_m) narrowest = std::min(narrowest, r);
  EXPECT_DOUBLE_EQ(narrowest, stenosis.minimal_radius_m);
  const double past_end = stenosis.arc_length_m + 0.5 * stenosis.length_m + 2.0 * phantom.spec.centerline_step_m;
  EXPECT_DOUBLE_EQ(radius_at(phantom.branches[1], past_end), left);
}

TEST(VesselPhantom, PartialVolumeAreaMatchesTheParentCrossSection) {
  const auto phantom = make_vessel_phantom(clean_spec());
  const double expected = std::numbers::pi * std::pow(phantom.spec.parent_radius_m, 2);
  // Slices below the fork cut the straight parent at right angles.
  for (const std::size_t k : {2U, 8U, 12U}) {
    EXPECT_NEAR(lumen_area_m2(phantom, k, 0, phantom.spec.size[0]) / expected, 1.0, 0.02) << k;
  }
  // The centre of the parent is pure lumen, a corner pure tissue.
  const auto& v = phantom.volume;
  EXPECT_FLOAT_EQ(v.at(32, 32, 4), static_cast<float>(phantom.spec.lumen_hu));  // (size-1)/2 = 31.5
  EXPECT_FLOAT_EQ(v.at(0, 0, 4), static_cast<float>(phantom.spec.tissue_hu));
}

// The lumen the stenosis removes, from the image (partial volume, with and without it), equals
// the analytic integral of pi * (r_ref^2 - r(s)^2) over its length.
TEST(VesselPhantom, StenosisRemovesTheAnalyticLumenVolume) {
  auto spec = clean_spec();
  const auto stenosed = make_vessel_phantom(spec);
  spec.stenosis.diameter_reduction = 0.0;
  const auto open = make_vessel_phantom(spec);
  const auto& g = open.volume.geometry;
  const double contrast = spec.lumen_hu - spec.tissue_hu;
  double removed_voxels = 0.0;
  for (std::size_t v = 0; v < g.voxel_count(); ++v) {
    removed_voxels += (open.volume.values[v] - stenosed.volume.values[v]) / contrast;
  }
  const double removed_m3 = removed_voxels * g.spacing_m[0] * g.spacing_m[1] * g.spacing_m[2];
  const double r = stenosed.stenosis.reference_radius_m;
  const double d = stenosed.stenosis.diameter_reduction;
  const double length = stenosed.stenosis.length_m;
  double expected_m3 = 0.0;  // midpoint rule, fine enough at 10^4 steps
  const int steps = 10000;
  for (int n = 0; n < steps; ++n) {
    const double u = -0.5 * length + (n + 0.5) * length / steps;
    const double shape = 0.5 * (1.0 + std::cos(2.0 * std::numbers::pi * u / length));
    expected_m3 += std::numbers::pi * r * r * (1.0 - std::pow(1.0 - d * shape, 2)) * length / steps;
  }
  EXPECT_NEAR(removed_m3 / expected_m3, 1.0, 0.03) << removed_m3 << " vs " << expected_m3;
}

TEST(VesselPhantom, NoiseHasTheStatedSpreadAndIsReproducible) {
  auto spec = clean_spec();
  spec.noise_sd_hu = 20.0;
  const auto a = make_vessel_phantom(spec);
  const auto b = make_vessel_phantom(spec);
  EXPECT_EQ(a.volume.values, b.volume.values);
  // Background: the first two columns hold no vessel.
  double sum = 0.0, sum2 = 0.0;
  std::size_t n = 0;
  for (std::size_t k = 0; k < spec.size[2]; ++k) {
    for (std::size_t j = 0; j < spec.size[1]; ++j) {
      for (std::size_t i = 0; i < 2; ++i) {
        const double d = a.volume.at(i, j, k) - spec.tissue_hu;
        sum += d;
        sum2 += d * d;
        ++n;
      }
    }
  }
  const double mean = sum / static_cast<double>(n);
  EXPECT_NEAR(mean, 0.0, 2.0);
  EXPECT_NEAR(std::sqrt(sum2 / static_cast<double>(n) - mean * mean), 20.0, 1.0);
  spec.seed += 1;
  EXPECT_NE(make_vessel_phantom(spec).volume.values, a.volume.values);
}

TEST(VesselPhantom, SpecOutsideItsRangeIsRefused) {
  auto spec = clean_spec();
  spec.supersampling = 4;
  try {
    (void)make_vessel_phantom(spec);
    FAIL();
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "vessel phantom: supersampling");
  }
}

TEST(VesselPhantom, DicomSeriesAndGroundTruthRoundTrip) {
  VesselPhantomSpec spec;
  spec.size = {32, 24, 20};
  const auto phantom = make_vessel_phantom(spec);
  const auto dir = fs::temp_directory_path() / ("ptwin-phantom-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const auto written = write_phantom_series(phantom, dir);
  ASSERT_EQ(written.files.size(), 20U);
  std::ifstream truth_file(dir / "ground_truth.json");
  const auto truth = nlohmann::json::parse(truth_file);
  EXPECT_EQ(truth.at("format"), "ptwin.vessel-phantom/1");
  EXPECT_EQ(truth.at("branches").size(), 3U);
  EXPECT_EQ(truth.at("dicom").at("series_uid"), written.identity.series_uid);
  EXPECT_DOUBLE_EQ(truth.at("stenosis").at("diameter_reduction").get<double>(), 0.5);
  const auto read = ingest::dicom::read_dicom_series_directory(dir / "series");
  fs::remove_all(dir);
  ASSERT_EQ(read.geometry.size, phantom.volume.geometry.size);
  double worst = 0.0;
  for (std::size_t v = 0; v < read.values.size(); ++v) {
    worst = std::max(worst, static_cast<double>(std::fabs(read.values[v] - phantom.volume.values[v])));
  }
  EXPECT_LE(worst, 0.5);  // stored as whole HU
  for (int a = 0; a < 3; ++a) {
    EXPECT_NEAR(read.geometry.origin_m[a], phantom.volume.geometry.origin_m[a], 1e-9);
    EXPECT_NEAR(read.geometry.spacing_m[a], phantom.volume.geometry.spacing_m[a], 1e-9);
  }
}

}  // namespace
}  // namespace ptwin::geometry::phantom
