// SPDX-License-Identifier: Apache-2.0
// The twin's stage in `ptwin serve`: per-patient twins fed by stored samples, with artefacts,
// late samples and cardiac outputs before the first MAP handled as documented, and a risk that
// rises while MAP falls.
#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/units.hpp"
#include "ptwin/twin/live/hypotension_risk_stage.hpp"

namespace {

using namespace std::chrono_literals;
using ptwin::Sample;
using ptwin::SampleQuality;

const ptwin::time::Instant kStart = ptwin::time::from_epoch_ms(1'767'225'600'000);

Sample map_sample(const std::string& patient, std::chrono::seconds at, double mmhg,
                  SampleQuality quality = SampleQuality::Good) {
  return Sample{patient, "8478-0", mmhg * ptwin::units::kPaPerMmHg, "mm[Hg]", kStart + at, "test",
                quality};
}

void publish(ptwin::twin::live::HypotensionRiskStage& stage, const std::vector<Sample>& samples) {
  stage.on_stored({.feed = "mqtt", .samples = samples, .received_at = kStart, .stored_at = kStart});
}

TEST(HypotensionRiskStage, KeepsOneTwinPerPatientAndItsRiskRisesAsMapFalls) {
  ptwin::twin::live::HypotensionRiskStage stage;
  // p1: steady at 85 mmHg for 10 min, then falling 2 mmHg/min for 8 min; p2: steady at 90.
  std::vector<Sample> batch;
  for (int s = 0; s <= 600; s += 10) batch.push_back(map_sample("p1", std::chrono::seconds(s), 85.0));
  for (int s = 0; s <= 600; s += 10) batch.push_back(map_sample("p2", std::chrono::seconds(s), 90.0));
  publish(stage, batch);
  auto snapshot = stage.snapshot();
  ASSERT_EQ(snapshot.size(), 2u);
  const double steady_risk = snapshot[0].in_15_min.probability;
  EXPECT_EQ(snapshot[0].patient_id, "p1");
  EXPECT_EQ(snapshot[0].assimilated, 61u);
  EXPECT_LT(steady_risk, 0.05);
  for (int s = 610; s <= 1080; s += 10) {
    publish(stage, {map_sample("p1", std::chrono::seconds(s), 85.0 - 2.0 * (s - 600) / 60.0)});
  }
  snapshot = stage.snapshot();
  EXPECT_GT(snapshot[0].in_15_min.probability, 0.5);  // at 69 mmHg and falling
  EXPECT_GT(snapshot[0].in_15_min.probability, snapshot[0].in_5_min.probability);
  EXPECT_LT(snapshot[0].in_15_min.mean_arterial_pressure_pa.p50, 69.0 * ptwin::units::kPaPerMmHg);
  EXPECT_LT(snapshot[1].in_15_min.probability, 0.05);
  EXPECT_EQ(stage.inference_latency().count, 1u + 48u);
}

TEST(HypotensionRiskStage, ArtefactsLateSamplesAndEarlyCardiacOutputAreCountedNotUsed) {
  ptwin::twin::live::HypotensionRiskStage stage;
  Sample co{"p1", "8741-1", 5.0e-3 / 60.0, "L/min", kStart, "test", SampleQuality::Good};
  publish(stage, {co});  // before any MAP: no twin yet
  EXPECT_TRUE(stage.snapshot().empty());
  publish(stage, {map_sample("p1", 10s, 80.0), map_sample("p1", 20s, 300.0, SampleQuality::Artefact)});
  publish(stage, {map_sample("p1", 30s, 80.0)});
  publish(stage, {map_sample("p1", 25s, 80.0)});   // older than the twin: refused
  publish(stage, {map_sample("p1", 40s, 300.0)});  // a line flush not flagged: gated
  const auto p1 = stage.snapshot().at(0);
  EXPECT_EQ(p1.waiting, 1u);
  EXPECT_EQ(p1.assimilated, 2u);
  EXPECT_EQ(p1.refused, 2u);
  EXPECT_EQ(p1.gated, 1u);
  EXPECT_EQ(p1.updated_to, kStart + 40s);
}

TEST(HypotensionRiskStage, SamplesOfOtherQuantitiesAreIgnored) {
  ptwin::twin::live::HypotensionRiskStage stage;
  publish(stage, {Sample{"p1", "8867-4", 1.2, "/min", kStart, "test", SampleQuality::Good}});
  EXPECT_TRUE(stage.snapshot().empty());
  EXPECT_EQ(stage.inference_latency().count, 0u);
}

}  // namespace
