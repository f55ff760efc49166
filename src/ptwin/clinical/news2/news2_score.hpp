// SPDX-License-Identifier: Apache-2.0
#pragma once
// National Early Warning Score 2 (NEWS2): Royal College of Physicians. National Early Warning
// Score (NEWS) 2: Standardising the assessment of acute-illness severity in the NHS. Updated
// report of a working party. London: RCP, 2017. Seven parameters each score 0-3 on the
// published chart; their sum is the aggregate score and sets the clinical risk:
//   low 0-4, low-medium when a single parameter scores 3 (the "red score") and the aggregate is
//   below 5, medium 5-6, high 7 or more.
// SpO2 is scored on Scale 1 unless a clinician has prescribed Scale 2 (target 88-92 %, e.g.
// hypercapnic respiratory failure); on Scale 2, saturations of 93 % or more score only while
// the patient breathes oxygen.
// Inputs arrive in SI (the engine's units) and are converted here, at the edge, to the chart's
// units and recorded to the chart's resolution (whole numbers; temperature to 0.1 degC), the
// way they are written on the chart, rounding halves away from zero; the charted values are
// returned with the score so that a reader can check it against the chart.

#include <optional>
#include <string_view>

#include "ptwin/core/units.hpp"

namespace ptwin::clinical::news2 {

enum class SpO2Scale { Scale1, Scale2 };
enum class InspiredGas { Air, Oxygen };
/// ACVPU: alert, new confusion, responds to voice, to pain, unresponsive.
enum class Consciousness { Alert, NewConfusion, Voice, Pain, Unresponsive };

/// One set of observations. Every optional must be present; core units have no temperature
/// dimension, hence the plain degC field.
struct Observations {
  std::optional<units::Frequency> respiration_rate;
  std::optional<units::Ratio> spo2;  // fraction, 0.96 for 96 %
  SpO2Scale spo2_scale = SpO2Scale::Scale1;  // the chart's default for every patient
  std::optional<InspiredGas> inspired_gas;
  std::optional<units::Pressure> systolic_pressure;
  std::optional<units::Frequency> pulse_rate;
  std::optional<Consciousness> consciousness;
  std::optional<double> temperature_celsius;
};

/// The values as charted: the inputs in chart units at chart resolution.
struct ChartedValues {
  int respiration_rate_per_min = 0;
  int spo2_percent = 0;
  int systolic_pressure_mmhg = 0;
  int pulse_per_min = 0;
  double temperature_celsius = 0.0;  // a multiple of 0.1
  friend bool operator==(const ChartedValues&, const ChartedValues&) = default;
};

struct SubScores {
  int respiration_rate = 0;
  int spo2 = 0;
  int inspired_gas = 0;  // "air or oxygen?"
  int systolic_pressure = 0;
  int pulse_rate = 0;
  int consciousness = 0;
  int temperature = 0;
  friend bool operator==(const SubScores&, const SubScores&) = default;
};

enum class ClinicalRisk { Low, LowMedium, Medium, High };

struct Score {
  int aggregate = 0;
  SubScores sub_scores;
  ClinicalRisk risk = ClinicalRisk::Low;
  ChartedValues charted;
  friend bool operator==(const Score&, const Score&) = default;
};

/// Value ranges accepted (outside them a value is a recording or unit error, not a patient):
/// respiration 0-100 /min, SpO2 0-100 %, systolic 0-400 mmHg, pulse 0-300 /min,
/// temperature 25.0-45.0 degC.
/// Throws InputError: MissingField naming the absent field; BadInput naming the field and the
/// value (in chart units) when a value is not finite or outside its range.
[[nodiscard]] Score score(const Observations& observations);

/// The band's name as the RCP report writes it: "low", "low-medium", "medium", "high".
[[nodiscard]] std::string_view to_string(ClinicalRisk risk);

}  // namespace ptwin::clinical::news2
