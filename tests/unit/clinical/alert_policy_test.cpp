// SPDX-License-Identifier: Apache-2.0
// AlertPolicy: thresholds at their boundaries, hysteresis, minimum duration, de-duplication,
// snooze, escalation, and the audit trail.

#include "ptwin/clinical/alerts/alert_policy.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "ptwin/clinical/alerts/naive_threshold_rule.hpp"
#include "ptwin/core/units.hpp"
#include "unit/clinical/alert_test_support.hpp"

namespace ptwin::clinical::alerts {
namespace {

using namespace std::chrono_literals;
using testing::at_minute;
using testing::feed;
using testing::risk;
using testing::risk_rule;

TEST(AlertPolicy, RaisesAtExactlyTheRaiseThresholdAndNotJustBelow) {
  AlertPolicy policy({risk_rule()});
  EXPECT_TRUE(feed(policy, {risk(0, 0.4999999)}).empty());
  const auto out = feed(policy, {risk(1, 0.5)});
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].kind, NotificationKind::Raised);
  EXPECT_EQ(out[0].time, at_minute(1));
  EXPECT_EQ(out[0].level, 1);
  EXPECT_EQ(policy.state("p1", "risk_high"), AlertState::Open);
}

TEST(AlertPolicy, BelowRuleRaisesAtExactlyItsThresholdInPascal) {
  AlertRule rule;
  rule.name = "hypotension";
  rule.signal = "map";
  rule.direction = AlertDirection::Below;
  rule.raise_threshold = 65.0 * units::kPaPerMmHg;
  rule.clear_threshold = 70.0 * units::kPaPerMmHg;
  AlertPolicy policy({rule});
  const auto map = [](double minute, double mmhg) {
    return SignalSample{at_minute(minute), "p1", "map", mmhg * units::kPaPerMmHg};
  };
  EXPECT_TRUE(feed(policy, {map(0, 65.01)}).empty());
  ASSERT_EQ(feed(policy, {map(1, 65.0)}).size(), 1U);
  EXPECT_TRUE(feed(policy, {map(2, 69.99)}).empty()) << "inside the band: still open";
  const auto cleared = feed(policy, {map(3, 70.0)});
  ASSERT_EQ(cleared.size(), 1U);
  EXPECT_EQ(cleared[0].kind, NotificationKind::Cleared);
}

TEST(AlertPolicy, ClearsAtExactlyTheClearThresholdNotInsideTheBand) {
  AlertPolicy policy({risk_rule()});
  (void)feed(policy, {risk(0, 0.75)});
  EXPECT_TRUE(feed(policy, {risk(1, 0.375), risk(2, 0.2500001)}).empty());
  EXPECT_EQ(policy.state("p1", "risk_high"), AlertState::Open);
  const auto out = feed(policy, {risk(3, 0.25)});
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].kind, NotificationKind::Cleared);
  EXPECT_EQ(policy.state("p1", "risk_high"), AlertState::Idle);
  EXPECT_EQ(policy.level("p1", "risk_high"), 0);
}

TEST(AlertPolicy, HysteresisKeepsOneAlertWhereTheNaiveRuleFlaps) {
  std::vector<SignalSample> samples;
  for (int i = 0; i < 20; ++i) samples.push_back(risk(i, i % 2 == 0 ? 0.55 : 0.45));
  AlertPolicy policy({risk_rule()});
  NaiveThresholdRule naive("naive", "risk", AlertDirection::Above, 0.5);
  EXPECT_EQ(feed(policy, samples).size(), 1U);
  EXPECT_EQ(feed(naive, samples).size(), 10U);
}

TEST(AlertPolicy, RaisesOnlyAfterTheMinimumDurationInBreach) {
  AlertRule rule = risk_rule();
  rule.minimum_duration = 5min;
  AlertPolicy policy({rule});
  EXPECT_TRUE(feed(policy, {risk(0, 0.6), risk(1, 0.6), risk(4, 0.6)}).empty());
  EXPECT_EQ(policy.state("p1", "risk_high"), AlertState::Pending);
  const auto out = feed(policy, {risk(5, 0.6)});
  ASSERT_EQ(out.size(), 1U) << "due exactly 5 min after the breach began";
  EXPECT_EQ(out[0].time, at_minute(5));
}

