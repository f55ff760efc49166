// SPDX-License-Identifier: Apache-2.0
#include "risk_model_settings.hpp"

#include <cstdint>

#include <fmt/format.h>

#include "ptwin/twin/live/hypotension_risk_stage.hpp"
#include "ptwin/vv/gate/model_identity.hpp"
#include "ptwin/vv/gate/recalibration_file.hpp"

namespace ptwin::app {

twin::risk::HypotensionRiskSettings uncalibrated_risk_model_settings(const TwinSection& twin) {
  twin::risk::HypotensionRiskSettings model;
  model.filter = twin.filter;
  model.ensemble_size = twin.ensemble_size;
  model.ensemble_seed = static_cast<std::uint64_t>(twin.ensemble_seed);
  return model;
}

twin::risk::HypotensionRiskSettings risk_model_settings(const TwinSection& twin) {
  twin::risk::HypotensionRiskSettings model = uncalibrated_risk_model_settings(twin);
  if (!twin.recalibration) return model;
  const auto file = vv::gate::read_recalibration_file(*twin.recalibration);
  vv::gate::check_applies_to(file, vv::gate::hypotension_risk_model_identity(model),
                             twin::live::kServedRiskHorizons, twin.recalibration->string());
  model.recalibrations = vv::gate::maps_of(file);
  return model;
}

std::string describe_filter(const twin::risk::HypotensionRiskSettings& model) {
  if (model.filter == StateFilter::Enkf) {
    return fmt::format("enkf ({} members, seed {})", model.ensemble_size, model.ensemble_seed);
  }
  return std::string(to_string(model.filter));
}

std::string describe_recalibration(const twin::risk::HypotensionRiskSettings& model) {
  const auto digest = vv::gate::recalibration_digest(model.recalibrations);
  if (!digest) return "none (raw risk)";
  std::string maps;
  for (const auto& r : model.recalibrations) {
    if (!maps.empty()) maps.append(", ");
    maps.append(fmt::format("{} {} s", twin::risk::to_string(r.map.method), r.horizon.count()));
  }
  return fmt::format("{} (maps {})", maps, digest->substr(0, 16));
}

}  // namespace ptwin::app
