// SPDX-License-Identifier: Apache-2.0
#pragma once
// A model's adjustable parameters (docs/twin.md, "The model's declarations"): multipliers on
// values of the model JSON, declared under "adjustable_parameters". Used by personalisation and
// by the beat-to-beat estimator.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ptwin::twin {

struct AdjustableParameter {
  std::string name;
  std::vector<std::string> scales;  // "<block>.<parameter>" or "initial:<variable>"
  double lower = 0.0;               // bounds on the multiplier
  double upper = 0.0;
};

/// Reads the named entries of the model's adjustable_parameters. Throws InputError naming the
/// parameter when it is unknown, repeated, has no scales or bad bounds.
[[nodiscard]] std::vector<AdjustableParameter> read_adjustable_parameters(
    const nlohmann::json& model, const std::vector<std::string>& names, std::string_view source);

/// The model JSON with each parameter's values multiplied by exp(log_multipliers[j]) (units
/// kept). Throws InputError naming a scaled path that is not in the model.
[[nodiscard]] nlohmann::json with_multipliers(const nlohmann::json& model,
                                              const std::vector<AdjustableParameter>& parameters,
                                              const std::vector<double>& log_multipliers,
                                              std::string_view source);

/// Rewrites a model value "<number> <unit>" (or a plain number) as the number times `factor`,
/// unit kept. Throws InputError naming `where` when the value does not start with a number.
[[nodiscard]] nlohmann::json scaled_quantity(const nlohmann::json& value, double factor,
                                             std::string_view where);

}  // namespace ptwin::twin
