// SPDX-License-Identifier: Apache-2.0
// The estimates the dashboard draws: a bounded history per patient in the live stage, and the
// log-normal summary of the trend model's posterior (MAP, CO and SVR with 90 % bands).
#include <chrono>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/units.hpp"
#include "ptwin/twin/live/estimate_history.hpp"
#include "ptwin/twin/live/hypotension_risk_stage.hpp"

namespace {

using namespace std::chrono_literals;
using ptwin::Sample;
using ptwin::SampleQuality;
using ptwin::twin::live::EstimateHistory;
using ptwin::twin::live::EstimatePoint;
using ptwin::twin::live::HypotensionRiskStage;

const ptwin::time::Instant kStart = ptwin::time::from_epoch_ms(1'767'225'600'000);
constexpr double kZ95 = 1.6448536269514722;

Sample map_sample(std::chrono::seconds at, double mmhg) {
  return Sample{"p1",   "8478-0",           mmhg * ptwin::units::kPaPerMmHg, "mm[Hg]", kStart + at,
                "test", SampleQuality::Good};
}

void publish(HypotensionRiskStage& stage, const std::vector<Sample>& samples) {
  stage.on_stored({.feed = "mqtt", .samples = samples, .received_at = kStart, .stored_at = kStart});
}

TEST(EstimateHistory, KeepsTheNewestPointsAndCountsThoseDropped) {
  EstimateHistory history(3);
  for (int i = 0; i < 5; ++i) {
    EstimatePoint point;
    point.time = kStart + std::chrono::seconds(i);
    history.push(point);
  }
  EXPECT_EQ(history.size(), 3U);
  EXPECT_EQ(history.dropped(), 2U);
  const auto all = history.between(kStart, kStart + 10s);
  ASSERT_EQ(all.size(), 3U);
  EXPECT_EQ(all.front().time, kStart + 2s);
  EXPECT_EQ(history.between(kStart + 3s, kStart + 4s).size(), 1U);  // from inclusive, to exclusive
}

TEST(EstimatePoint, QuantilesAreLogNormalWithTheCorrelationOfSvrAndCo) {
  ptwin::twin::estimation::GaussianEstimate e;
  e.mean = Eigen::Vector4d(std::log(1.0e8), 0.0, std::log(8.0e-5), 0.0);
  e.covariance = Eigen::Matrix4d::Identity() * 1e-6;
  e.covariance(0, 0) = 0.04;
  e.covariance(2, 2) = 0.01;
  e.covariance(0, 2) = e.covariance(2, 0) = -0.008;  // the split of MAP between SVR and CO
  const double cvp_pa = 800.0;
  const auto p = ptwin::twin::live::estimate_point(kStart, e, cvp_pa);
  // ln(MAP - CVP) has variance 0.04 + 0.01 - 2 x 0.008 = 0.034, narrower than either alone.
  const double map_sd = std::sqrt(0.034);
  const auto& map = p.mean_arterial_pressure_pa;
  EXPECT_NEAR(map.p50, 1.0e8 * 8.0e-5 + cvp_pa, 1e-9 * map.p50);
  EXPECT_NEAR(std::log(map.p95 - cvp_pa) - std::log(map.p50 - cvp_pa), kZ95 * map_sd, 1e-12);
  EXPECT_NEAR(std::log(map.p50 - cvp_pa) - std::log(map.p05 - cvp_pa), kZ95 * map_sd, 1e-12);
  EXPECT_NEAR(std::log(p.systemic_vascular_resistance_pa_s_per_m3.p95 / 1.0e8), kZ95 * 0.2, 1e-12);
  EXPECT_NEAR(std::log(p.cardiac_output_m3_per_s.p50), std::log(8.0e-5), 1e-12);
  EXPECT_NEAR(std::log(p.cardiac_output_m3_per_s.p05 / 8.0e-5), -kZ95 * 0.1, 1e-12);
}

TEST(HypotensionRiskStage, KeepsOneEstimatePerUsedSampleWithinItsCapacity) {
  HypotensionRiskStage stage({}, 10);
  std::vector<Sample> batch;
  for (int s = 0; s < 200; s += 10) batch.push_back(map_sample(std::chrono::seconds(s), 80.0));
  publish(stage, batch);
  const auto window = stage.estimates("p1", kStart, kStart + 1h);
  ASSERT_TRUE(window);
  ASSERT_EQ(window->points.size(), 10U);
  EXPECT_EQ(window->dropped, 10U);
  EXPECT_EQ(window->points.back().time, kStart + 190s);
  const double cvp = stage.settings().model.central_venous_pressure_pa;
  for (const auto& p : window->points) {
    const auto& map = p.mean_arterial_pressure_pa;
    EXPECT_LT(map.p05, map.p50);
    EXPECT_LT(map.p50, map.p95);
    // The band of a steady patient holds the pressure it was measured at.
    EXPECT_LT(map.p05, 80.0 * ptwin::units::kPaPerMmHg);
    EXPECT_GT(map.p95, 80.0 * ptwin::units::kPaPerMmHg);
    // Medians: MAP = SVR x CO + CVP holds exactly (the state is ln SVR, ln CO).
    EXPECT_NEAR(
        p.systemic_vascular_resistance_pa_s_per_m3.p50 * p.cardiac_output_m3_per_s.p50 + cvp,
        map.p50, 1e-9 * map.p50);
  }
  EXPECT_FALSE(stage.estimates("p2", kStart, kStart + 1h));
  EXPECT_FALSE(stage.find("p2"));
  EXPECT_EQ(stage.find("p1")->assimilated, 20U);
}

}  // namespace
