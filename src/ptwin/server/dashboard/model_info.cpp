// SPDX-License-Identifier: Apache-2.0
#include "ptwin/server/dashboard/model_info.hpp"

#include <nlohmann/json.hpp>

#include "ptwin/core/digest.hpp"

namespace ptwin::server::dashboard {

std::string settings_json(const twin::risk::HypotensionRiskSettings& s) {
  const auto& m = s.model;
  // nlohmann::json objects keep keys sorted, so equal settings give equal text.
  const nlohmann::json json{
      {"model",
       {{"central_venous_pressure_pa", m.central_venous_pressure_pa},
        {"level_noise_per_sqrt_s", m.level_noise_per_sqrt_s},
        {"rate_stationary_sd_per_s", m.rate_stationary_sd_per_s},
        {"rate_memory_s", m.rate_memory_s},
        {"map_noise_pa", m.map_noise_pa},
        {"cardiac_output_relative_noise", m.cardiac_output_relative_noise},
        {"nominal_cardiac_output_m3_per_s", m.nominal_cardiac_output_m3_per_s}}},
      {"prior_cardiac_output_m3_per_s", s.prior_cardiac_output_m3_per_s},
      {"prior_ln_cardiac_output_sd", s.prior_ln_cardiac_output_sd},
      {"forecast_step_s", s.forecast_step.count()},
      {"hypotension_threshold_pa", s.hypotension_threshold_pa},
      {"minimum_duration_s", s.minimum_duration.count()},
      {"gate_probability", s.gate_probability}};
  return json.dump();
}

VerificationStatus verification_status(const std::string& /*name*/,
                                       const std::string& /*settings_digest*/) {
  return {"unknown",
          "no verification and validation gate result is recorded for this model and settings "
          "digest; ptwin vv hypotension reports the evaluation (docs/twin.md)"};
}

ModelInfo hypotension_model_info(const twin::risk::HypotensionRiskSettings& settings,
                                 const std::string& software_version) {
  ModelInfo info;
  info.name = "hypotension-risk-ukf";
  info.version = software_version;
  info.settings_digest = "sha256:" + sha256_hex(settings_json(settings));
  info.verification = verification_status(info.name, info.settings_digest);
  return info;
}

}  // namespace ptwin::server::dashboard
