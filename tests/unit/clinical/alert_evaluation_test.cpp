// SPDX-License-Identifier: Apache-2.0
// Alert evaluation: counting on a hand-made record, and the anti-fatigue policy against the
// naive threshold rule on the synthetic MAP series (generation rules in
// src/ptwin/clinical/alerts/synthetic_map_series.hpp, seed printed below).

#include "ptwin/clinical/alerts/alert_evaluation.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "ptwin/clinical/alerts/naive_threshold_rule.hpp"
#include "ptwin/clinical/alerts/synthetic_map_series.hpp"
#include "ptwin/core/units.hpp"
#include "unit/clinical/alert_test_support.hpp"

namespace ptwin::clinical::alerts {
namespace {

using namespace std::chrono_literals;
using testing::at_minute;
using testing::risk;

TEST(AlertEvaluation, CountsAlertsPerPatientDayAndEventsWarnedWithinTheLeadWindow) {
  // One patient over 12 h (half a day); naive alerts at 60, 200 and 400 min.
  PatientRecord record{"p1", {}, {}};
  for (int minute = 0; minute <= 720; minute += 10) {
    const bool is_high = minute == 60 || minute == 200 || minute == 400;
    record.samples.push_back(risk(minute, is_high ? 0.9 : 0.1));
  }
  // Onsets 30 min after the first alert (warned), 10 min after the third but with a 5 min
  // lead window nothing is early enough, and one event with no alert before it.
  record.events = {{at_minute(90), at_minute(100)}, {at_minute(410), at_minute(420)},
                   {at_minute(700), at_minute(710)}};
  NaiveThresholdRule naive("naive", "risk", AlertDirection::Above, 0.5);
  const std::vector<PatientRecord> records{record};
  const auto evaluation = evaluate_alerts(naive, records, 30min);
  EXPECT_EQ(evaluation.alerts, 3U);
  EXPECT_DOUBLE_EQ(evaluation.patient_days, 0.5);
  EXPECT_DOUBLE_EQ(evaluation.alerts_per_patient_day, 6.0);
  EXPECT_EQ(evaluation.events, 3U);
  EXPECT_EQ(evaluation.detected_events, 2U);  // [60, 90] and [380, 410] hold an alert
  NaiveThresholdRule again("naive", "risk", AlertDirection::Above, 0.5);
  EXPECT_EQ(evaluate_alerts(again, records, 5min).detected_events, 0U);
}

TEST(AlertEvaluation, PolicyNeedsAtMostHalfTheNaiveAlertsAtEqualSensitivity) {
  SyntheticMapSettings settings;  // 20 patients x 24 h, 1 event + 2 dips each
  settings.seed = 20261124;
  const auto records = synthetic_map_records(settings);
  const AlertRule hypotension{.name = "hypotension",
                              .signal = "map",
                              .direction = AlertDirection::Below,
                              .raise_threshold = 65.0 * units::kPaPerMmHg,
                              .clear_threshold = 72.0 * units::kPaPerMmHg,
                              .minimum_duration = 5min,
                              .snooze = 30min,
                              .worsening_margin = std::nullopt,
                              .escalate_after = std::nullopt,
                              .max_level = 3};
  NaiveThresholdSweep naive{.signal = "map", .direction = AlertDirection::Below, .thresholds = {}};
  for (int mmhg = 50; mmhg <= 70; ++mmhg) naive.thresholds.push_back(mmhg * units::kPaPerMmHg);
  const auto comparison = compare_at_equal_sensitivity({hypotension}, naive, records, 60min);
  std::printf("seed %llu: policy %zu alerts (%.2f per patient-day), sensitivity %.3f; naive at "
              "%.0f mmHg %zu alerts (%.2f per patient-day), sensitivity %.3f; ratio %.3f\n",
              static_cast<unsigned long long>(settings.seed), comparison.policy.alerts,
              comparison.policy.alerts_per_patient_day, comparison.policy.sensitivity,
              comparison.naive_threshold / units::kPaPerMmHg, comparison.naive.alerts,
              comparison.naive.alerts_per_patient_day, comparison.naive.sensitivity,
              comparison.alert_ratio);
  EXPECT_EQ(comparison.policy.events, 20U);
  EXPECT_GE(comparison.policy.sensitivity, 0.9) << "the policy must still warn of events";
  ASSERT_TRUE(comparison.is_matched) << "no naive threshold reached the policy's sensitivity";
  EXPECT_GE(comparison.naive.sensitivity, comparison.policy.sensitivity);
  EXPECT_LE(comparison.alert_ratio, 0.5);
}

}  // namespace
}  // namespace ptwin::clinical::alerts
