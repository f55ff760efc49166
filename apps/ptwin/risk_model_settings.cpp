// SPDX-License-Identifier: Apache-2.0
#include "risk_model_settings.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace ptwin::app {

twin::risk::HypotensionRiskSettings risk_model_settings(const TwinSection& twin) {
  twin::risk::HypotensionRiskSettings model;
  model.filter = twin.filter;
  model.ensemble_size = twin.ensemble_size;
  model.ensemble_seed = static_cast<std::uint64_t>(twin.ensemble_seed);
  return model;
}

std::string describe_filter(const twin::risk::HypotensionRiskSettings& model) {
  if (model.filter == StateFilter::Enkf) {
    return fmt::format("enkf ({} members, seed {})", model.ensemble_size, model.ensemble_seed);
  }
  return std::string(to_string(model.filter));
}

}  // namespace ptwin::app
