// SPDX-License-Identifier: Apache-2.0
#include "ptwin/vv/gate/model_identity.hpp"

#include <fmt/format.h>

#include <chrono>
#include <iterator>

#include "ptwin/core/digest.hpp"

namespace ptwin::vv::gate {

// A tripwire: a setting added to the model must be added to the digested text below (else a
// change of it would not invalidate the verification). The sizes are those of x86-64 (the
// platform the project builds on); update them together with the text.
static_assert(sizeof(twin::risk::HaemodynamicTrendSettings) == 7 * sizeof(double),
              "HaemodynamicTrendSettings changed: add the new field to canonical_settings_text");
static_assert(sizeof(twin::risk::HypotensionRiskSettings) ==
                  sizeof(twin::risk::HaemodynamicTrendSettings) + 4 * sizeof(double) +
                      2 * sizeof(std::chrono::seconds),
              "HypotensionRiskSettings changed: add the new field to canonical_settings_text");

std::string canonical_settings_text(const twin::risk::HypotensionRiskSettings& s) {
  std::string out;
  const auto add = [&out](const char* name, double value) {
    fmt::format_to(std::back_inserter(out), "{}={:.17g}\n", name, value);
  };
  const auto& m = s.model;
  add("model.central_venous_pressure_pa", m.central_venous_pressure_pa);
  add("model.level_noise_per_sqrt_s", m.level_noise_per_sqrt_s);
  add("model.rate_stationary_sd_per_s", m.rate_stationary_sd_per_s);
  add("model.rate_memory_s", m.rate_memory_s);
  add("model.map_noise_pa", m.map_noise_pa);
  add("model.cardiac_output_relative_noise", m.cardiac_output_relative_noise);
  add("model.nominal_cardiac_output_m3_per_s", m.nominal_cardiac_output_m3_per_s);
  add("prior_cardiac_output_m3_per_s", s.prior_cardiac_output_m3_per_s);
  add("prior_ln_cardiac_output_sd", s.prior_ln_cardiac_output_sd);
  add("forecast_step_s", static_cast<double>(s.forecast_step.count()));
  add("hypotension_threshold_pa", s.hypotension_threshold_pa);
  add("minimum_duration_s", static_cast<double>(s.minimum_duration.count()));
  add("gate_probability", s.gate_probability);
  return out;
}

ModelIdentity hypotension_risk_model_identity(const twin::risk::HypotensionRiskSettings& settings) {
  return {kHypotensionRiskModelName, kHypotensionRiskModelVersion,
          sha256_hex(canonical_settings_text(settings))};
}

}  // namespace ptwin::vv::gate
