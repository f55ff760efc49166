// SPDX-License-Identifier: Apache-2.0
// The dashboard's alert board: the anti-fatigue policy run on each patient's twin risk, with
// acknowledgements given in the data's time.
#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/server/dashboard/risk_alert_board.hpp"

namespace {

using namespace std::chrono_literals;
using ptwin::Sample;
using ptwin::clinical::alerts::AlertState;
using ptwin::server::dashboard::AlertActionOutcome;
using ptwin::server::dashboard::RiskAlertBoard;

const ptwin::time::Instant kStart = ptwin::time::from_epoch_ms(1'767'225'600'000);

class RiskAlertBoardTest : public ::testing::Test {
 protected:
  // One batch per minute of 10-s MAP samples: minute m at map(m) mmHg.
  void minute(int m, double mmhg, std::string_view code = "8478-0") {
    std::vector<Sample> batch;
    for (int k = 0; k < 6; ++k) {
      batch.push_back(Sample{"p1", std::string(code), mmhg * ptwin::units::kPaPerMmHg, "mm[Hg]",
                             kStart + std::chrono::seconds(60 * m + 10 * k), "test",
                             ptwin::SampleQuality::Good});
    }
    const ptwin::ingest::stream::StoredSamples stored{
        .feed = "mqtt", .samples = batch, .received_at = kStart, .stored_at = kStart};
    stage_.on_stored(stored);
    board_.on_stored(stored);
  }

  ptwin::twin::live::HypotensionRiskStage stage_;
  ptwin::time::ManualClock clock_{kStart + 1h};
  RiskAlertBoard board_{stage_, RiskAlertBoard::default_rules(), clock_};
};

TEST_F(RiskAlertBoardTest, AFallingPressureRaisesOneAlertThatAcknowledgeSnoozes) {
  for (int m = 0; m < 4; ++m) minute(m, 82.0);
  EXPECT_TRUE(board_.alerts().empty());
  for (int m = 4; m < 14; ++m) minute(m, 82.0 - 2.4 * (m - 4));
  const auto alerts = board_.alerts();
  ASSERT_EQ(alerts.size(), 1U);
  const auto& alert = alerts.front();
  EXPECT_EQ(alert.patient, "p1");
  EXPECT_EQ(alert.rule, "hypotension_risk_15m");
  EXPECT_EQ(alert.state, AlertState::Open);
  EXPECT_EQ(alert.last_event, "raised");
  EXPECT_GE(alert.value, 0.5);
  EXPECT_EQ(alert.value, stage_.find("p1")->in_15_min.probability);

  EXPECT_EQ(board_.acknowledge(alert.id, "nurse-3"), AlertActionOutcome::Done);
  const auto acknowledged = *board_.find(alert.id);
  EXPECT_EQ(acknowledged.state, AlertState::Snoozed);
  EXPECT_EQ(acknowledged.acknowledged_by, "nurse-3");
  EXPECT_EQ(acknowledged.acknowledged_at, clock_.now());  // the click, on the wall clock
  // The snooze runs in the data's time: 30 min from the patient's latest sample.
  EXPECT_EQ(acknowledged.snoozed_until, stage_.find("p1")->updated_to + 30min);
  EXPECT_EQ(board_.acknowledge(alert.id, "nurse-3"), AlertActionOutcome::NotOpen);
  EXPECT_EQ(board_.acknowledge(alert.id + 1, "nurse-3"), AlertActionOutcome::NotFound);
}

TEST_F(RiskAlertBoardTest, ASnoozeMustBePositiveAndBatchesWithoutTwinInputAreIgnored) {
  for (int m = 0; m < 14; ++m) minute(m, m < 4 ? 82.0 : 82.0 - 2.4 * (m - 4));
  const auto id = board_.alerts().at(0).id;
  try {
    (void)board_.acknowledge(id, "nurse-3", 0min);
    FAIL() << "a zero snooze was accepted";
  } catch (const ptwin::InputError& e) {
    EXPECT_EQ(e.where(), "snooze");
  }
  EXPECT_EQ(board_.find(id)->state, AlertState::Open);
  minute(14, 70.0, "8867-4");  // heart rates do not move the twin: nothing is fed
  EXPECT_EQ(board_.find(id)->changed_at, board_.alerts().at(0).changed_at);
  EXPECT_EQ(board_.acknowledge(id, "nurse-3", 5min), AlertActionOutcome::Done);
  EXPECT_EQ(board_.find(id)->snoozed_until, stage_.find("p1")->updated_to + 5min);
}

TEST_F(RiskAlertBoardTest, RecoveryClearsTheAlert) {
  for (int m = 0; m < 14; ++m) minute(m, m < 4 ? 82.0 : 82.0 - 2.4 * (m - 4));
  for (int m = 14; m < 40; ++m) minute(m, 85.0);
  const auto alerts = board_.alerts();
  ASSERT_EQ(alerts.size(), 1U);
  EXPECT_EQ(alerts[0].state, AlertState::Idle);
  EXPECT_EQ(alerts[0].last_event, "cleared");
  EXPECT_LT(alerts[0].value, 0.3);
  EXPECT_EQ(board_.acknowledge(alerts[0].id, "nurse-3"), AlertActionOutcome::NotOpen);
}

}  // namespace
