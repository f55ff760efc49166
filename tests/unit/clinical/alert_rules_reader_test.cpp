// SPDX-License-Identifier: Apache-2.0
// Alert rules read from JSON: units converted to SI, defaults, and the bad-input corpus
// tests/data/bad_inputs/alert_rules/ (one thing wrong per file, message fragments in .expect).

#include "ptwin/clinical/alerts/alert_rules_reader.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "ptwin/core/error.hpp"
#include "ptwin/core/units.hpp"
#include "support/bad_input_corpus.hpp"

namespace ptwin::clinical::alerts {
namespace {

using namespace std::chrono_literals;

TEST(AlertRulesReader, ReadsQuantitiesInSiAndKeepsDefaults) {
  const auto rules = read_alert_rules(R"({"alert_rules": [
      {"name": "hypotension", "signal": "map", "direction": "below",
       "raise_threshold": "65 mm[Hg]", "clear_threshold": "9.6 kPa",
       "minimum_duration": "90 s", "snooze": "0.5 h", "worsening_margin": "5 mm[Hg]",
       "escalate_after": "10 min", "max_level": 2},
      {"name": "deterioration", "signal": "risk", "direction": "above",
       "raise_threshold": 0.8, "clear_threshold": "60 %"}]})",
                                      "rules.json");
  ASSERT_EQ(rules.size(), 2U);
  const AlertRule& map = rules[0];
  EXPECT_EQ(map.direction, AlertDirection::Below);
  EXPECT_DOUBLE_EQ(map.raise_threshold, 65.0 * units::kPaPerMmHg);
  EXPECT_DOUBLE_EQ(map.clear_threshold, 9600.0);
  EXPECT_EQ(map.minimum_duration, 90s);
  EXPECT_EQ(map.snooze, 30min);
  EXPECT_DOUBLE_EQ(*map.worsening_margin, 5.0 * units::kPaPerMmHg);
  EXPECT_EQ(*map.escalate_after, 10min);
  EXPECT_EQ(map.max_level, 2);
  const AlertRule& risk = rules[1];
  EXPECT_EQ(risk.direction, AlertDirection::Above);
  EXPECT_DOUBLE_EQ(risk.raise_threshold, 0.8);
  EXPECT_DOUBLE_EQ(risk.clear_threshold, 0.6);
  EXPECT_EQ(risk.minimum_duration, 0s);
  EXPECT_EQ(risk.snooze, AlertRule{}.snooze);
  EXPECT_FALSE(risk.worsening_margin.has_value());
  EXPECT_FALSE(risk.escalate_after.has_value());
}

TEST(AlertRulesReader, EveryBadInputIsRefusedNamingTheField) {
  const std::filesystem::path folder =
      std::filesystem::path(PTWIN_SOURCE_DIR) / "tests/data/bad_inputs/alert_rules";
  const auto cases = ptwin::testing::scoped_corpus(folder, ".json", {"document"}, "document");
  ASSERT_GE(cases.size(), 15U);
  for (const auto& bad : cases) {
    SCOPED_TRACE(bad.input.filename().string());
    const std::string text = ptwin::testing::read_bytes(bad.input);
    try {
      (void)read_alert_rules(text, bad.input.filename().string());
      ADD_FAILURE() << "accepted";
    } catch (const InputError& error) {
      EXPECT_EQ(error_code_info(error.code()).name, bad.code_name) << error.what();
      ptwin::testing::expect_fragments(error.what(), bad);
    }
  }
}

}  // namespace
}  // namespace ptwin::clinical::alerts
