// SPDX-License-Identifier: Apache-2.0
// The pressure drops `ptwin image` reports (physics/zerod/network_pressure_drops.hpp) against
// closed forms on a straight tube carrying a known stenosis: Hagen-Poiseuille for the viscous
// part, R = 8 mu l / (pi r^4), plus the expansion loss of Young & Tsai (1973, J Biomech 6:395,
// young1973flow), S = K_t rho / (2 A0^2) (A0/As - 1)^2 with K_t = 1.52, the coefficient the
// model builder uses (network_model.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

#include "ptwin/physics/zerod/network_pressure_drops.hpp"
#include "verification/verification_case.hpp"

namespace ptwin::physics::zerod::testing {
namespace {

using geometry::centerline::NodeKind;
using geometry::centerline::Stenosis;
using geometry::centerline::VesselNetwork;
using geometry::centerline::VesselSegment;
using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;

constexpr double kPi = std::numbers::pi;
constexpr double kLength_m = 0.05, kRadius_m = 0.002, kViscosity_pa_s = 0.004, kDensity_kg_per_m3 = 1060.0;
constexpr double kYoungTsaiKt = 1.52;  // Young & Tsai 1973, turbulent expansion coefficient

// A 5 cm tube of radius 2 mm with a 50 % diameter stenosis record at its middle.
VesselNetwork stenosed_tube() {
  VesselNetwork network;
  network.point_spacing_m = kLength_m / 40;
  network.nodes = {{"inlet", NodeKind::Inlet, {0, 0, 0}}, {"outlet1", NodeKind::Outlet, {0, 0, kLength_m}}};
  VesselSegment segment{"segment1", 0, 1, {}, {}, {}};
  for (int p = 0; p <= 40; ++p) {
    segment.points_m.push_back({0, 0, kLength_m * p / 40});
    segment.radius_m.push_back(kRadius_m);
  }
  segment.stenoses.push_back(Stenosis{20, 0.025, {0, 0, 0.025}, 0.5 * kRadius_m, kRadius_m, 0.5, 0.002});
  network.segments = {segment};
  return network;
}

double poiseuille_resistance() { return 8.0 * kViscosity_pa_s * kLength_m / (kPi * std::pow(kRadius_m, 4)); }

double young_tsai_coefficient() {
  const double a0 = kPi * kRadius_m * kRadius_m;
  const double as = 0.25 * a0;  // 50 % diameter stenosis
  return kYoungTsaiKt * kDensity_kg_per_m3 / (2.0 * a0 * a0) * std::pow(a0 / as - 1.0, 2);
}

const VerificationCase kSteadyDrop{
    .id = "zerod.pressure_drops.steady_stenosed_tube",
    .source = "Hagen-Poiseuille R Q plus the Young & Tsai 1973 (J Biomech 6:395) expansion loss S Q^2, "
              "K_t = 1.52; docs/physics.md#predicted-pressure-drops",
    .quantity = "mean and peak P_in - P_out of a 5 cm, r = 2 mm tube with a 50 % diameter stenosis at a steady "
                "6 mL/s, model as ptwin image builds it (RCR outlet, compliance and inertance on)",
    .norm = "max(|mean - dP|, |peak - dP|) / dP",
    .tolerance = 1e-8,
    .tolerance_reason = "exact at steady state; the run starts from the steady solution, Newton's relative "
                        "tolerance is far below; dropping S errs by S Q^2 / dP ~ 0.9",
};

TEST(NetworkPressureDrops, SteadyDropAcrossAStenosisIsPoiseuillePlusYoungTsai) {
  NetworkModelOptions options;
  options.viscosity_pa_s = kViscosity_pa_s;
  options.density_kg_per_m3 = kDensity_kg_per_m3;
  options.mean_inflow_m3_per_s = 6e-6;
  const auto drops = predict_segment_pressure_drops(stenosed_tube(), options);
  ASSERT_EQ(drops.status, SimulationStatus::Completed) << drops.message;
  ASSERT_EQ(drops.segments.size(), 1U);
  const auto& d = drops.segments[0];
  const double q = 6e-6;
  const double expected = poiseuille_resistance() * q + young_tsai_coefficient() * q * q;
  const double error = std::max(std::abs(d.mean_drop_pa - expected), std::abs(d.peak_drop_pa - expected)) / expected;
  record_verification(kSteadyDrop, error);
  EXPECT_LT(error, kSteadyDrop.tolerance) << "mean " << d.mean_drop_pa << " Pa, peak " << d.peak_drop_pa
                                          << " Pa, expected " << expected << " Pa";
  EXPECT_TRUE(d.has_stenosis);
  EXPECT_NEAR(d.mean_flow_m3_per_s, q, 1e-10 * q);
  EXPECT_NEAR(d.mean_stenosis_loss_pa, young_tsai_coefficient() * q * q, 1e-8 * expected);
  EXPECT_GT(young_tsai_coefficient() * q * q / expected, 0.5) << "the stenosis term must matter for the test to test it";
  std::printf("steady 6 mL/s: drop %.2f Pa = %.3f mmHg (Poiseuille %.2f Pa, Young-Tsai %.2f Pa)\n", d.mean_drop_pa,
              d.mean_drop_pa / 133.322387415, poiseuille_resistance() * q, young_tsai_coefficient() * q * q);
}

// A pulsatile inflow, piecewise linear over one 1 s cycle. Without compliance and inertance the
// drop is algebraic in the flow, dP(t) = R Q(t) + S Q(t)^2, so its cycle mean is
//   (1/T) sum over pieces h [R (a + b)/2 + S (a^2 + a b + b^2)/3]   (Q linear from a to b over h)
// and its peak is R Q_max + S Q_max^2 at the waveform's peak. The mean of the quadratic term is
// not the term of the mean flow: R <Q> + S <Q>^2 is a quarter short here, which the test would catch.
const std::vector<double> kTimes_s{0.0, 0.2, 0.4, 1.0};
const std::vector<double> kFlows_m3_per_s{2e-6, 12e-6, 4e-6, 2e-6};

const VerificationCase kPulsatileDrop{
    .id = "zerod.pressure_drops.pulsatile_stenosed_tube",
    .source = "cycle mean and peak of R Q(t) + S Q(t)^2 (Poiseuille + Young & Tsai 1973) for a piecewise linear "
              "inflow, integrated in closed form; docs/physics.md#predicted-pressure-drops",
    .quantity = "cycle-mean and peak P_in - P_out of the stenosed tube, resistive model (C = L = 0)",
    .norm = "max relative error of mean and peak",
    .tolerance = 1e-4,
    .tolerance_reason = "the mean is a trapezoidal sum on the 400-step grid: error (dt^2/12) int |S d2(Q^2)/dt2| / T "
                        "~ 3e-5 of the mean; the peak sits on a grid point and is exact",
};

TEST(NetworkPressureDrops, PulsatileMeanAndPeakFollowTheFlowWaveform) {
  NetworkModelOptions options;
  options.viscosity_pa_s = kViscosity_pa_s;
  options.density_kg_per_m3 = kDensity_kg_per_m3;
  options.is_capacitance_included = false;
  options.is_inductance_included = false;
  options.outlet = OutletModel::Resistance;
  options.inflow_times_s = kTimes_s;
  options.inflow_m3_per_s = kFlows_m3_per_s;
  options.period_s = 1.0;
  const auto drops = predict_segment_pressure_drops(stenosed_tube(), options);
  ASSERT_EQ(drops.status, SimulationStatus::Completed) << drops.message;
  ASSERT_EQ(drops.segments.size(), 1U);
  const double r = poiseuille_resistance(), s = young_tsai_coefficient();
  double integral = 0.0, flow_integral = 0.0;
  for (std::size_t n = 1; n < kTimes_s.size(); ++n) {
    const double h = kTimes_s[n] - kTimes_s[n - 1], a = kFlows_m3_per_s[n - 1], b = kFlows_m3_per_s[n];
    integral += h * (r * (a + b) / 2.0 + s * (a * a + a * b + b * b) / 3.0);
    flow_integral += h * (a + b) / 2.0;
  }
  const double expected_mean = integral / 1.0;
  const double expected_peak = r * 12e-6 + s * 12e-6 * 12e-6;
  const auto& d = drops.segments[0];
  const double error = std::max(std::abs(d.mean_drop_pa - expected_mean) / expected_mean,
                                std::abs(d.peak_drop_pa - expected_peak) / expected_peak);
  record_verification(kPulsatileDrop, error);
  EXPECT_LT(error, kPulsatileDrop.tolerance) << "mean " << d.mean_drop_pa << " Pa (expected " << expected_mean
                                             << "), peak " << d.peak_drop_pa << " Pa (expected " << expected_peak << ")";
  EXPECT_NEAR(d.mean_flow_m3_per_s, flow_integral, 1e-9 * flow_integral);
  const double mean_of_flow_drop = r * flow_integral + s * flow_integral * flow_integral;
  EXPECT_GT(std::abs(expected_mean - mean_of_flow_drop) / expected_mean, 100 * kPulsatileDrop.tolerance)
      << "the waveform must tell the cycle mean of the drop from the drop at the mean flow";
  std::printf("pulsatile: mean %.2f Pa, peak %.2f Pa (at the mean flow: %.2f Pa)\n", d.mean_drop_pa, d.peak_drop_pa,
              mean_of_flow_drop);
}

}  // namespace
}  // namespace ptwin::physics::zerod::testing
