// SPDX-License-Identifier: Apache-2.0
// `ptwin whatif` and `ptwin vv alerts` as a user runs them: a forecast table with and without
// the intervention, in mmHg and L/min, for each lead; the alert comparison's table on a small
// cohort; options out of range refused with a non-zero exit.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int exit_code;
  std::string output;
};

CommandResult run(const std::string& arguments) {
  const fs::path log = fs::temp_directory_path() /
                       ("ptwin_whatif_e2e_" +
                        std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
                        ".txt");
  const int status =
      std::system((std::string(PTWIN_EXECUTABLE) + " " + arguments + " > " + log.string() + " 2>&1").c_str());
  std::ifstream in(log);
  std::ostringstream text;
  text << in.rdbuf();
  fs::remove(log);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

TEST(WhatIfCommand, PrintsTheForecastWithAndWithoutTheInterventionInDisplayUnits) {
  const auto result = run("whatif --seed 7 --patient 1 --norepinephrine 0.1 --fluid 500 --fluid-over 15");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("MAP without (mmHg)"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("CO with (L/min)"), std::string::npos) << result.output;
  // One row per lead: lead, then median [p05, p95] for MAP and CO without and with.
  const std::regex row(R"((5|10|15) min\s+[0-9.]+ \[\s*[0-9.]+,\s*[0-9.]+\]\s+[0-9.]+ \[)");
  std::size_t rows = 0;
  for (auto it = std::sregex_iterator(result.output.begin(), result.output.end(), row);
       it != std::sregex_iterator(); ++it) {
    ++rows;
  }
  EXPECT_EQ(rows, 3U) << result.output;
  const std::regex risk(R"(within 15 min\): without ([0-9.]+), with ([0-9.]+))");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(result.output, match, risk)) << result.output;
  EXPECT_GE(std::stod(match[1]), 0.0);
  EXPECT_LE(std::stod(match[1]), 1.0);
}

TEST(WhatIfCommand, RefusesAFluidBolusWithNoDuration) {
  const auto result = run("whatif --fluid 500 --fluid-over 0");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("--fluid-over"), std::string::npos) << result.output;
}

TEST(VvAlertsCommand, PrintsPolicyAndNaiveRuleOnASmallCohort) {
  const auto result = run("vv alerts --patients 12 --hours 3 --seed 5");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  for (const char* expected : {"policy: twin risk", "naive: MAP <= 65 mmHg", "per p-day",
                               "rule chosen on 6 training patients", "on 6 test patients"}) {
    EXPECT_NE(result.output.find(expected), std::string::npos) << expected << "\n" << result.output;
  }
}

}  // namespace
