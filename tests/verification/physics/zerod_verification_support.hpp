// SPDX-License-Identifier: Apache-2.0
#pragma once
// Helpers shared by the 0D verification tests: unit constants for writing analytic solutions in
// SI, quantity strings for the ptwin.zerod/1 JSON, Newton settings tight enough that the
// Newton error is far below the time-discretisation error, and a fixed-step driver for
// GeneralizedAlpha with a caller-supplied consistent initial state.

#include <fmt/format.h>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ptwin/core/units.hpp"
#include "ptwin/physics/zerod/generalized_alpha.hpp"
#include "ptwin/physics/zerod/model.hpp"
#include "ptwin/physics/zerod/model_builder.hpp"

namespace ptwin::physics::zerod::testing {

inline constexpr double kPaPerMmHg = units::kPaPerMmHg;
inline constexpr double kM3PerMl = 1e-6;

/// "<value> <unit>" with every significant digit, for the JSON model format.
[[nodiscard]] inline std::string quantity(double value, std::string_view unit) {
  return fmt::format("{:.17g} {}", value, unit);
}

/// Builds a ptwin.zerod/1 model from blocks and (from, to) connections written inline.
/// Connections are pairs, not JSON, because nlohmann reads {{"a", "b"}} as the object {"a": "b"}.
[[nodiscard]] inline std::unique_ptr<Model> build_inline_model(
    std::vector<nlohmann::json> blocks,
    const std::vector<std::pair<std::string, std::string>>& connections,
    nlohmann::json initial_conditions = nlohmann::json::object()) {
  auto connection_list = nlohmann::json::array();
  for (const auto& [from, to] : connections)
    connection_list.push_back({{"from", from}, {"to", to}});
  const nlohmann::json spec{{"format", "ptwin.zerod/1"},
                            {"name", "verification"},
                            {"blocks", std::move(blocks)},
                            {"connections", std::move(connection_list)},
                            {"initial_conditions", std::move(initial_conditions)}};
  return build_model(spec, "verification model");
}

/// Newton tolerances ~1e-12 relative: the verification errors we measure are >= 1e-8, so the
/// Newton error cannot mask or fake a discretisation error. Round-off in the residual (~1e-16
/// relative) stays below the acceptance threshold, so Newton still terminates.
[[nodiscard]] inline GeneralizedAlphaSettings tight_newton_settings() {
  GeneralizedAlphaSettings settings;
  settings.spectral_radius = 0.5;
  settings.relative_tolerance = 1e-12;
  settings.pressure_tolerance_pa = 1e-8;
  settings.flow_tolerance_m3_per_s = 1e-16;
  settings.volume_tolerance_m3 = 1e-16;
  settings.max_newton_iterations = 50;
  return settings;
}

/// Index of a model variable; throws std::out_of_range (failing the test) if the name is absent.
[[nodiscard]] inline std::size_t variable(const Model& model, std::string_view name) {
  const int index = model.variable_index(name);
  if (index < 0) throw std::out_of_range(fmt::format("no model variable '{}'", name));
  return static_cast<std::size_t>(index);
}

/// Takes `steps` steps of size dt_s from `state`, calling `observe` after each step.
inline void integrate(Model& model, IntegratorState& state, double dt_s, int steps,
                      const std::function<void(const IntegratorState&)>& observe) {
  GeneralizedAlpha integrator(model, LinearSolverKind::Klu, tight_newton_settings());
  const double t0_s = state.t_s;
  for (int step = 1; step <= steps; ++step) {
    integrator.step(state, dt_s);
    state.t_s = t0_s + step * dt_s;  // exact grid times, as simulate() does
    observe(state);
  }
}

}  // namespace ptwin::physics::zerod::testing
