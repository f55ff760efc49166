// SPDX-License-Identifier: Apache-2.0
#include "ptwin/clinical/news2/news2_score.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::clinical::news2 {

namespace {

template <typename T>
const T& required(const std::optional<T>& value, std::string_view field) {
  if (!value) {
    throw InputError(ErrorCode::MissingField, fmt::format("NEWS2 observations: {}", field),
                     "(absent)",
                     "NEWS2 needs all seven parameters; record the missing one before scoring");
  }
  return *value;
}

// The value in chart units, checked against its range, rounded to `resolution`.
double charted(double value, double minimum, double maximum, double resolution,
               std::string_view field, std::string_view unit) {
  if (!std::isfinite(value) || value < minimum || value > maximum) {
    throw InputError(ErrorCode::BadInput, fmt::format("NEWS2 observations: {}", field),
                     fmt::format("{} {}", value, unit),
                     fmt::format("must lie in [{}, {}] {}; check the unit", minimum, maximum,
                                 unit));
  }
  return std::round(value / resolution) * resolution;
}

int to_int(double charted_value) { return static_cast<int>(std::lround(charted_value)); }

// The chart, parameter by parameter (RCP 2017, NEWS2 chart 1: the scoring system).
int score_respiration(int per_min) {
  if (per_min <= 8) return 3;
  if (per_min <= 11) return 1;
  if (per_min <= 20) return 0;
  if (per_min <= 24) return 2;
  return 3;
}

int score_spo2(int percent, SpO2Scale scale, InspiredGas gas) {
  if (scale == SpO2Scale::Scale1) {
    if (percent <= 91) return 3;
    if (percent <= 93) return 2;
    if (percent <= 95) return 1;
    return 0;
  }
  if (percent <= 83) return 3;
  if (percent <= 85) return 2;
  if (percent <= 87) return 1;
  if (percent <= 92 || gas == InspiredGas::Air) return 0;
  if (percent <= 94) return 1;
  if (percent <= 96) return 2;
  return 3;
}

int score_systolic(int mmhg) {
  if (mmhg <= 90) return 3;
  if (mmhg <= 100) return 2;
  if (mmhg <= 110) return 1;
  if (mmhg <= 219) return 0;
  return 3;
}

int score_pulse(int per_min) {
  if (per_min <= 40) return 3;
  if (per_min <= 50) return 1;
  if (per_min <= 90) return 0;
  if (per_min <= 110) return 1;
  if (per_min <= 130) return 2;
  return 3;
}

// Compared in tenths of a degree so that 36.0 is exactly the band edge.
int score_temperature(double celsius) {
  const long tenths = std::lround(celsius * 10.0);
  if (tenths <= 350) return 3;
  if (tenths <= 360) return 1;
  if (tenths <= 380) return 0;
  if (tenths <= 390) return 1;
  return 2;
}

ClinicalRisk risk_of(int aggregate, const SubScores& s) {
  if (aggregate >= 7) return ClinicalRisk::High;
  if (aggregate >= 5) return ClinicalRisk::Medium;
  const bool has_red_score =
      std::max({s.respiration_rate, s.spo2, s.inspired_gas, s.systolic_pressure, s.pulse_rate,
                s.consciousness, s.temperature}) == 3;
  return has_red_score ? ClinicalRisk::LowMedium : ClinicalRisk::Low;
}

}  // namespace

Score score(const Observations& observations) {
  Score result;
  auto& c = result.charted;
  c.respiration_rate_per_min = to_int(charted(
      required(observations.respiration_rate, "respiration_rate").in(units::bpm), 0, 100, 1,
      "respiration_rate", "/min"));
  c.spo2_percent = to_int(charted(required(observations.spo2, "spo2").in(units::percent), 0, 100,
                                  1, "spo2", "%"));
  const InspiredGas gas = required(observations.inspired_gas, "inspired_gas");
  c.systolic_pressure_mmhg = to_int(charted(
      required(observations.systolic_pressure, "systolic_pressure").in(units::mmHg), 0, 400, 1,
      "systolic_pressure", "mm[Hg]"));
  c.pulse_per_min = to_int(charted(required(observations.pulse_rate, "pulse_rate").in(units::bpm),
                                   0, 300, 1, "pulse_rate", "/min"));
  const Consciousness consciousness = required(observations.consciousness, "consciousness");
  c.temperature_celsius = charted(required(observations.temperature_celsius, "temperature_celsius"),
                                  25.0, 45.0, 0.1, "temperature_celsius", "Cel");

  auto& s = result.sub_scores;
  s.respiration_rate = score_respiration(c.respiration_rate_per_min);
  s.spo2 = score_spo2(c.spo2_percent, observations.spo2_scale, gas);
  s.inspired_gas = gas == InspiredGas::Oxygen ? 2 : 0;
  s.systolic_pressure = score_systolic(c.systolic_pressure_mmhg);
  s.pulse_rate = score_pulse(c.pulse_per_min);
  s.consciousness = consciousness == Consciousness::Alert ? 0 : 3;
  s.temperature = score_temperature(c.temperature_celsius);
  result.aggregate = s.respiration_rate + s.spo2 + s.inspired_gas + s.systolic_pressure +
                     s.pulse_rate + s.consciousness + s.temperature;
  result.risk = risk_of(result.aggregate, s);
  return result;
}

std::string_view to_string(ClinicalRisk risk) {
  switch (risk) {
    case ClinicalRisk::Low: return "low";
    case ClinicalRisk::LowMedium: return "low-medium";
    case ClinicalRisk::Medium: return "medium";
    case ClinicalRisk::High: return "high";
  }
  return "unknown";
}

}  // namespace ptwin::clinical::news2
