// SPDX-License-Identifier: Apache-2.0
// Bad alert configuration and bad samples are refused with errors naming the field.

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <string>

#include "ptwin/clinical/alerts/alert_policy.hpp"
#include "ptwin/core/error.hpp"
#include "unit/clinical/alert_test_support.hpp"

namespace ptwin::clinical::alerts {
namespace {

using namespace std::chrono_literals;
using testing::feed;
using testing::risk;
using testing::risk_rule;

void expect_input_error(const std::function<void()>& action, const std::string& where,
                        const std::string& value_part) {
  try {
    action();
    ADD_FAILURE() << "no InputError for " << where;
  } catch (const InputError& error) {
    EXPECT_EQ(error.where(), where) << error.what();
    EXPECT_NE(error.value().find(value_part), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find(where), std::string::npos) << error.what();
  }
}

void expect_rule_error(const std::function<void(AlertRule&)>& spoil, const std::string& where,
                       const std::string& value_part) {
  AlertRule rule = risk_rule();
  spoil(rule);
  expect_input_error([&] { AlertPolicy policy({rule}); }, where, value_part);
}

TEST(AlertRuleConfig, ClearThresholdOnTheWrongSideOfRaiseIsNamed) {
  expect_rule_error([](AlertRule& r) { r.clear_threshold = 0.5; },
                    "alert_rules.risk_high.clear_threshold", "0.5");
  expect_rule_error(
      [](AlertRule& r) {
        r.direction = AlertDirection::Below;  // below: clear must be above raise
      },
      "alert_rules.risk_high.clear_threshold", "0.25");
}

TEST(AlertRuleConfig, DurationsAndLevelsOutOfRangeAreNamed) {
  expect_rule_error([](AlertRule& r) { r.minimum_duration = -1s; },
                    "alert_rules.risk_high.minimum_duration", "-1 s");
  expect_rule_error([](AlertRule& r) { r.snooze = 0s; }, "alert_rules.risk_high.snooze", "0 s");
  expect_rule_error([](AlertRule& r) { r.escalate_after = 0s; },
                    "alert_rules.risk_high.escalate_after", "0 s");
  expect_rule_error([](AlertRule& r) { r.max_level = 0; }, "alert_rules.risk_high.max_level",
                    "0");
  expect_rule_error([](AlertRule& r) { r.worsening_margin = -0.1; },
                    "alert_rules.risk_high.worsening_margin", "-0.1");
  expect_rule_error([](AlertRule& r) { r.raise_threshold = NAN; },
                    "alert_rules.risk_high.raise_threshold", "nan");
}

TEST(AlertRuleConfig, MissingNamesAndDuplicatesAreNamed) {
  AlertRule unnamed = risk_rule();
  unnamed.name.clear();
  expect_input_error([&] { AlertPolicy policy({risk_rule(), unnamed}); }, "alert_rules[1].name",
                     "");
  expect_rule_error([](AlertRule& r) { r.signal.clear(); }, "alert_rules.risk_high.signal", "");
  expect_input_error([] { AlertPolicy policy({risk_rule(), risk_rule()}); },
                     "alert_rules.risk_high", "risk_high");
}

TEST(AlertPolicyInput, NonFiniteValuesAndOutOfOrderSamplesAreRefused) {
  AlertPolicy policy({risk_rule()});
  expect_input_error([&] { (void)feed(policy, {risk(0, NAN)}); }, "sample.value", "nan");
  (void)feed(policy, {risk(5, 0.1)});
  expect_input_error([&] { (void)feed(policy, {risk(4, 0.1)}); }, "sample.time",
                     "2024-05-01T00:04:00Z");
  expect_input_error(
      [&] { (void)policy.acknowledge("p1", "no_such_rule", testing::at_minute(6), "x"); },
      "rule", "no_such_rule");
}

TEST(AlertPolicyInput, UnwatchedSignalsAreCountedNotAlerted) {
  AlertPolicy policy({risk_rule()});
  std::vector<AlertNotification> out;
  policy.observe(SignalSample{testing::at_minute(0), "p1", "heart_rate", 3.0}, out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(policy.unwatched_samples(), 1U);
}

}  // namespace
}  // namespace ptwin::clinical::alerts
