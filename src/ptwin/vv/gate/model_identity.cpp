// SPDX-License-Identifier: Apache-2.0
#include "ptwin/vv/gate/model_identity.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <iterator>
#include <optional>
#include <vector>

#include "ptwin/core/digest.hpp"

namespace ptwin::vv::gate {

// A tripwire: a setting added to the model must be added to the digested text below (else a
// change of it would not invalidate the verification). The sizes are those of x86-64 (the
// platform the project builds on); update them together with the text.
static_assert(sizeof(twin::risk::HaemodynamicTrendSettings) == 7 * sizeof(double),
              "HaemodynamicTrendSettings changed: add the new field to canonical_settings_text");
static_assert(sizeof(twin::risk::HypotensionRiskSettings) ==
                  sizeof(twin::risk::HaemodynamicTrendSettings) + 4 * sizeof(double) +
                      2 * sizeof(std::chrono::seconds) + 2 * sizeof(int) +
                      sizeof(std::uint64_t) +
                      sizeof(std::vector<twin::risk::HorizonRecalibration>),
              "HypotensionRiskSettings changed: add the new field to canonical_settings_text");
static_assert(sizeof(twin::risk::RiskRecalibration) ==
                  sizeof(int) + 4 + 3 * sizeof(double) +
                      sizeof(std::vector<twin::risk::CalibrationKnot>),
              "RiskRecalibration changed: add the new field to canonical_settings_text");

std::string recalibration_settings_text(
    const std::vector<twin::risk::HorizonRecalibration>& recalibrations) {
  std::string out;
  const auto add = [&out](const std::string& name, double value) {
    fmt::format_to(std::back_inserter(out), "{}={:.17g}\n", name, value);
  };
  for (const auto& r : recalibrations) {
    const auto key = fmt::format("recalibration[{}s]", r.horizon.count());
    fmt::format_to(std::back_inserter(out), "{}.method={}\n", key, to_string(r.map.method));
    switch (r.map.method) {
      case twin::risk::RecalibrationMethod::None: break;
      case twin::risk::RecalibrationMethod::Platt:
        add(key + ".platt_intercept", r.map.platt_intercept);
        add(key + ".platt_slope", r.map.platt_slope);
        add(key + ".logit_epsilon", r.map.logit_epsilon);
        break;
      case twin::risk::RecalibrationMethod::Isotonic:
        for (std::size_t i = 0; i < r.map.isotonic_knots.size(); ++i) {
          fmt::format_to(std::back_inserter(out), "{}.isotonic_knots[{}]={:.17g},{:.17g}\n", key,
                         i, r.map.isotonic_knots[i].raw, r.map.isotonic_knots[i].calibrated);
        }
        break;
    }
  }
  return out;
}

std::optional<std::string> recalibration_digest(
    const std::vector<twin::risk::HorizonRecalibration>& recalibrations) {
  if (recalibrations.empty()) return std::nullopt;
  return sha256_hex(recalibration_settings_text(recalibrations));
}

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
  fmt::format_to(std::back_inserter(out), "filter={}\n", to_string(s.filter));
  // The ensemble's size and seed change the EnKF's output; under the UKF they are unused and
  // left out, so that they do not make two identical models look different.
  if (s.filter == StateFilter::Enkf) {
    add("ensemble_size", s.ensemble_size);
    fmt::format_to(std::back_inserter(out), "ensemble_seed={}\n", s.ensemble_seed);
  }
  out.append(recalibration_settings_text(s.recalibrations));
  return out;
}

ModelIdentity hypotension_risk_model_identity(const twin::risk::HypotensionRiskSettings& settings) {
  return {kHypotensionRiskModelName, kHypotensionRiskModelVersion,
          sha256_hex(canonical_settings_text(settings))};
}

}  // namespace ptwin::vv::gate
