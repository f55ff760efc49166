// SPDX-License-Identifier: Apache-2.0
// 0D models built from vessel networks (physics/zerod/network_model.hpp) against closed forms at
// steady flow: Poiseuille's pressure drop in a straight tube, the Young & Tsai stenosis loss,
// and the flow split of a Y network between two parallel paths.
//
// All three are algebraic at steady state (dQ/dt = 0, dP/dt = 0), so the remaining error is
// Newton's tolerance (1e-12 relative) and the decay of the start-up transient: the slowest time
// constant is the outlets' R C (< 0.02 s here) against 3 s simulated, e^-150.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <numbers>

#include "ptwin/core/error.hpp"
#include "ptwin/geometry/centerline/centerline_extraction.hpp"
#include "ptwin/geometry/phantom/phantom_rasteriser.hpp"
#include "ptwin/geometry/phantom/vessel_tree_phantom.hpp"
#include "ptwin/physics/zerod/model_builder.hpp"
#include "ptwin/physics/zerod/network_model.hpp"
#include "ptwin/physics/zerod/simulation.hpp"
#include "verification/physics/zerod_verification_support.hpp"
#include "verification/verification_case.hpp"

namespace ptwin::physics::zerod::testing {
namespace {

using geometry::centerline::NetworkNode;
using geometry::centerline::NodeKind;
using geometry::centerline::Stenosis;
using geometry::centerline::Vector3;
using geometry::centerline::VesselNetwork;
using geometry::centerline::VesselSegment;
using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;

constexpr double kPi = std::numbers::pi;
constexpr double kViscosityPaS = 0.004;

// A straight segment from a to b with `pieces` equal pieces and a constant radius.
VesselSegment straight(std::string name, std::size_t from, std::size_t to, const Vector3& a, const Vector3& b,
                       double radius_m, int pieces = 40) {
  VesselSegment segment{std::move(name), from, to, {}, {}, {}};
  for (int p = 0; p <= pieces; ++p) {
    const double t = static_cast<double>(p) / pieces;
    segment.points_m.push_back({a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])});
    segment.radius_m.push_back(radius_m);
  }
  return segment;
}

VesselNetwork single_tube(double length_m, double radius_m) {
  VesselNetwork network;
  network.point_spacing_m = length_m / 40;
  network.nodes = {{"inlet", NodeKind::Inlet, {0, 0, 0}}, {"outlet1", NodeKind::Outlet, {0, 0, length_m}}};
  network.segments = {straight("segment1", 0, 1, {0, 0, 0}, {0, 0, length_m}, radius_m)};
  return network;
}

NetworkModelOptions steady_options() {
  NetworkModelOptions o;
  o.viscosity_pa_s = kViscosityPaS;
  o.outlet = OutletModel::Resistance;
  o.total_outlet_resistance_pa_s_per_m3 = 1.0e9;
  o.mean_inflow_m3_per_s = 5e-6;
  return o;
}

SimulationResult run_steady(const nlohmann::json& spec) {
  auto model = build_model(spec, "network model");
  SimulationSettings settings;
  settings.period_s = 1.0;
  settings.steps_per_cycle = 200;
  settings.min_cycles = 3;
  settings.max_cycles = 3;
  settings.steady_state_tolerance = 0.0;
  settings.integrator = tight_newton_settings();
  auto result = simulate(*model, settings);
  EXPECT_EQ(result.status, SimulationStatus::Completed) << result.message;
  return result;
}

const VerificationCase kPoiseuilleTube{
    .id = "zerod.network_model.poiseuille_tube",
    .source = "Hagen-Poiseuille dP = 8 mu l Q / (pi r^4) (Olufsen et al. 2000, Ann Biomed Eng 28:1281); "
              "docs/physics.md#0d-models-from-vessel-networks",
    .quantity = "steady P_in - P_out of a 5 cm tube of radius 2 mm at 5 mL/s, built from a VesselNetwork "
                "with compliance and inertance",
    .norm = "|dP - dP_exact| / dP_exact",
    .tolerance = 1e-8,
    .tolerance_reason = "exact at steady state (the trapezoidal integral of 1/r^4 is exact for constant r); "
                        "Newton 1e-12 and a transient decayed by e^-150; a wrong exponent or factor errs by O(1)",
};

TEST(NetworkModel, StraightTubePressureDropIsPoiseuille) {
  constexpr double kLength = 0.05, kRadius = 0.002;
  const auto result = run_steady(make_network_model(single_tube(kLength, kRadius), steady_options()));
  const double drop = result.series("segment1.pressure_in").back() - result.series("segment1.pressure_out").back();
  const double flow = 5e-6;
  const double expected = 8.0 * kViscosityPaS * kLength * flow / (kPi * std::pow(kRadius, 4));
  const double error = std::abs(drop - expected) / expected;
  record_verification(kPoiseuilleTube, error);
  EXPECT_LT(error, kPoiseuilleTube.tolerance) << "drop " << drop << " Pa, expected " << expected;
  EXPECT_NEAR(result.series("segment1.flow_out").back(), flow, 1e-10 * flow);
}

