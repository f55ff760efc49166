// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the twin.yaml loader. ptwin::Error is the expected way to reject input;
// anything else, or an accepted declaration that breaks a documented rule, is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ptwin/core/error.hpp"
#include "ptwin/core/twin_config.hpp"

namespace {

void check_rules(const ptwin::TwinConfig& config) {
  const auto& simulation = config.simulation;
  const auto& personalisation = config.personalisation;
  const bool is_valid =
      !config.twin.id.empty() && config.twin.id.size() <= 64 && simulation.steps_per_cycle >= 10 &&
      simulation.steps_per_cycle <= 100000 && simulation.max_cycles >= 1 &&
      simulation.max_cycles <= 10000 && simulation.steady_state_tolerance > 0.0 &&
      simulation.steady_state_tolerance < 1.0 && personalisation.max_evaluations >= 1 &&
      personalisation.max_evaluations <= 100000 &&
      (!personalisation.is_enabled ||
       (!personalisation.targets.empty() && !personalisation.parameters.empty())) &&
      !config.patient.fhir_bundle.empty() && !config.model.file.empty() &&
      config.twin.ensemble_size >= 10 && config.twin.ensemble_size <= 100000 &&
      config.twin.ensemble_seed >= 0 &&
      (config.twin.filter == ptwin::StateFilter::Ukf || config.twin.filter == ptwin::StateFilter::Enkf);
  if (!is_valid) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    check_rules(ptwin::parse_twin_config(text, "/fuzz", "fuzz.yaml"));
  } catch (const ptwin::TwinConfigError& error) {
    if (error.problems().empty()) std::abort();
  } catch (const ptwin::Error&) {
  }
  return 0;
}
