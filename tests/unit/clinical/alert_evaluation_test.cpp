// SPDX-License-Identifier: Apache-2.0
// Alert evaluation: counting and lead times on a hand-made record. The policy against the naive
// rule on the twin cohort is tests/integration/clinical/hypotension_alert_study_test.cpp.

#include "ptwin/clinical/alerts/alert_evaluation.hpp"

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
  ASSERT_EQ(evaluation.alerts_by_rule.size(), 1U);
  EXPECT_EQ(evaluation.alerts_by_rule.at("naive"), 3U);
  EXPECT_DOUBLE_EQ(evaluation.patient_days, 0.5);
  EXPECT_DOUBLE_EQ(evaluation.alerts_per_patient_day, 6.0);
  EXPECT_EQ(evaluation.events, 3U);
  EXPECT_EQ(evaluation.detected_events, 2U);  // [60, 90] and [380, 410] hold an alert
  // Lead = onset - earliest alert in the window: 90 - 60 = 30 min, 410 - 400 = 10 min.
  ASSERT_EQ(evaluation.lead_times.size(), 2U);
  EXPECT_EQ(evaluation.lead_times[0], 30min);
  EXPECT_EQ(evaluation.lead_times[1], 10min);
  EXPECT_EQ(evaluation.median_lead_time, 20min);
  NaiveThresholdRule again("naive", "risk", AlertDirection::Above, 0.5);
  EXPECT_EQ(evaluate_alerts(again, records, 5min).detected_events, 0U);
}

}  // namespace
}  // namespace ptwin::clinical::alerts
