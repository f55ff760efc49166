// SPDX-License-Identifier: Apache-2.0
// geometry/centerline pieces on their own: the exact distance map against brute force, the
// VesselNetwork JSON round trip and its bad-input corpus (tests/data/bad_inputs/vessel_network),
// and the extraction's errors for label volumes it cannot use.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <filesystem>
#include <limits>
#include <random>
#include <typeinfo>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/centerline/centerline_extraction.hpp"
#include "ptwin/geometry/centerline/distance_map.hpp"
#include "ptwin/geometry/centerline/vessel_network_json.hpp"
#include "ptwin/geometry/phantom/phantom_rasteriser.hpp"
#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"
#include "support/bad_input_corpus.hpp"

namespace ptwin::geometry::centerline {
namespace {

segmentation::LabelVolume blank(std::array<std::size_t, 3> size, Vector3 spacing_m) {
  segmentation::LabelVolume labels;
  labels.geometry.size = size;
  labels.geometry.spacing_m = spacing_m;
  labels.labels.assign(size[0] * size[1] * size[2], segmentation::kBackground);
  return labels;
}

TEST(DistanceMap, EqualsBruteForceOnAnAnisotropicRandomMask) {
  auto labels = blank({13, 11, 9}, {0.4e-3, 0.7e-3, 1.1e-3});
  std::mt19937 random(7);  // seed 7: ~85 % lumen, so distances span several voxels
  std::bernoulli_distribution is_lumen(0.85);
  for (auto& label : labels.labels) label = is_lumen(random) ? segmentation::kLumen : segmentation::kBackground;
  const auto grid = crop_lumen(labels);
  const auto map = squared_distance_to_background(grid);
  std::size_t compared = 0;
  for (std::size_t v = 0; v < grid.voxel_count(); ++v) {
    double best = std::numeric_limits<double>::infinity();
    const auto p = grid.position_m(v);
    for (std::size_t w = 0; w < grid.voxel_count(); ++w) {
      if (grid.mask[w] != 0) continue;
      const auto q = grid.position_m(w);
      best = std::min(best, (p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2]));
    }
    // float storage: 2^-24 relative
    EXPECT_NEAR(map[v], best, 1e-6 * best + 1e-18) << "voxel " << v;
    ++compared;
  }
  EXPECT_GT(compared, 1000U);
}

// A small phantom's network, as extracted.
VesselNetwork phantom_network() {
  phantom::VesselPhantomSpec spec;
  spec.size = {40, 40, 40};
  spec.pixel_spacing_m = 0.8e-3;
  spec.slice_spacing_m = 0.8e-3;
  const auto ph = phantom::make_vessel_phantom(spec);
  auto labels = segmentation::empty_labels_like(ph.volume);
  const auto fraction = phantom::lumen_fraction(ph.volume.geometry, ph.branches, 2);
  for (std::size_t v = 0; v < fraction.size(); ++v) labels.labels[v] = fraction[v] > 0.5 ? 1 : 0;
  return extract_centerlines(labels).network;
}

TEST(VesselNetworkJson, RoundTripIsExact) {
  const auto network = phantom_network();
  ASSERT_EQ(network.segments.size(), 3U);
  const auto text = to_json(network).dump();
  const auto again = parse_vessel_network(text, "round trip");
  EXPECT_EQ(again, network);
  const auto file = std::filesystem::temp_directory_path() / "ptwin_vessel_network_round_trip.json";
  write_vessel_network(network, file);
  EXPECT_EQ(read_vessel_network(file), network);
  std::filesystem::remove(file);
}

TEST(VesselNetworkJson, EveryBadInputIsRejectedWithFieldAndValue) {
  const auto folder = std::filesystem::path(PTWIN_SOURCE_DIR) / "tests/data/bad_inputs/vessel_network";
  const auto cases = ptwin::testing::scoped_corpus(folder, ".json", {"document"}, "document");
  EXPECT_GE(cases.size(), 20U) << "the corpus lost files";
  for (const auto& bad : cases) {
    SCOPED_TRACE(bad.input.filename().string());
    try {
      (void)read_vessel_network(bad.input);
      ADD_FAILURE() << "accepted";
    } catch (const InputError& error) {
      EXPECT_EQ(error_code_info(error.code()).name, bad.code_name) << error.what();
      ptwin::testing::expect_fragments(error.what(), bad);
    } catch (const std::exception& error) {
      ADD_FAILURE() << "threw " << typeid(error).name() << " instead of InputError: " << error.what();
    }
  }
}

// The same volume stored mirrored (columns reversed, direction_i flipped, origin moved) is the same
// patient: the network, in patient coordinates, must not change beyond tie-breaking between
// equal-cost voxel paths.
TEST(CenterlineExtraction, NetworkIsInPatientCoordinatesWhateverTheVoxelOrder) {
  phantom::VesselPhantomSpec spec;
  spec.size = {40, 40, 40};
  spec.pixel_spacing_m = 0.8e-3;
  spec.slice_spacing_m = 0.8e-3;
  const auto ph = phantom::make_vessel_phantom(spec);
  auto labels = segmentation::empty_labels_like(ph.volume);
  const auto fraction = phantom::lumen_fraction(ph.volume.geometry, ph.branches, 2);
  for (std::size_t v = 0; v < fraction.size(); ++v) labels.labels[v] = fraction[v] > 0.5 ? 1 : 0;
  auto mirrored = labels;
  const auto n = labels.geometry.size;
  mirrored.geometry.origin_m = labels.geometry.position_m(static_cast<double>(n[0] - 1), 0.0, 0.0);
  for (int a = 0; a < 3; ++a) mirrored.geometry.direction_i[a] = -labels.geometry.direction_i[a];
  for (std::size_t k = 0; k < n[2]; ++k) {
    for (std::size_t j = 0; j < n[1]; ++j) {
      for (std::size_t i = 0; i < n[0]; ++i) mirrored.at(n[0] - 1 - i, j, k) = labels.at(i, j, k);
    }
  }
  const auto a = extract_centerlines(labels).network;
  const auto b = extract_centerlines(mirrored).network;
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  ASSERT_EQ(a.segments.size(), b.segments.size());
  const double voxel = 0.8e-3;
  for (const auto& node : a.nodes) {
    double nearest = 1.0;
    for (const auto& other : b.nodes) {
      if (other.kind != node.kind) continue;
      double d2 = 0.0;
      for (int c = 0; c < 3; ++c) d2 += std::pow(node.position_m[c] - other.position_m[c], 2);
      nearest = std::min(nearest, std::sqrt(d2));
    }
    // Openings are the same voxels (centroids agree to round-off); the symmetric phantom's paths
    // may join the tree on either of two mirror-image voxels, one voxel apart.
    EXPECT_LT(nearest, node.kind == NodeKind::Bifurcation ? 1.5 * voxel : 1e-9) << node.name;
  }
  double length_a = 0.0, length_b = 0.0;
  for (const auto& segment : a.segments) length_a += segment.length_m();
  for (const auto& segment : b.segments) length_b += segment.length_m();
  EXPECT_NEAR(length_a, length_b, 0.01 * length_a);
}

TEST(CenterlineExtraction, LabelVolumesWithoutTwoOpeningsAreRejectedByName) {
  auto empty = blank({8, 8, 8}, {1e-3, 1e-3, 1e-3});
  try {
    (void)extract_centerlines(empty);
    FAIL() << "accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("no lumen voxel"), std::string::npos) << error.what();
  }
  // A blind-ended tube: it enters through slice 0 and stops inside the volume.
  auto blind = blank({9, 9, 12}, {1e-3, 1e-3, 1e-3});
  for (std::size_t k = 0; k < 8; ++k) {
    for (std::size_t j = 3; j < 6; ++j) {
      for (std::size_t i = 3; i < 6; ++i) blind.at(i, j, k) = segmentation::kLumen;
    }
  }
  try {
    (void)extract_centerlines(blind);
    FAIL() << "accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("'1 openings'"), std::string::npos) << error.what();
  }
  auto wrong = blank({4, 4, 4}, {1e-3, 0.0, 1e-3});
  try {
    (void)extract_centerlines(wrong);
    FAIL() << "accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("geometry.spacing_m[1]"), std::string::npos) << error.what();
  }
}

TEST(CenterlineExtraction, SpecksOnAFaceAreListedNotUsed) {
  auto labels = blank({10, 10, 16}, {1e-3, 1e-3, 1e-3});
  for (std::size_t k = 0; k < 16; ++k) {
    for (std::size_t j = 3; j < 7; ++j) {
      for (std::size_t i = 3; i < 7; ++i) labels.at(i, j, k) = segmentation::kLumen;
    }
  }
  labels.at(0, 0, 8) = segmentation::kLumen;  // one voxel on the i = 0 face
  const auto result = extract_centerlines(labels);
  EXPECT_EQ(result.network.segments.size(), 1U);
  ASSERT_EQ(result.ignored_openings.size(), 1U);
  EXPECT_EQ(result.ignored_openings[0].voxels, 1U);
  EXPECT_EQ(result.disconnected_lumen_voxels, 1U);
}

}  // namespace
}  // namespace ptwin::geometry::centerline