TEST(AlertPolicy, LeavingBreachBeforeTheMinimumDurationRestartsTheClock) {
  AlertRule rule = risk_rule();
  rule.minimum_duration = 5min;
  AlertPolicy policy({rule});
  // In breach 0-3, out at 4 (inside the band), back in at 5: the clock restarts at 5.
  EXPECT_TRUE(feed(policy, {risk(0, 0.6), risk(3, 0.6), risk(4, 0.4), risk(5, 0.6),
                            risk(9, 0.6)})
                  .empty());
  EXPECT_EQ(feed(policy, {risk(10, 0.6)}).size(), 1U);
}

TEST(AlertPolicy, KeepsOneOpenAlertPerPatientAndRule) {
  AlertRule second = risk_rule();
  second.name = "risk_very_high";
  second.raise_threshold = 0.75;
  AlertPolicy policy({risk_rule(), second});
  const auto out = feed(policy, {risk(0, 0.6), risk(1, 0.7), risk(2, 0.8), risk(3, 0.9),
                                 risk(4, 0.6, "p2"), risk(5, 0.9, "p2")});
  // p1: one per rule; p2: one per rule.
  ASSERT_EQ(out.size(), 4U);
  EXPECT_EQ(out[0].rule, "risk_high");
  EXPECT_EQ(out[1].rule, "risk_very_high");
  EXPECT_EQ(out[2].patient, "p2");
  EXPECT_NE(out[0].alert_id, out[2].alert_id);
}

TEST(AlertPolicy, SnoozedAlertReraisesWhenTheSnoozeEndsStillInBreach) {
  AlertPolicy policy({risk_rule()});
  (void)feed(policy, {risk(0, 0.6)});
  ASSERT_EQ(policy.acknowledge("p1", "risk_high", at_minute(1), "nurse-7", 30min),
            AcknowledgeOutcome::Acknowledged);
  EXPECT_EQ(policy.state("p1", "risk_high"), AlertState::Snoozed);
  EXPECT_TRUE(feed(policy, {risk(10, 0.9), risk(30.99, 0.6)}).empty())
      << "no worsening margin: quiet for the whole snooze";
  const auto out = feed(policy, {risk(31, 0.6)});
  ASSERT_EQ(out.size(), 1U) << "snooze ends exactly 30 min after the acknowledgement";
  EXPECT_EQ(out[0].kind, NotificationKind::Reraised);
  EXPECT_EQ(policy.state("p1", "risk_high"), AlertState::Open);
}

TEST(AlertPolicy, SnoozeEndingInsideTheBandWaitsForBreachOrClear) {
  AlertPolicy policy({risk_rule()});
  (void)feed(policy, {risk(0, 0.6)});
  ASSERT_EQ(policy.acknowledge("p1", "risk_high", at_minute(0), "nurse-7", 10min),
            AcknowledgeOutcome::Acknowledged);
  EXPECT_TRUE(feed(policy, {risk(15, 0.375)}).empty());
  EXPECT_EQ(policy.state("p1", "risk_high"), AlertState::Snoozed);
  EXPECT_EQ(feed(policy, {risk(16, 0.5)}).size(), 1U);
}

TEST(AlertPolicy, SnoozedAlertReraisesEarlyOnlyWhenWorseByTheMargin) {
  AlertRule rule = risk_rule();
  rule.worsening_margin = 0.125;
  AlertPolicy policy({rule});
  (void)feed(policy, {risk(0, 0.625)});
  ASSERT_EQ(policy.acknowledge("p1", "risk_high", at_minute(1), "nurse-7"),
            AcknowledgeOutcome::Acknowledged);
  EXPECT_TRUE(feed(policy, {risk(2, 0.7499)}).empty());
  const auto out = feed(policy, {risk(3, 0.75)});
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].kind, NotificationKind::Reraised);
  EXPECT_EQ(out[0].alert_id, 1U) << "the same alert, not a new one";
}

TEST(AlertPolicy, ClearingDuringASnoozeEndsTheAlert) {
  AlertPolicy policy({risk_rule()});
  (void)feed(policy, {risk(0, 0.6)});
  ASSERT_EQ(policy.acknowledge("p1", "risk_high", at_minute(1), "nurse-7"),
            AcknowledgeOutcome::Acknowledged);
  const auto out = feed(policy, {risk(2, 0.25)});
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].kind, NotificationKind::Cleared);
  const auto again = feed(policy, {risk(3, 0.5)});
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(again[0].kind, NotificationKind::Raised);
  EXPECT_EQ(again[0].alert_id, 2U);
}

