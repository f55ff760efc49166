// SPDX-License-Identifier: Apache-2.0
// NEWS2 against the published chart: every band edge of every parameter on both sides, every
// edge of the clinical risk bands, and worked examples scored by hand from the chart.
#include "ptwin/clinical/news2/news2_score.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "verification/verification_case.hpp"

namespace {

using namespace ptwin::clinical::news2;
namespace units = ptwin::units;
using ptwin::testing::record_verification;
using ptwin::testing::VerificationCase;

const VerificationCase kChart{
    .id = "clinical.news2.chart",
    .source = "Royal College of Physicians. National Early Warning Score (NEWS) 2. London: RCP, "
              "2017; Chart 1 (the NEWS2 scoring system) and Chart 2 (thresholds and triggers)",
    .quantity = "each parameter's sub-score at both sides of each band edge; aggregate; risk band",
    .norm = "number of values that differ from the chart",
    .tolerance = 0,
    .tolerance_reason = "integer scores read off a table: any difference is an error",
};

// Scores 0 on every parameter.
Observations normal() {
  Observations o;
  o.respiration_rate = 16.0 * units::bpm;
  o.spo2 = 97.0 * units::percent;
  o.inspired_gas = InspiredGas::Air;
  o.systolic_pressure = 120.0 * units::mmHg;
  o.pulse_rate = 70.0 * units::bpm;
  o.consciousness = Consciousness::Alert;
  o.temperature_celsius = 37.0;
  return o;
}

struct Edge {
  double value;
  int sub_score;
};

// Scores each value with all other parameters normal and counts mismatches with the chart.
int mismatches(const std::vector<Edge>& edges, const std::function<void(Observations&, double)>& set,
               const std::function<int(const SubScores&)>& get, std::string_view parameter,
               int extra_aggregate = 0) {
  int count = 0;
  for (const auto& edge : edges) {
    auto o = normal();
    set(o, edge.value);
    const auto s = score(o);
    const bool ok = get(s.sub_scores) == edge.sub_score &&
                    s.aggregate == edge.sub_score + extra_aggregate;
    EXPECT_TRUE(ok) << parameter << " " << edge.value << ": sub-score " << get(s.sub_scores)
                    << " aggregate " << s.aggregate << ", chart " << edge.sub_score;
    count += ok ? 0 : 1;
  }
  return count;
}

TEST(News2Chart, EveryParameterBandEdgeOnBothSides) {
  int wrong = 0;
  wrong += mismatches({{0, 3}, {8, 3}, {9, 1}, {11, 1}, {12, 0}, {20, 0}, {21, 2}, {24, 2}, {25, 3}},
                      [](Observations& o, double v) { o.respiration_rate = v * units::bpm; },
                      [](const SubScores& s) { return s.respiration_rate; }, "respiration rate");
  wrong += mismatches({{91, 3}, {92, 2}, {93, 2}, {94, 1}, {95, 1}, {96, 0}, {100, 0}},
                      [](Observations& o, double v) { o.spo2 = v * units::percent; },
                      [](const SubScores& s) { return s.spo2; }, "SpO2 scale 1");
  wrong += mismatches({{83, 3}, {84, 2}, {85, 2}, {86, 1}, {87, 1}, {88, 0}, {92, 0}, {93, 0},
                       {97, 0}, {100, 0}},
                      [](Observations& o, double v) {
                        o.spo2_scale = SpO2Scale::Scale2;
                        o.spo2 = v * units::percent;
                      },
                      [](const SubScores& s) { return s.spo2; }, "SpO2 scale 2 on air");
  // On oxygen the "air or oxygen?" row adds 2 to the aggregate.
  wrong += mismatches({{83, 3}, {88, 0}, {92, 0}, {93, 1}, {94, 1}, {95, 2}, {96, 2}, {97, 3}},
                      [](Observations& o, double v) {
                        o.spo2_scale = SpO2Scale::Scale2;
                        o.inspired_gas = InspiredGas::Oxygen;
                        o.spo2 = v * units::percent;
                      },
                      [](const SubScores& s) { return s.spo2; }, "SpO2 scale 2 on oxygen", 2);
  wrong += mismatches({{96, 0}, {95, 1}},
                      [](Observations& o, double v) {
                        o.inspired_gas = InspiredGas::Oxygen;
                        o.spo2 = v * units::percent;
                      },
                      [](const SubScores& s) { return s.spo2; }, "SpO2 scale 1 on oxygen", 2);
  wrong += mismatches({{90, 3}, {91, 2}, {100, 2}, {101, 1}, {110, 1}, {111, 0}, {219, 0}, {220, 3}},
                      [](Observations& o, double v) { o.systolic_pressure = v * units::mmHg; },
                      [](const SubScores& s) { return s.systolic_pressure; }, "systolic");
  wrong += mismatches({{40, 3}, {41, 1}, {50, 1}, {51, 0}, {90, 0}, {91, 1}, {110, 1}, {111, 2},
                       {130, 2}, {131, 3}},
                      [](Observations& o, double v) { o.pulse_rate = v * units::bpm; },
                      [](const SubScores& s) { return s.pulse_rate; }, "pulse");
  wrong += mismatches({{35.0, 3}, {35.1, 1}, {36.0, 1}, {36.1, 0}, {38.0, 0}, {38.1, 1}, {39.0, 1},
                       {39.1, 2}},
                      [](Observations& o, double v) { o.temperature_celsius = v; },
                      [](const SubScores& s) { return s.temperature; }, "temperature");
  for (const auto& [level, sub] : {std::pair{Consciousness::Alert, 0}, {Consciousness::NewConfusion, 3},
                                  {Consciousness::Voice, 3}, {Consciousness::Pain, 3},
                                  {Consciousness::Unresponsive, 3}}) {
    auto o = normal();
    o.consciousness = level;
    const auto s = score(o);
    EXPECT_EQ(s.sub_scores.consciousness, sub);
    wrong += (s.sub_scores.consciousness == sub && s.aggregate == sub) ? 0 : 1;
  }
  auto o = normal();
  o.inspired_gas = InspiredGas::Oxygen;
  EXPECT_EQ(score(o).sub_scores.inspired_gas, 2);
  wrong += score(o).aggregate == 2 ? 0 : 1;
  record_verification(kChart, wrong);
  EXPECT_LE(wrong, kChart.tolerance);
}

TEST(News2Chart, RiskBandEdgesOnBothSides) {
  // Aggregates built from non-red sub-scores: RR 21 (2), pulse 111 (2), temperature 38.1 (1),
  // systolic 101 (1), SpO2 94 (1).
  auto o = normal();
  EXPECT_EQ(score(o).risk, ClinicalRisk::Low);  // 0
  o.respiration_rate = 21.0 * units::bpm;
  o.pulse_rate = 111.0 * units::bpm;
  EXPECT_EQ(score(o).aggregate, 4);
  EXPECT_EQ(score(o).risk, ClinicalRisk::Low);
  o.temperature_celsius = 38.1;
  EXPECT_EQ(score(o).aggregate, 5);
  EXPECT_EQ(score(o).risk, ClinicalRisk::Medium);
  o.systolic_pressure = 101.0 * units::mmHg;
  EXPECT_EQ(score(o).aggregate, 6);
  EXPECT_EQ(score(o).risk, ClinicalRisk::Medium);
  o.spo2 = 94.0 * units::percent;
  EXPECT_EQ(score(o).aggregate, 7);
  EXPECT_EQ(score(o).risk, ClinicalRisk::High);

  // A single red score (3) makes low-medium while the aggregate stays below 5.
  auto red = normal();
  red.consciousness = Consciousness::Voice;
  EXPECT_EQ(score(red).aggregate, 3);
  EXPECT_EQ(score(red).risk, ClinicalRisk::LowMedium);
  red.temperature_celsius = 38.1;
  EXPECT_EQ(score(red).aggregate, 4);
  EXPECT_EQ(score(red).risk, ClinicalRisk::LowMedium);
  red.respiration_rate = 21.0 * units::bpm;
  EXPECT_EQ(score(red).aggregate, 6);
  EXPECT_EQ(score(red).risk, ClinicalRisk::Medium);
  // Just below a red score: 2 + 2 = 4 stays low.
  auto two = normal();
  two.systolic_pressure = 91.0 * units::mmHg;
  two.inspired_gas = InspiredGas::Oxygen;
  EXPECT_EQ(score(two).aggregate, 4);
  EXPECT_EQ(score(two).risk, ClinicalRisk::Low);
  EXPECT_EQ(to_string(ClinicalRisk::LowMedium), "low-medium");
}

// Worked examples, each sub-score read off the chart by hand.
TEST(News2Chart, WorkedExamples) {
  // Suspected sepsis: RR 24 (2), SpO2 95 % on air, scale 1 (1), air (0), systolic 98 (2),
  // pulse 118 (2), alert (0), 38.6 degC (1): 8, high.
  Observations sepsis;
  sepsis.respiration_rate = 24.0 * units::bpm;
  sepsis.spo2 = 0.95 * units::one;
  sepsis.inspired_gas = InspiredGas::Air;
  sepsis.systolic_pressure = 98.0 * units::mmHg;
  sepsis.pulse_rate = 118.0 * units::bpm;
  sepsis.consciousness = Consciousness::Alert;
  sepsis.temperature_celsius = 38.6;
  const auto s = score(sepsis);
  EXPECT_EQ(s.sub_scores, (SubScores{.respiration_rate = 2, .spo2 = 1, .inspired_gas = 0,
                                     .systolic_pressure = 2, .pulse_rate = 2, .consciousness = 0,
                                     .temperature = 1}));
  EXPECT_EQ(s.aggregate, 8);
  EXPECT_EQ(s.risk, ClinicalRisk::High);

  // Hypercapnic COPD on prescribed scale 2, on oxygen: RR 22 (2), SpO2 90 % (0), oxygen (2),
  // systolic 130 (0), pulse 95 (1), alert (0), 37.4 degC (0): 5, medium. The same readings on
  // scale 1 score SpO2 3 and 8 in all: the scale matters.
  Observations copd;
  copd.respiration_rate = 22.0 * units::bpm;
  copd.spo2 = 90.0 * units::percent;
  copd.spo2_scale = SpO2Scale::Scale2;
  copd.inspired_gas = InspiredGas::Oxygen;
  copd.systolic_pressure = 130.0 * units::mmHg;
  copd.pulse_rate = 95.0 * units::bpm;
  copd.consciousness = Consciousness::Alert;
  copd.temperature_celsius = 37.4;
  EXPECT_EQ(score(copd).aggregate, 5);
  EXPECT_EQ(score(copd).risk, ClinicalRisk::Medium);
  copd.spo2_scale = SpO2Scale::Scale1;
  EXPECT_EQ(score(copd).sub_scores.spo2, 3);
  EXPECT_EQ(score(copd).aggregate, 8);
  EXPECT_EQ(score(copd).risk, ClinicalRisk::High);

  // New confusion with otherwise normal observations: 3, low-medium (a red score).
  auto confused = normal();
  confused.consciousness = Consciousness::NewConfusion;
  EXPECT_EQ(score(confused).aggregate, 3);
  EXPECT_EQ(score(confused).risk, ClinicalRisk::LowMedium);

  // Every parameter at its worst on scale 1: 3 + 3 + 2 (oxygen) + 3 + 3 + 3 + 2 = 19.
  Observations worst;
  worst.respiration_rate = 30.0 * units::bpm;
  worst.spo2 = 85.0 * units::percent;
  worst.inspired_gas = InspiredGas::Oxygen;
  worst.systolic_pressure = 80.0 * units::mmHg;
  worst.pulse_rate = 140.0 * units::bpm;
  worst.consciousness = Consciousness::Unresponsive;
  worst.temperature_celsius = 39.5;
  EXPECT_EQ(score(worst).aggregate, 19);
  EXPECT_EQ(score(worst).risk, ClinicalRisk::High);
}

}  // namespace
