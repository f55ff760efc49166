// SPDX-License-Identifier: Apache-2.0
#pragma once
// Clinical summary of one simulated cardiac cycle: the quantities a clinician reads off a
// monitor or an echo report, computed from named model outputs (a model's "observables").

#include <string>

#include <nlohmann/json.hpp>

#include "ptwin/physics/zerod/simulation.hpp"

namespace ptwin::twin {

/// Which output channels carry the observables, e.g. {"arterial_pressure":
/// "sys_art.pressure_in", "lv_volume": "lv.volume", "lv_pressure": "lv.pressure_in"}.
struct Observables {
  std::string arterial_pressure;
  std::string lv_volume;
  std::string lv_pressure;
  /// Reads the model JSON's "observables" object; throws InputError naming a missing key.
  static Observables from_model_json(const nlohmann::json& model, std::string_view source);
};

struct HaemodynamicSummary {
  double heart_rate_hz = 0.0;
  double systolic_pressure_pa = 0.0;
  double diastolic_pressure_pa = 0.0;
  double mean_arterial_pressure_pa = 0.0;  // time average over the cycle
  double end_diastolic_volume_m3 = 0.0;
  double end_systolic_volume_m3 = 0.0;
  double stroke_volume_m3 = 0.0;
  double ejection_fraction = 0.0;  // ratio, 0..1
  double cardiac_output_m3_per_s = 0.0;
  double peak_lv_pressure_pa = 0.0;
};

/// Summarises the last cycle of `result` (which must hold exactly one cycle, i.e. last-cycle
/// output). Throws InputError if a channel is missing.
[[nodiscard]] HaemodynamicSummary summarise(const physics::zerod::SimulationResult& result,
                                            const Observables& observables);

}  // namespace ptwin::twin