TEST(AlertPolicy, AcknowledgingWithNoOpenAlertSaysSo) {
  AlertPolicy policy({risk_rule()});
  EXPECT_EQ(policy.acknowledge("p1", "risk_high", at_minute(0), "nurse-7"),
            AcknowledgeOutcome::NoOpenAlert);
  (void)feed(policy, {risk(0, 0.6)});
  ASSERT_EQ(policy.acknowledge("p1", "risk_high", at_minute(1), "nurse-7"),
            AcknowledgeOutcome::Acknowledged);
  EXPECT_EQ(policy.acknowledge("p1", "risk_high", at_minute(2), "nurse-7"),
            AcknowledgeOutcome::NoOpenAlert);
}

TEST(AlertPolicy, UnacknowledgedAlertEscalatesEveryIntervalUpToMaxLevel) {
  AlertRule rule = risk_rule();
  rule.escalate_after = 10min;
  rule.max_level = 3;
  AlertPolicy policy({rule});
  (void)feed(policy, {risk(0, 0.6)});
  EXPECT_TRUE(feed(policy, {risk(9.99, 0.6)}).empty());
  auto out = feed(policy, {risk(10, 0.6)});
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].kind, NotificationKind::Escalated);
  EXPECT_EQ(out[0].level, 2);
  // Sparse data: the next sample comes at 25 min; level 3 was due at 20 min.
  out = feed(policy, {risk(25, 0.6)});
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].level, 3);
  EXPECT_TRUE(feed(policy, {risk(60, 0.6)}).empty()) << "max_level reached";
  EXPECT_EQ(policy.level("p1", "risk_high"), 3);
}

TEST(AlertPolicy, TickEscalatesWithoutSamplesAndAcknowledgedAlertsDoNotEscalate) {
  AlertRule rule = risk_rule();
  rule.escalate_after = 10min;
  AlertPolicy policy({rule});
  (void)feed(policy, {risk(0, 0.6), risk(0, 0.6, "p2")});
  ASSERT_EQ(policy.acknowledge("p2", "risk_high", at_minute(1), "nurse-7", 60min),
            AcknowledgeOutcome::Acknowledged);
  std::vector<AlertNotification> out;
  policy.tick(at_minute(10), out);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(out[0].patient, "p1");
  EXPECT_EQ(out[0].kind, NotificationKind::Escalated);
  out.clear();
  policy.tick(at_minute(61), out);  // p2's snooze is over, its last value still in breach
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(policy.state("p2", "risk_high"), AlertState::Open);
}

TEST(AlertPolicy, AuditsEveryStateChangeWithItsReason) {
  AlertRule rule = risk_rule();
  rule.minimum_duration = 2min;
  AlertPolicy policy({rule});
  (void)feed(policy, {risk(0, 0.6), risk(2, 0.6)});
  ASSERT_EQ(policy.acknowledge("p1", "risk_high", at_minute(3), "nurse-7", 5min),
            AcknowledgeOutcome::Acknowledged);
  (void)feed(policy, {risk(8, 0.6), risk(9, 0.125)});
  const auto& audit = policy.audit_trail();
  const std::vector<std::pair<AlertState, AlertState>> expected{
      {AlertState::Idle, AlertState::Pending},
      {AlertState::Pending, AlertState::Open},
      {AlertState::Open, AlertState::Snoozed},
      {AlertState::Snoozed, AlertState::Open},
      {AlertState::Open, AlertState::Idle}};
  ASSERT_EQ(audit.size(), expected.size());
  const char* keywords[] = {"raise threshold", "minimum", "nurse-7", "snooze ended",
                            "clear threshold"};
  for (std::size_t i = 0; i < audit.size(); ++i) {
    EXPECT_EQ(audit[i].from, expected[i].first) << i;
    EXPECT_EQ(audit[i].to, expected[i].second) << i;
    EXPECT_EQ(audit[i].patient, "p1");
    EXPECT_NE(audit[i].reason.find(keywords[i]), std::string::npos) << audit[i].reason;
  }
  EXPECT_EQ(audit[2].time, at_minute(3));
  EXPECT_EQ(policy.take_audit_trail().size(), 5U);
  EXPECT_TRUE(policy.audit_trail().empty());
}

TEST(NaiveThresholdRule, AlertsAtEveryCrossingIncludingTheFirstSample) {
  NaiveThresholdRule naive("naive", "risk", AlertDirection::Above, 0.5);
  const auto out = feed(naive, {risk(0, 0.5), risk(1, 0.6), risk(2, 0.49), risk(3, 0.5),
                                risk(4, 0.1), risk(5, 0.2)});
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0].time, at_minute(0));
  EXPECT_EQ(out[1].time, at_minute(3));
}

}  // namespace
}  // namespace ptwin::clinical::alerts