const VerificationCase kStenosisTube{
    .id = "zerod.network_model.stenosis_tube",
    .source = "Young & Tsai 1973 (J Biomech 6:395) expansion loss K_t rho/(2 A0^2)(A0/As - 1)^2 Q^2, K_t = 1.52, "
              "plus Poiseuille; docs/physics.md#0d-models-from-vessel-networks",
    .quantity = "steady P_in - P_out of a 5 cm, r = 2 mm tube carrying a 50 % diameter stenosis record, 5 mL/s",
    .norm = "|dP - (R Q + S Q^2)| / (R Q + S Q^2)",
    .tolerance = 1e-8,
    .tolerance_reason = "exact algebraic relation at steady state; dropping S errs by S Q^2 / dP ~ 0.3",
};

TEST(NetworkModel, StenosisAddsTheYoungTsaiExpansionLoss) {
  constexpr double kLength = 0.05, kRadius = 0.002;
  auto network = single_tube(kLength, kRadius);
  network.segments[0].stenoses.push_back(Stenosis{20, 0.025, {0, 0, 0.025}, 0.5 * kRadius, kRadius, 0.5, 0.002});
  const auto result = run_steady(make_network_model(network, steady_options()));
  const double drop = result.series("segment1.pressure_in").back() - result.series("segment1.pressure_out").back();
  const double flow = 5e-6;
  const double a0 = kPi * kRadius * kRadius;
  const double as = 0.25 * a0;
  const double s = 1.52 * 1060.0 / (2.0 * a0 * a0) * std::pow(a0 / as - 1.0, 2);
  const double r = 8.0 * kViscosityPaS * kLength / (kPi * std::pow(kRadius, 4));
  const double expected = r * flow + s * flow * flow;
  const double error = std::abs(drop - expected) / expected;
  record_verification(kStenosisTube, error);
  EXPECT_LT(error, kStenosisTube.tolerance) << "drop " << drop << " Pa, expected " << expected;
  EXPECT_GT(s * flow * flow / expected, 0.1) << "the stenosis term must matter for the test to test it";
}

const VerificationCase kFlowSplit{
    .id = "zerod.network_model.flow_split",
    .source = "parallel resistances: Q1 / Q2 = (R_v2 + R_o2) / (R_v1 + R_o1), R_v = 8 mu l/(pi r^4), "
              "outlets R_i = R_total sum(r^3) / r_i^3; docs/physics.md#0d-models-from-vessel-networks",
    .quantity = "steady flow ratio between the daughters of a Y network (r = 1.6 and 1.2 mm, l = 3 and 4 cm)",
    .norm = "|Q1/Q2 - expected| / expected",
    .tolerance = 1e-8,
    .tolerance_reason = "exact at steady state; Newton 1e-12; swapping the outlet allocation errs by > 50 %",
};

TEST(NetworkModel, YNetworkFlowSplitFollowsTheParallelResistances) {
  constexpr double kR0 = 0.002, kR1 = 0.0016, kR2 = 0.0012;
  constexpr double kL1 = 0.03, kL2 = 0.04;
  VesselNetwork network;
  network.point_spacing_m = 1e-3;
  const Vector3 inlet{0, 0, 0}, fork{0, 0, 0.04}, end1{0.01, 0, 0.04 + std::sqrt(kL1 * kL1 - 1e-4)},
      end2{-0.01, 0, 0.04 + std::sqrt(kL2 * kL2 - 1e-4)};
  network.nodes = {{"inlet", NodeKind::Inlet, inlet}, {"bifurcation1", NodeKind::Bifurcation, fork},
                   {"outlet1", NodeKind::Outlet, end1}, {"outlet2", NodeKind::Outlet, end2}};
  network.segments = {straight("segment1", 0, 1, inlet, fork, kR0), straight("segment2", 1, 2, fork, end1, kR1),
                      straight("segment3", 1, 3, fork, end2, kR2)};
  auto options = steady_options();
  options.outlet = OutletModel::Rcr;  // the RCR's total resistance is what the steady split sees
  options.total_outlet_capacitance_m3_per_pa = 1e-12;  // R C = 1 ms, so 3 s is steady
  const auto result = run_steady(make_network_model(network, options));
  const double q1 = result.series("segment2.flow_out").back();
  const double q2 = result.series("segment3.flow_out").back();
  const double sum_r3 = std::pow(kR1, 3) + std::pow(kR2, 3);
  const double path1 = 8.0 * kViscosityPaS * kL1 / (kPi * std::pow(kR1, 4)) + 1.0e9 * sum_r3 / std::pow(kR1, 3);
  const double path2 = 8.0 * kViscosityPaS * kL2 / (kPi * std::pow(kR2, 4)) + 1.0e9 * sum_r3 / std::pow(kR2, 3);
  const double expected = path2 / path1;
  const double error = std::abs(q1 / q2 - expected) / expected;
  record_verification(kFlowSplit, error);
  EXPECT_LT(error, kFlowSplit.tolerance) << "Q1/Q2 " << q1 / q2 << ", expected " << expected;
  EXPECT_NEAR(q1 + q2, 5e-6, 1e-10 * 5e-6) << "mass is conserved at the junction";
}

