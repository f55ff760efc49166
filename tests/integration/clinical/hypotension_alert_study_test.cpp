// SPDX-License-Identifier: Apache-2.0
// The alert study on a small seeded twin cohort (clinical/alerts/hypotension_alert_study.hpp):
// the live twin's risk is computed for every patient, the policy's rule is chosen on the even
// patients and every count is checked for consistency on the odd ones: events conserved between
// the ground truth and every alert source, sensitivity and lead times within their ranges, the
// equal-sensitivity match being the cheapest naive threshold that is at least as sensitive,
// and the alert counts reproduced by replaying the chosen rule directly. The figures are
// printed, not asserted: the goal (ratio <= 0.5) is reported by `ptwin vv alerts` on a larger
// cohort (docs/clinical.md#alerts-on-the-twin-cohort).

#include <gtest/gtest.h>

#include <cstdio>
#include <vector>

#include "ptwin/clinical/alerts/alert_policy.hpp"
#include "ptwin/clinical/alerts/hypotension_alert_study.hpp"
#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "ptwin/vv/metrics/event_intervals.hpp"

namespace ptwin::clinical::alerts {
namespace {

using namespace std::chrono_literals;

std::vector<twin::cohort::SyntheticPatient> small_cohort() {
  twin::cohort::CohortSettings settings;
  settings.patients = 16;
  settings.duration = std::chrono::hours(4);
  settings.episodes_per_hour = 0.6;  // enough events in a small cohort
  settings.seed = 11;
  std::printf("cohort: 16 patients x 4 h, 0.6 episodes/h, seed %llu\n",
              static_cast<unsigned long long>(settings.seed));
  return twin::cohort::generate_hypotension_cohort(settings);
}

std::size_t independent_event_count(const twin::cohort::SyntheticPatient& patient) {
  std::vector<vv::TimedValue> map;
  for (const auto& s : patient.samples) map.push_back({s.time, s.mean_arterial_pressure_pa});
  return vv::find_sustained_runs_below(map, vv::hypotension_event_definition()).size();
}

void expect_consistent(const AlertEvaluation& e, std::size_t events,
                       std::chrono::nanoseconds lead_window, const char* what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(e.events, events) << "every source is judged on the same events";
  EXPECT_LE(e.detected_events, e.events);
  EXPECT_GE(e.sensitivity, 0.0);
  EXPECT_LE(e.sensitivity, 1.0);
  EXPECT_DOUBLE_EQ(e.sensitivity, static_cast<double>(e.detected_events) / static_cast<double>(events));
  ASSERT_EQ(e.lead_times.size(), e.detected_events);
  for (const auto lead : e.lead_times) {
    EXPECT_GE(lead.count(), 0);
    EXPECT_LE(lead, lead_window);
  }
  EXPECT_EQ(e.median_lead_time.has_value(), e.detected_events > 0);
  EXPECT_DOUBLE_EQ(e.alerts_per_patient_day, static_cast<double>(e.alerts) / e.patient_days);
}

void check_counts(bool try_map_backstop) {
  const auto cohort = small_cohort();
  HypotensionAlertStudySettings settings;
  settings.candidates.try_map_backstop = try_map_backstop;
  const HypotensionAlertStudy study = run_hypotension_alert_study(cohort, settings);
  ASSERT_EQ(study.training_patients, 8U);
  ASSERT_EQ(study.test_patients, 8U);
  std::size_t test_events = 0;
  std::vector<twin::cohort::SyntheticPatient> test;
  for (std::size_t p = 1; p < cohort.size(); p += 2) {
    test_events += independent_event_count(cohort[p]);
    test.push_back(cohort[p]);
  }
  ASSERT_GT(test_events, 0U) << "the seeded cohort must contain events to be a test";
  const auto window = settings.lead_window;
  expect_consistent(study.test.policy, test_events, window, "policy");
  expect_consistent(study.test_naive_reference, test_events, window, "naive at 65 mmHg");
  for (const auto& [threshold, e] : study.test.sweep) expect_consistent(e, test_events, window, "sweep");
  // The naive rule at the event threshold raises at the first sample below it, which is the
  // onset of every event: it detects all of them (lead 0 at the least).
  EXPECT_DOUBLE_EQ(study.test_naive_reference.sensitivity, 1.0);

  // Equal-sensitivity matching: at least as sensitive, and no sensitive-enough threshold is
  // cheaper.
  ASSERT_TRUE(study.test.is_matched);
  EXPECT_GE(study.test.naive.sensitivity, study.test.policy.sensitivity);
  for (const auto& [threshold, e] : study.test.sweep) {
    if (e.sensitivity >= study.test.policy.sensitivity) {
      EXPECT_GE(e.alerts, study.test.naive.alerts);
    }
  }
  EXPECT_DOUBLE_EQ(study.test.alert_ratio, static_cast<double>(study.test.policy.alerts) /
                                               static_cast<double>(study.test.naive.alerts));

  // The chosen rule, replayed directly on the test records, sends the alerts counted.
  const auto records = hypotension_alert_records(test, settings.records);
  AlertPolicy policy(study.rules);
  std::vector<AlertNotification> out;
  std::size_t map_samples = 0, cohort_samples = 0;
  for (const auto& record : records) {
    for (const auto& sample : record.samples) {
      map_samples += sample.signal == kMapSignal ? 1 : 0;
      policy.observe(sample, out);
    }
  }
  for (const auto& patient : test) cohort_samples += patient.samples.size();
  EXPECT_EQ(map_samples, cohort_samples) << "every measured MAP reaches the alert layer";
  const bool has_backstop = study.rules.size() == 2;
  if (!try_map_backstop) {
    EXPECT_FALSE(has_backstop);
  }
  EXPECT_EQ(policy.unwatched_samples(), has_backstop ? 0U : map_samples)
      << "the policy watches the risk, and the MAP only through its backstop";
  std::size_t interruptions = 0;
  for (const auto& n : out) interruptions += is_interruption(n.kind) ? 1 : 0;
  EXPECT_EQ(interruptions, study.test.policy.alerts);

  std::printf("rule: raise %.2f clear %.2f minimum %lld s, MAP backstop %s (training "
              "sensitivity %.3f, target %.3f)\npolicy %zu alerts (%.1f per patient-day), sensitivity %.3f; naive at 65 "
              "mmHg %zu alerts (%.1f), sensitivity %.3f; naive at equal sensitivity (%.1f mmHg) "
              "%zu alerts; ratio %.3f\n",
              study.rules[0].raise_threshold, study.rules[0].clear_threshold,
              static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(study.rules[0].minimum_duration).count()),
              has_backstop ? "yes" : "no",
              study.training_policy.sensitivity, study.target_sensitivity, study.test.policy.alerts,
              study.test.policy.alerts_per_patient_day, study.test.policy.sensitivity,
              study.test_naive_reference.alerts, study.test_naive_reference.alerts_per_patient_day,
              study.test_naive_reference.sensitivity, study.test.naive_threshold / units::kPaPerMmHg,
              study.test.naive.alerts, study.test.alert_ratio);
}

TEST(HypotensionAlertStudy, CountsAreConsistentOnASmallSeededCohort) { check_counts(false); }

TEST(HypotensionAlertStudy, CountsAreConsistentWithTheMapBackstopCandidates) {
  check_counts(true);
}

TEST(HypotensionAlertStudy, RefusesACohortTooSmallToSplit) {
  const auto cohort = small_cohort();
  const std::vector<twin::cohort::SyntheticPatient> one{cohort.front()};
  try {
    (void)run_hypotension_alert_study(one, {});
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), "cohort");
    EXPECT_EQ(error.value(), "1 patients");
  }
}

}  // namespace
}  // namespace ptwin::clinical::alerts
