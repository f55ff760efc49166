// SPDX-License-Identifier: Apache-2.0
#include "ptwin/twin/haemodynamic_summary.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ptwin/core/error.hpp"

namespace ptwin::twin {

Observables Observables::from_model_json(const nlohmann::json& model, std::string_view source) {
  const auto where = fmt::format("{}: observables", source);
  if (!model.contains("observables") || !model.at("observables").is_object()) {
    throw InputError(ErrorCode::MissingField, where, "",
                     "the model must name its observables (arterial_pressure, lv_volume, "
                     "lv_pressure) as output channels, e.g. \"sys_art.pressure_in\"");
  }
  const auto& json = model.at("observables");
  const auto read = [&](std::string_view key) {
    if (!json.contains(key) || !json.at(std::string(key)).is_string()) {
      throw InputError(ErrorCode::MissingField, fmt::format("{}.{}", where, key), "",
                       "must name an output channel such as \"lv.volume\"");
    }
    return json.at(std::string(key)).get<std::string>();
  };
  return {read("arterial_pressure"), read("lv_volume"), read("lv_pressure")};
}

HaemodynamicSummary summarise(const physics::zerod::SimulationResult& result,
                              const Observables& observables) {
  const auto& pressure = result.series(observables.arterial_pressure);
  const auto& volume = result.series(observables.lv_volume);
  const auto& lv_pressure = result.series(observables.lv_pressure);
  const auto& t = result.times_s;
  if (t.size() < 3) {
    throw InputError(ErrorCode::BadInput, "simulation result", fmt::format("{} samples", t.size()),
                     "too few samples to summarise a cycle");
  }
  HaemodynamicSummary s;
  const double period = t.back() - t.front();
  s.heart_rate_hz = 1.0 / period;
  s.systolic_pressure_pa = *std::max_element(pressure.begin(), pressure.end());
  s.diastolic_pressure_pa = *std::min_element(pressure.begin(), pressure.end());
  // Trapezoidal time average over the cycle.
  double integral = 0.0;
  for (std::size_t i = 1; i < t.size(); ++i) {
    integral += 0.5 * (pressure[i] + pressure[i - 1]) * (t[i] - t[i - 1]);
  }
  s.mean_arterial_pressure_pa = integral / period;
  s.end_diastolic_volume_m3 = *std::max_element(volume.begin(), volume.end());
  s.end_systolic_volume_m3 = *std::min_element(volume.begin(), volume.end());
  s.stroke_volume_m3 = s.end_diastolic_volume_m3 - s.end_systolic_volume_m3;
  s.ejection_fraction = s.stroke_volume_m3 / s.end_diastolic_volume_m3;
  s.cardiac_output_m3_per_s = s.stroke_volume_m3 * s.heart_rate_hz;
  s.peak_lv_pressure_pa = *std::max_element(lv_pressure.begin(), lv_pressure.end());
  return s;
}

}  // namespace ptwin::twin