// Imaging to 0D: the network extracted from the Y phantom (geometry/centerline) builds, runs to a
// steady state, conserves the inflow at its junction, and its stenosed daughter carries less flow
// with a larger pressure drop than the healthy one (same length and reference radius, so only the
// narrowing differs).
const VerificationCase kPhantomConservation{
    .id = "zerod.network_model.phantom_mass_balance",
    .source = "mass conservation at the junction of the model built from the Y phantom's extracted network",
    .quantity = "steady inflow against the sum of the two daughters' outflows",
    .norm = "|Q_in - (Q_1 + Q_2)| / Q_in",
    .tolerance = 1e-8,
    .tolerance_reason = "the junction rows are exact; the transient (R C <= 1 ms) has decayed after 3 s",
};

TEST(NetworkModel, PhantomNetworkConservesFlowAndThrottlesTheStenosedBranch) {
  geometry::phantom::VesselPhantomSpec spec;
  spec.size = {64, 64, 80};
  spec.noise_sd_hu = 0.0;
  spec.blur_sigma_m = 0.0;
  const auto phantom = geometry::phantom::make_vessel_phantom(spec);
  auto labels = geometry::segmentation::empty_labels_like(phantom.volume);
  const auto fraction = geometry::phantom::lumen_fraction(phantom.volume.geometry, phantom.branches, spec.supersampling);
  for (std::size_t v = 0; v < fraction.size(); ++v) labels.labels[v] = fraction[v] > 0.5F ? 1 : 0;
  const auto network = geometry::centerline::extract_centerlines(labels).network;
  ASSERT_EQ(network.segments.size(), 3U);
  auto options = steady_options();
  options.outlet = OutletModel::Rcr;
  options.total_outlet_capacitance_m3_per_pa = 1e-12;
  const auto result = run_steady(make_network_model(network, options));
  const std::string* stenosed = nullptr;
  const std::string* healthy = nullptr;
  for (const auto& segment : network.segments) {
    if (network.nodes[segment.distal_node].kind != NodeKind::Outlet) continue;
    (segment.stenoses.empty() ? healthy : stenosed) = &segment.name;
  }
  ASSERT_TRUE(stenosed != nullptr && healthy != nullptr) << "one daughter must carry the stenosis";
  const double q_stenosed = result.series(*stenosed + ".flow_out").back();
  const double q_healthy = result.series(*healthy + ".flow_out").back();
  const double error = std::abs(5e-6 - (q_stenosed + q_healthy)) / 5e-6;
  record_verification(kPhantomConservation, error);
  EXPECT_LT(error, kPhantomConservation.tolerance);
  EXPECT_LT(q_stenosed, q_healthy);
  const auto drop = [&](const std::string& name) {
    return result.series(name + ".pressure_in").back() - result.series(name + ".pressure_out").back();
  };
  EXPECT_GT(drop(*stenosed), 1.5 * drop(*healthy)) << "a 50 % stenosis must dominate the daughter's loss";
  std::printf("phantom network: Q %.4g / %.4g mL/s (stenosed / healthy), drop %.1f / %.1f Pa\n", q_stenosed * 1e6,
              q_healthy * 1e6, drop(*stenosed), drop(*healthy));
}

TEST(NetworkModel, BadOptionsAndNameClashesNameTheField) {
  auto options = steady_options();
  options.viscosity_pa_s = -1.0;
  try {
    (void)make_network_model(single_tube(0.05, 0.002), options);
    FAIL() << "accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("viscosity_pa_s"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("-1"), std::string::npos) << error.what();
  }
  auto clash = single_tube(0.05, 0.002);
  clash.segments[0].name = "outlet1";
  try {
    (void)make_network_model(clash, steady_options());
    FAIL() << "accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("segments[0].name"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace ptwin::physics::zerod::testing
